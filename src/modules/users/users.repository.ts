import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { UserTable } from './users.tables.js';
import type { UserRole } from './users.schema.js';

/** A user as stored, secrets included: never leaves the module. */
export interface UserRecord {
  readonly id: string;
  readonly partyId: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly UserRole[];
  readonly passwordHash: string;
  readonly totpSecret: string | null;
  readonly totpPendingSecret: string | null;
  readonly totpLastStep: number | null;
  readonly failedLogins: number;
  readonly lockedUntil: string | null;
  readonly lastLoginAt: string | null;
  readonly createdAt: string;
  readonly disabledAt: string | null;
  /** The password is one an admin or operator chose: the person must set their own before anything else. */
  readonly mustChangePassword: boolean;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the token. */
  readonly id: string;
  readonly userId: string;
  readonly partyId: string;
  readonly csrfTokenHash: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastSeenAt: string;
  readonly revokedAt: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** The columns of an API key this module adds and reads (the key itself belongs to the parties module). */

export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** False when the email is taken. */
  async insertUser(user: UserRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('users')
      .values({
        id: user.id,
        party_id: user.partyId,
        email: user.email,
        name: user.name,
        roles: JSON.stringify(user.roles),
        password_hash: user.passwordHash,
        totp_secret: user.totpSecret,
        totp_pending_secret: user.totpPendingSecret,
        totp_last_step: user.totpLastStep,
        failed_logins: user.failedLogins,
        locked_until: user.lockedUntil,
        last_login_at: user.lastLoginAt,
        created_at: user.createdAt,
        disabled_at: user.disabledAt,
        must_change_password: user.mustChangePassword ? 1 : 0,
      })
      .onConflict((conflict) => conflict.column('email').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async findUser(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toUserRecord(row);
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row === undefined ? undefined : toUserRecord(row);
  }

  async listUsers(partyId: string): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('party_id', '=', partyId).orderBy('email').execute();
    return rows.map(toUserRecord);
  }

  /**
   * Counts a failed login in one statement, so that concurrent attempts all count; the one reaching `threshold`
   * locks the account until `lockUntil` and starts the count again. Returns the lock now in force, if any.
   */
  async recordFailedLogin(id: string, threshold: number, lockUntil: string): Promise<string | null> {
    const row = await this.db
      .updateTable('users')
      .set(failureCount('users', threshold, lockUntil))
      .where('id', '=', id)
      .returning('locked_until')
      .executeTakeFirst();
    return row?.locked_until ?? null;
  }

  /** The lockout of an email without an account, as an account's locked_until. */
  async findEmailLock(emailHash: string): Promise<string | null> {
    const row = await this.db.selectFrom('login_failures').select('locked_until').where('email_hash', '=', emailHash).executeTakeFirst();
    return row?.locked_until ?? null;
  }

  /** recordFailedLogin for an email without an account: the same count, the same lock. */
  async recordEmailFailure(emailHash: string, threshold: number, lockUntil: string, at: string): Promise<string | null> {
    const first = threshold <= 1;
    const row = await this.db
      .insertInto('login_failures')
      .values({ email_hash: emailHash, failed_logins: first ? 0 : 1, locked_until: first ? lockUntil : null, updated_at: at })
      .onConflict((conflict) =>
        conflict.column('email_hash').doUpdateSet({ ...failureCount('login_failures', threshold, lockUntil), updated_at: at }),
      )
      .returning('locked_until')
      .executeTakeFirst();
    return row?.locked_until ?? null;
  }

  /** Forgets failures with unknown emails last seen before `before` whose lock (if any) has run out. */
  async deleteEmailFailuresBefore(before: string, now: string): Promise<number> {
    const result = await this.db
      .deleteFrom('login_failures')
      .where('updated_at', '<', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async recordLogin(id: string, at: string): Promise<void> {
    await this.db.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: at }).where('id', '=', id).execute();
  }

  async unlockUser(id: string): Promise<void> {
    await this.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
  }

  /** A new password; `mustChange` when someone other than the person chose it. */
  async setPasswordHash(id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, must_change_password: mustChange ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  /** True when the account was enabled and is now disabled. */
  async disableUser(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('users').set({ disabled_at: at }).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Takes a TOTP step for the user; false when that step (or a later one) was already used, so a code works once. */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setPendingTotp(id: string, secret: string): Promise<void> {
    await this.db.updateTable('users').set({ totp_pending_secret: secret }).where('id', '=', id).execute();
  }

  /** Turns the pending secret on, if it is still the one the code was checked against. */
  async confirmTotp(id: string, pendingSecret: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ totp_secret: pendingSecret, totp_pending_secret: null, totp_last_step: step })
      .where('id', '=', id)
      .where('totp_pending_secret', '=', pendingSecret)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async clearTotp(id: string): Promise<void> {
    await this.db.updateTable('users').set({ totp_secret: null, totp_pending_secret: null, totp_last_step: null }).where('id', '=', id).execute();
  }

  async insertSession(session: SessionRecord): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: session.id,
        user_id: session.userId,
        party_id: session.partyId,
        csrf_token_hash: session.csrfTokenHash,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        last_seen_at: session.lastSeenAt,
        revoked_at: session.revokedAt,
        ip: session.ip,
        user_agent: session.userAgent,
      })
      .execute();
  }

  /** A session with its user, by the token's hash. */
  async findSession(id: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select([
        'sessions.id as session_id',
        'sessions.party_id as session_party_id',
        'sessions.csrf_token_hash',
        'sessions.created_at as session_created_at',
        'sessions.expires_at as session_expires_at',
        'sessions.last_seen_at as session_last_seen_at',
        'sessions.revoked_at as session_revoked_at',
        'sessions.ip as session_ip',
        'sessions.user_agent as session_user_agent',
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      session: {
        id: row.session_id,
        userId: row.id,
        partyId: row.session_party_id,
        csrfTokenHash: row.csrf_token_hash,
        createdAt: row.session_created_at,
        expiresAt: row.session_expires_at,
        lastSeenAt: row.session_last_seen_at,
        revokedAt: row.session_revoked_at,
        ip: row.session_ip,
        userAgent: row.session_user_agent,
      },
      user: toUserRecord(row),
    };
  }

  /** Slides a live session's expiry. */
  async touchSession(id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async revokeSession(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Ends the user's live sessions, except the one `keep` names (the session the person changed their password in). */
  async revokeUserSessions(userId: string, at: string, keep?: string): Promise<number> {
    let query = this.db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null);
    if (keep !== undefined) query = query.where('id', '<>', keep);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Forgets sessions that ended before `before`. */
  async deleteSessionsExpiredBefore(before: string): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

}

/**
 * The counter update of one more failed login on `table` (an account or an email without one): the failure that
 * reaches `threshold` locks until `lockUntil` and starts the count again.
 */
function failureCount(table: 'users' | 'login_failures', threshold: number, lockUntil: string) {
  const failedLogins = sql.ref(`${table}.failed_logins`);
  const reachesThreshold = sql<boolean>`${failedLogins} + 1 >= ${threshold}`;
  return {
    failed_logins: sql<number>`case when ${reachesThreshold} then 0 else ${failedLogins} + 1 end`,
    locked_until: sql<string | null>`case when ${reachesThreshold} then ${lockUntil} else ${sql.ref(`${table}.locked_until`)} end`,
  };
}

function toUserRecord(row: Selectable<UserTable>): UserRecord {
  return {
    id: row.id,
    partyId: row.party_id,
    email: row.email,
    name: row.name,
    roles: JSON.parse(row.roles) as UserRole[],
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpPendingSecret: row.totp_pending_secret,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    failedLogins: Number(row.failed_logins),
    lockedUntil: row.locked_until,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    mustChangePassword: Number(row.must_change_password) === 1,
  };
}

