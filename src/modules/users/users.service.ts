import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { KouanError, type FieldError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { KeyTermsRecord, Party, PartiesService, Principal } from '../parties/index.js';
import { generateTotpSecret, matchTotp, otpauthUrl } from './totp.js';
import type { SessionRecord, UserRecord, UsersRepository } from './users.repository.js';
import { KEY_SCOPES, SCOPES_BY_KIND, USER_ROLES, type ApiKey, type Caller, type IssuedApiKey, type KeyScope, type TotpEnrolment, type User, type UserRole } from './users.schema.js';
import { managesParty } from '../policies/index.js';

/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 8 * 3_600_000;
/** ...and this long after login whatever happens, so a stolen cookie does not live for ever. */
export const SESSION_MAX_MS = 24 * 3_600_000;
/** Sliding the expiry is a write; requests closer together than this do not move it. */
const SESSION_TOUCH_MS = 60_000;
/** Ended sessions are kept this long (for who-was-logged-in questions), then deleted by pruneSessions. */
const SESSION_RETENTION_MS = 30 * 24 * 3_600_000;

/** Consecutive failed logins (wrong password or wrong one-time code) that lock an account... */
export const LOCKOUT_THRESHOLD = 5;
/** ...for this long. */
export const LOCKOUT_MS = 15 * 60_000;

/** How long a rotated API key keeps working beside its replacement, unless the caller says otherwise. */
export const KEY_ROTATION_GRACE_MS = 24 * 3_600_000;

export const PASSWORD_MIN_CHARACTERS = 12;
const PASSWORD_MAX_CHARACTERS = 256;
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** How passwords are hashed and checked: argon2id. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Throws when the hash does not parse. */
  verify(passwordHash: string, password: string): Promise<boolean>;
}

const ARGON2: PasswordHasher = { hash: (password) => hash(password), verify: (passwordHash, password) => verify(passwordHash, password) };

export interface UsersOptions {
  /** Milliseconds since the epoch; tests move it instead of waiting. */
  readonly clock?: () => number;
  /** argon2 by default; tests count the verifications, which is how much work a login does. */
  readonly passwords?: PasswordHasher;
  /** The name authenticator apps show next to the account. */
  readonly totpIssuer?: string;
}

export interface NewUserInput {
  readonly partyId?: string | undefined;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly password: string;
  /**
   * Whether the person must choose their own password at first sign-in: true unless told otherwise, since the
   * password is one the admin or operator chose. False only where the person chose it (fixtures of people past
   * their first sign-in, accounts carried over from another system).
   */
  readonly mustChangePassword?: boolean | undefined;
}

export interface LoginInput {
  readonly email: string;
  readonly password: string;
  readonly totp?: string | undefined;
  readonly ip?: string | undefined;
  readonly userAgent?: string | undefined;
}

/** What a login gives: the session token (for the cookie, shown once), the CSRF token, and who logged in. */
export interface LoginResult {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly user: User;
}

/** The principal of a portal session: a party's principal plus the person acting for it. */
export type SessionPrincipal = Principal & { readonly userId: string; readonly userRoles: readonly UserRole[] };

export interface AuthenticatedSession {
  readonly principal: SessionPrincipal;
  readonly user: User;
  readonly session: { readonly id: string; readonly csrfTokenHash: string; readonly createdAt: string; readonly expiresAt: string };
  /** The session's CSRF token, derived from the session token, for GET /session to hand back after a reload. */
  readonly csrfToken: string;
}

export interface NewKeyInput {
  readonly partyId?: string | undefined;
  readonly label?: string | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly expiresAt?: string | undefined;
}

/** Whether an API key may be used at `nowMs`: not revoked and not past its expiry. */
export function isKeyUsable(record: { readonly revokedAt: string | null; readonly expiresAt: string | null }, nowMs: number): boolean {
  return record.revokedAt === null && (record.expiresAt === null || Date.parse(record.expiresAt) > nowMs);
}

export class UsersService {
  private readonly clock: () => number;
  private readonly totpIssuer: string;
  private dummyHash: Promise<string> | undefined;
  private readonly passwords: PasswordHasher;

  constructor(
    private readonly repository: UsersRepository,
    private readonly parties: PartiesService,
    options: UsersOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.passwords = options.passwords ?? ARGON2;
    this.totpIssuer = options.totpIssuer ?? 'Kouan';
  }

  // ---------------------------------------------------------------- users

  /** Adds a person to a party; by the party's admin or an operator of its tenant. */
  async createUser(caller: Caller, input: NewUserInput): Promise<User> {
    const party = await this.managedParty(caller, input.partyId ?? caller.partyId);
    const email = normaliseEmail(input.email);
    const errors: FieldError[] = [];
    if (email.length > 254 || !EMAIL.test(email)) errors.push({ path: '$.email', code: 'FIELD_FORMAT', params: { format: 'an email address' } });
    const name = input.name.trim();
    if (name === '' || name.length > 255) errors.push({ path: '$.name', code: 'FIELD_RANGE', params: { limit: '1 to 255 characters' } });
    const allowed = allowedRoles(party);
    if (input.roles.length === 0) errors.push({ path: '$.roles', code: 'FIELD_ITEMS', params: { limit: 'at least 1' } });
    input.roles.forEach((role, index) => {
      if (!allowed.includes(role as UserRole)) errors.push({ path: `$.roles[${index}]`, code: 'FIELD_NOT_ALLOWED', params: { allowed: allowed.join(', ') } });
    });
    errors.push(...passwordProblems(input.password, email));
    if (errors.length > 0) throw new KouanError('USER_INVALID', { errors });

    const record: UserRecord = {
      id: newId('usr', this.clock()),
      partyId: party.id,
      email,
      name,
      roles: [...new Set(input.roles as UserRole[])],
      passwordHash: await this.passwords.hash(input.password),
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: null,
      failedLogins: 0,
      lockedUntil: null,
      lastLoginAt: null,
      createdAt: this.nowIso(),
      disabledAt: null,
      mustChangePassword: input.mustChangePassword ?? true,
    };
    if (!(await this.repository.insertUser(record))) throw new KouanError('USER_EXISTS', { params: { email } });
    return this.present(record);
  }

  /** The party's users, for its admin or an operator of its tenant. */
  async listUsers(caller: Caller, partyId?: string): Promise<User[]> {
    const party = await this.managedParty(caller, partyId ?? caller.partyId);
    return (await this.repository.listUsers(party.id)).map((user) => this.present(user));
  }

  /** The user behind a portal session. */
  async me(caller: Caller): Promise<User> {
    return this.present(await this.sessionUser(caller));
  }

  /** Disables a user for good and ends their sessions; their history stays. */
  async disableUser(caller: Caller, userId: string): Promise<User> {
    const user = await this.managedUser(caller, userId);
    // An admin locking themselves out is a mistake; another admin or an operator can do it.
    if (caller.userId === user.id) throw new KouanError('FORBIDDEN');
    const at = this.nowIso();
    await this.repository.disableUser(user.id, at);
    await this.repository.revokeUserSessions(user.id, at);
    return this.present(await this.requireUser(user.id));
  }

  /** Lifts a lockout before it runs out. */
  async unlockUser(caller: Caller, userId: string): Promise<User> {
    const user = await this.managedUser(caller, userId);
    await this.repository.unlockUser(user.id);
    return this.present(await this.requireUser(user.id));
  }

  /**
   * Sets a new password and ends the user's sessions. Users changing their own give the current one (a wrong
   * one counts as a failed login); an admin or operator resets another user's, which also lifts a lockout and
   * makes the person choose their own at the next sign-in.
   */
  async setPassword(caller: Caller, userId: string, password: string, currentPassword?: string): Promise<User> {
    const self = caller.userId !== undefined && caller.userId === userId;
    if (self) return this.changeOwnPassword(caller, currentPassword ?? '', password);
    const user = await this.managedUser(caller, userId);
    const errors = passwordProblems(password, user.email);
    if (errors.length > 0) throw new KouanError('USER_INVALID', { errors });
    await this.repository.setPasswordHash(user.id, await this.passwords.hash(password), true);
    await this.repository.revokeUserSessions(user.id, this.nowIso());
    return this.present(await this.requireUser(user.id));
  }

  /**
   * The session's user chooses a new password, showing the current one (a wrong one counts as a failed login).
   * It is theirs, so a pending forced change is done. Their other sessions end; the one named by `keepSession`
   * (the session token the change was made in) goes on, so the person is not signed out by doing what was asked.
   */
  async changeOwnPassword(caller: Caller, currentPassword: string, password: string, keepSession?: string): Promise<User> {
    const user = await this.sessionUser(caller);
    if (!(await this.verifyPassword(user.passwordHash, currentPassword))) {
      await this.countFailure(user);
      throw new KouanError('USER_INVALID', { errors: [{ path: '$.currentPassword', code: 'PASSWORD_CURRENT_WRONG' }] });
    }
    const errors = passwordProblems(password, user.email);
    if (errors.length === 0 && password === currentPassword) errors.push({ path: '$.password', code: 'PASSWORD_UNCHANGED' });
    if (errors.length > 0) throw new KouanError('USER_INVALID', { errors });
    await this.repository.setPasswordHash(user.id, await this.passwords.hash(password), false);
    const kept = keepSession !== undefined && SESSION_TOKEN.test(keepSession) ? sha256(keepSession) : undefined;
    await this.repository.revokeUserSessions(user.id, this.nowIso(), kept);
    return this.present(await this.requireUser(user.id));
  }

  // ---------------------------------------------------------------- login and sessions

  /**
   * Logs a person in. Unknown email, wrong password and disabled account all give LOGIN_FAILED, after the same
   * argon2 work; an unknown email is counted and locked as an account is (429 LOGIN_LOCKED after the same number
   * of failures, for as long), so that neither the answers, their headers nor their timing tell which addresses exist.
   */
  async login(input: LoginInput): Promise<LoginResult> {
    const email = normaliseEmail(input.email);
    const user = EMAIL.test(email) ? await this.repository.findUserByEmail(email) : undefined;
    this.throwIfLocked(user === undefined ? await this.repository.findEmailLock(sha256(email)) : user.lockedUntil, this.clock());

    const passwordMatches = await this.verifyPassword(user?.passwordHash ?? (await this.dummyPasswordHash()), input.password);
    if (user === undefined) {
      await this.countEmailFailure(email);
      throw new KouanError('LOGIN_FAILED');
    }
    if (!passwordMatches) await this.countFailure(user);
    if (!passwordMatches || user.disabledAt !== null) throw new KouanError('LOGIN_FAILED');

    if (user.totpSecret !== null) {
      const code = input.totp?.replace(/\s/g, '') ?? '';
      if (code === '') throw new KouanError('TOTP_REQUIRED');
      const step = matchTotp(user.totpSecret, code, this.clock(), user.totpLastStep);
      if (step === undefined || !(await this.repository.claimTotpStep(user.id, step))) {
        await this.countFailure(user);
        throw new KouanError('TOTP_INVALID');
      }
    }

    const now = this.clock();
    const token = randomBytes(32).toString('base64url');
    const csrfToken = csrfTokenFor(token);
    const session: SessionRecord = {
      id: sha256(token),
      userId: user.id,
      partyId: user.partyId,
      csrfTokenHash: sha256(csrfToken),
      createdAt: iso(now),
      expiresAt: iso(now + Math.min(SESSION_IDLE_MS, SESSION_MAX_MS)),
      lastSeenAt: iso(now),
      revokedAt: null,
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    };
    await this.repository.insertSession(session);
    await this.repository.recordLogin(user.id, session.createdAt);
    return { token, csrfToken, expiresAt: session.expiresAt, user: this.present({ ...user, failedLogins: 0, lockedUntil: null, lastLoginAt: session.createdAt }) };
  }

  /**
   * The principal behind a session token, sliding its idle expiry; undefined when the token is malformed or
   * unknown, the session revoked or expired, or the user disabled or locked out.
   */
  async authenticateSession(token: string): Promise<AuthenticatedSession | undefined> {
    if (!SESSION_TOKEN.test(token)) return undefined;
    // Looked up by the token's SHA-256: timing of the index lookup says nothing about the token itself.
    const found = await this.repository.findSession(sha256(token));
    if (found === undefined) return undefined;
    const { session, user } = found;
    const now = this.clock();
    if (session.revokedAt !== null || Date.parse(session.expiresAt) <= now) return undefined;
    if (user.disabledAt !== null || remainingMs(user.lockedUntil, now) > 0) return undefined;

    let expiresAt = session.expiresAt;
    if (now - Date.parse(session.lastSeenAt) >= SESSION_TOUCH_MS) {
      expiresAt = iso(Math.min(now + SESSION_IDLE_MS, Date.parse(session.createdAt) + SESSION_MAX_MS));
      await this.repository.touchSession(session.id, iso(now), expiresAt);
    }
    const party = await this.parties.getParty(user.partyId);
    return {
      principal: sessionPrincipal(party, user),
      user: this.present(user),
      session: { id: session.id, csrfTokenHash: session.csrfTokenHash, createdAt: session.createdAt, expiresAt },
      csrfToken: csrfTokenFor(token),
    };
  }

  /**
   * Why authenticateSession refused a token, so that a 401 says so (issue 11): `expired` past its idle or absolute
   * lifetime; `ended` by logout, a password reset, or the user disabled or locked; `unknown` when no session of
   * this store has it (another server's cookie, a store reset, a forged value).
   */
  async sessionRefusal(token: string): Promise<'expired' | 'ended' | 'unknown'> {
    if (!SESSION_TOKEN.test(token)) return 'unknown';
    const found = await this.repository.findSession(sha256(token));
    if (found === undefined) return 'unknown';
    const now = this.clock();
    if (found.session.revokedAt !== null || found.user.disabledAt !== null || remainingMs(found.user.lockedUntil, now) > 0) return 'ended';
    return Date.parse(found.session.expiresAt) <= now ? 'expired' : 'ended';
  }

  /** Ends a session; false when the token named no live session. */
  async logout(token: string): Promise<boolean> {
    if (!SESSION_TOKEN.test(token)) return false;
    return this.repository.revokeSession(sha256(token), this.nowIso());
  }

  /** Whether a request's X-CSRF-Token header is the session's CSRF token, compared in constant time. */
  checkCsrf(session: { readonly csrfTokenHash: string }, headerValue: string | undefined): boolean {
    if (headerValue === undefined || headerValue === '') return false;
    const expected = Buffer.from(session.csrfTokenHash, 'hex');
    const actual = Buffer.from(sha256(headerValue), 'hex');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /**
   * Deletes sessions that ended more than the retention period ago, and failures of unknown emails as old (an
   * account keeps its count longer; waiting a month to learn that an address has none is not worth guarding);
   * returns how many sessions.
   */
  async pruneSessions(): Promise<number> {
    const now = this.clock();
    await this.repository.deleteEmailFailuresBefore(iso(now - SESSION_RETENTION_MS), iso(now));
    return this.repository.deleteSessionsExpiredBefore(iso(now - SESSION_RETENTION_MS));
  }

  // ---------------------------------------------------------------- second factor

  /** Starts TOTP enrolment for the session's user: a new secret, on once confirmTotp sees a code from it. */
  async enableTotp(caller: Caller): Promise<TotpEnrolment> {
    const user = await this.sessionUser(caller);
    if (user.totpSecret !== null) throw new KouanError('TOTP_ALREADY_ENABLED');
    const secret = generateTotpSecret();
    await this.repository.setPendingTotp(user.id, secret);
    return { secret, otpauthUrl: otpauthUrl(secret, user.email, this.totpIssuer) };
  }

  /** Turns the second factor on once the user shows a code from the enrolled secret. */
  async confirmTotp(caller: Caller, code: string): Promise<User> {
    const user = await this.sessionUser(caller);
    if (user.totpPendingSecret === null) throw new KouanError('TOTP_NOT_PENDING');
    const step = matchTotp(user.totpPendingSecret, code.replace(/\s/g, ''), this.clock(), null);
    if (step === undefined) throw new KouanError('USER_INVALID', { errors: [{ path: '$.code', code: 'TOTP_CODE_WRONG' }] });
    if (!(await this.repository.confirmTotp(user.id, user.totpPendingSecret, step))) throw new KouanError('TOTP_NOT_PENDING');
    return this.present(await this.requireUser(user.id));
  }

  /**
   * Turns the second factor off. Users doing it for themselves show a current code (so a borrowed session
   * cannot strip it); an admin or operator resets it for a user who lost their device.
   */
  async disableTotp(caller: Caller, userId: string, code?: string): Promise<User> {
    const self = caller.userId !== undefined && caller.userId === userId;
    const user = self ? await this.sessionUser(caller) : await this.managedUser(caller, userId);
    if (self && user.totpSecret !== null) {
      const step = matchTotp(user.totpSecret, (code ?? '').replace(/\s/g, ''), this.clock(), user.totpLastStep);
      if (step === undefined || !(await this.repository.claimTotpStep(user.id, step))) {
        throw new KouanError('USER_INVALID', { errors: [{ path: '$.code', code: 'TOTP_CODE_WRONG' }] });
      }
    }
    await this.repository.clearTotp(user.id);
    return this.present(await this.requireUser(user.id));
  }

  // ---------------------------------------------------------------- API keys

  /**
   * Issues an API key limited to `scopes` (all the party's rights when omitted) until `expiresAt` (no expiry
   * when omitted). The secret is in the answer only.
   */
  async createKey(caller: Caller, input: NewKeyInput): Promise<IssuedApiKey> {
    const party = await this.managedParty(caller, input.partyId ?? caller.partyId);
    const errors: FieldError[] = [];
    const allowed = SCOPES_BY_KIND[party.kind];
    (input.scopes ?? []).forEach((scope, index) => {
      if (!allowed.includes(scope as KeyScope)) errors.push({ path: `$.scopes[${index}]`, code: 'FIELD_NOT_ALLOWED', params: { allowed: allowed.join(', ') } });
    });
    if (input.scopes?.length === 0) errors.push({ path: '$.scopes', code: 'FIELD_ITEMS', params: { limit: 'at least 1, or leave scopes out' } });
    let expiresAt: string | null = null;
    if (input.expiresAt !== undefined) {
      const when = Date.parse(input.expiresAt);
      if (Number.isNaN(when)) errors.push({ path: '$.expiresAt', code: 'FIELD_FORMAT', params: { format: 'date-time' } });
      else if (when <= this.clock()) errors.push({ path: '$.expiresAt', code: 'FIELD_RANGE', params: { limit: 'in the future' } });
      else expiresAt = iso(when);
    }
    if (input.label !== undefined && input.label.length > 255) errors.push({ path: '$.label', code: 'FIELD_RANGE', params: { limit: 'at most 255 characters' } });
    if (errors.length > 0) throw new KouanError('KEY_INVALID', { errors });
    const scopes = input.scopes === undefined ? null : KEY_SCOPES.filter((scope) => input.scopes?.includes(scope));
    return this.issueKey(party.id, input.label ?? null, { scopes, expiresAt, rotatedFrom: null });
  }

  /**
   * Replaces a key with a new one of the same label, scopes and lifetime; the old one keeps working for the
   * grace period (24 h unless told) so that clients can switch over, then expires.
   */
  async rotateKey(caller: Caller, keyId: string, options: { graceMs?: number | undefined } = {}): Promise<IssuedApiKey> {
    const old = await this.managedKey(caller, keyId);
    const now = this.clock();
    if (!isKeyUsable(old, now)) throw new KouanError('KEY_NOT_USABLE', { params: { id: old.id } });
    const lifetime = old.expiresAt === null ? undefined : Date.parse(old.expiresAt) - Date.parse(old.createdAt);
    const issued = await this.issueKey(old.partyId, old.label, { scopes: old.scopes, expiresAt: lifetime === undefined ? null : iso(now + lifetime), rotatedFrom: old.id });
    await this.parties.shortenKeyExpiry(old.id, iso(now + Math.max(0, options.graceMs ?? KEY_ROTATION_GRACE_MS)));
    return issued;
  }

  /** Revokes a key at once. */
  async revokeKey(caller: Caller, keyId: string): Promise<ApiKey> {
    const key = await this.managedKey(caller, keyId);
    if (key.revokedAt === null) await this.parties.revokeKey(key.id);
    return toApiKey(await this.requireKey(key.id));
  }

  /** The party's keys with their scopes and expiry (never their secrets). */
  async listKeys(caller: Caller, partyId?: string): Promise<ApiKey[]> {
    const party = await this.managedParty(caller, partyId ?? caller.partyId);
    return (await this.parties.keyTermsOf(party.id)).map(toApiKey);
  }

  /**
   * The principal behind an API key, honouring expiry and carrying its scopes; undefined when the key is not
   * usable. (PartiesService.authenticate checks the secret and revocation; this adds this module's columns.)
   */
  async authenticateKey(token: string): Promise<(Principal & { readonly scopes?: readonly string[] | undefined }) | undefined> {
    const principal = await this.parties.authenticate(token);
    if (principal === undefined) return undefined;
    const terms = await this.parties.keyTerms(principal.keyId);
    if (terms === undefined || !isKeyUsable(terms, this.clock())) return undefined;
    return terms.scopes === null ? principal : { ...principal, scopes: terms.scopes };
  }

  // ---------------------------------------------------------------- helpers

  private async issueKey(partyId: string, label: string | null, terms: { scopes: readonly KeyScope[] | null; expiresAt: string | null; rotatedFrom: string | null }): Promise<IssuedApiKey> {
    const created = await this.parties.createKey(partyId, label ?? undefined, terms);
    return { key: created.key, apiKey: toApiKey(await this.requireKey(created.id)) };
  }

  /** The party, when the caller may manage its users and keys. */
  private async managedParty(caller: Caller, partyId: string): Promise<Party> {
    // Answer FORBIDDEN before looking the party up, so that non-operators learn nothing about other parties.
    if (!managesParty(caller, partyId)) throw new KouanError('FORBIDDEN');
    const party = await this.parties.getParty(partyId);
    if (!managesParty(caller, partyId, party)) throw new KouanError('FORBIDDEN');
    return party;
  }

  /** A user the caller may manage; USER_UNKNOWN also when the user belongs to a party the caller cannot see. */
  private async managedUser(caller: Caller, userId: string): Promise<UserRecord> {
    const user = await this.repository.findUser(userId);
    if (user === undefined) throw new KouanError('USER_UNKNOWN', { params: { id: userId } });
    try {
      await this.managedParty(caller, user.partyId);
    } catch (error) {
      if (error instanceof KouanError && error.code === 'FORBIDDEN' && caller.partyId !== user.partyId) throw new KouanError('USER_UNKNOWN', { params: { id: userId } });
      throw error;
    }
    return user;
  }

  private async managedKey(caller: Caller, keyId: string): Promise<KeyTermsRecord> {
    const key = await this.parties.keyTerms(keyId);
    if (key === undefined) throw new KouanError('NOT_FOUND');
    try {
      await this.managedParty(caller, key.partyId);
    } catch (error) {
      if (error instanceof KouanError && error.code === 'FORBIDDEN' && caller.partyId !== key.partyId) throw new KouanError('NOT_FOUND');
      throw error;
    }
    return key;
  }

  /** The user of a portal session; API keys have no user. */
  private async sessionUser(caller: Caller): Promise<UserRecord> {
    if (caller.userId === undefined) throw new KouanError('SESSION_REQUIRED');
    return this.requireUser(caller.userId);
  }

  private async requireUser(id: string): Promise<UserRecord> {
    const user = await this.repository.findUser(id);
    if (user === undefined) throw new KouanError('USER_UNKNOWN', { params: { id } });
    return user;
  }

  private async requireKey(id: string): Promise<KeyTermsRecord> {
    const key = await this.parties.keyTerms(id);
    if (key === undefined) throw new KouanError('NOT_FOUND');
    return key;
  }

  /** Counts a failure; the one that reaches the threshold answers LOGIN_LOCKED instead of LOGIN_FAILED. */
  private async countFailure(user: UserRecord): Promise<void> {
    const now = this.clock();
    this.throwIfLocked(await this.repository.recordFailedLogin(user.id, LOCKOUT_THRESHOLD, iso(now + LOCKOUT_MS)), now);
  }

  /** countFailure for an email without an account. */
  private async countEmailFailure(email: string): Promise<void> {
    const now = this.clock();
    this.throwIfLocked(await this.repository.recordEmailFailure(sha256(email), LOCKOUT_THRESHOLD, iso(now + LOCKOUT_MS), iso(now)), now);
  }

  private throwIfLocked(lockedUntil: string | null, now: number): void {
    const lockedFor = remainingMs(lockedUntil, now);
    if (lockedFor > 0) throw lockedError(lockedFor);
  }

  /** A hash of a random password, made once, for logins with an unknown email to spend the same argon2 time on. */
  private dummyPasswordHash(): Promise<string> {
    this.dummyHash ??= this.passwords.hash(randomBytes(18).toString('base64url'));
    return this.dummyHash;
  }

  private async verifyPassword(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await this.passwords.verify(passwordHash, password);
    } catch {
      // A hash that does not parse matches nothing.
      return false;
    }
  }

  private present(record: UserRecord): User {
    return toUser(record, this.clock());
  }

  private nowIso(): string {
    return iso(this.clock());
  }
}

function allowedRoles(party: Party): UserRole[] {
  return USER_ROLES.filter((role) => role === 'admin' || party.roles.includes(role));
}

function sessionPrincipal(party: Party, user: UserRecord): SessionPrincipal {
  return {
    partyId: party.id,
    tenant: party.tenant,
    kind: party.kind,
    // A person acts with those of the party's roles they were given.
    roles: party.roles.filter((role) => user.roles.includes(role)),
    // Sessions have no API key; the user id stands in wherever a credential id is recorded.
    keyId: user.id,
    userId: user.id,
    userRoles: user.roles,
  };
}

function passwordProblems(password: string, email: string): FieldError[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN_CHARACTERS) return [{ path: '$.password', code: 'PASSWORD_TOO_SHORT', params: { min: PASSWORD_MIN_CHARACTERS } }];
  if (length > PASSWORD_MAX_CHARACTERS) return [{ path: '$.password', code: 'FIELD_RANGE', params: { limit: `at most ${PASSWORD_MAX_CHARACTERS} characters` } }];
  const lower = password.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  if (lower === email || (local.length >= 4 && lower === local)) return [{ path: '$.password', code: 'PASSWORD_IS_EMAIL' }];
  return [];
}


function lockedError(remaining: number): KouanError {
  // `seconds` as RATE_LIMITED has it: the problem mapper sends it as Retry-After.
  const seconds = Math.ceil(remaining / 1000);
  return new KouanError('LOGIN_LOCKED', { params: { seconds }, extra: { retryAfter: seconds } });
}

function remainingMs(until: string | null, now: number): number {
  return until === null ? 0 : Math.max(0, Date.parse(until) - now);
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A user as shown; a lockout that has run out is not shown. */
function toUser(record: UserRecord, now: number): User {
  return {
    id: record.id,
    party: record.partyId,
    email: record.email,
    name: record.name,
    roles: [...record.roles],
    totp: record.totpSecret !== null,
    createdAt: record.createdAt,
    lastLoginAt: record.lastLoginAt,
    lockedUntil: remainingMs(record.lockedUntil, now) > 0 ? record.lockedUntil : null,
    disabledAt: record.disabledAt,
    mustChangePassword: record.mustChangePassword,
  };
}

function toApiKey(record: KeyTermsRecord): ApiKey {
  return {
    id: record.id,
    party: record.partyId,
    label: record.label,
    scopes: record.scopes === null ? null : [...record.scopes],
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    rotatedFrom: record.rotatedFrom,
  };
}

/** The CSRF token of a session: bound to its token, so it can be handed out again without being stored. */
function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('kouan csrf v1').digest('base64url');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
