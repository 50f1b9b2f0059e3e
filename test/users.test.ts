/** People, portal sessions, the second factor and API key scopes/expiry/rotation, on both stores. */
import { createHash } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import { hash, verify } from '@node-rs/argon2';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendProblem, toKouanError } from '../src/http/problem.js';
import { csrfHeader, SESSION_COOKIE, sessionCookieOptions, sessionRoutes } from '../src/http/routes/session.routes.js';
import { keysRoutes, usersRoutes } from '../src/http/routes/users.routes.js';
import { createPartiesModule, type PartiesService, type Principal } from '../src/modules/parties/index.js';
import {
  createUsersModule,
  isKeyUsable,
  LOCKOUT_MS,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  totpCode,
  type Caller,
  type PasswordHasher,
  type UsersService,
} from '../src/modules/users/index.js';
import { KouanError } from '../src/shared/errors.js';
import { up } from '../src/store/migrations/0006-users.js';
import { knownMigrations, openStore, type Store } from '../src/store/store.js';
import { BROKER, IMPORTER } from './support/fixtures.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';
import { hasScope } from '../src/modules/policies/index.js';

const kinds = await storeKinds();

const HOUR = 3_600_000;
const PASSWORD = 'correct horse battery staple';
const OPERATOR: Principal = { partyId: 'ops', tenant: 'central', kind: 'operator', roles: ['operator'], keyId: 'key_ops' };
const OTHER_TENANT_OPERATOR: Principal = { partyId: 'sz-ops', tenant: 'shenzhen', kind: 'operator', roles: ['operator'], keyId: 'key_sz' };

const problem = async (work: Promise<unknown>): Promise<KouanError> => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KouanError);
  return error as KouanError;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Real argon2, counting its verifications: how much work a login does, without timing it. */
const verifications = { count: 0 };
const countingArgon2: PasswordHasher = {
  hash: (password) => hash(password),
  verify: (passwordHash, password) => {
    verifications.count += 1;
    return verify(passwordHash, password);
  },
};
/** How many argon2 verifications the work makes, and how it ends. */
const verificationsOf = async (work: () => Promise<unknown>) => {
  const before = verifications.count;
  const error = await work().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error: error as KouanError | undefined, verifications: verifications.count - before };
};

describe.each(kinds)('users on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let parties: PartiesService;
  let users: UsersService;
  // The service's clock: tests move it instead of waiting. Each test starts at the real time because the
  // parties module stamps keys' created_at from the real clock, and rotation keeps a key's lifetime from it.
  let now = Date.now();
  let sequence = 0;

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config);
    // Until 0006-users is registered in the store's migrations, apply it here.
    if (!knownMigrations().includes('0006-users')) await up(store.db, store.dialect);
    parties = createPartiesModule(store.db, 'central');
    users = createUsersModule(store.db, parties, { clock: () => now, passwords: countingArgon2 });
    await parties.seedAgencies();
    await parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Example Customs Broker', roles: ['declarant', 'broker'] });
    await parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Example Importer' });
    await parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    await parties.createTenant({ id: 'shenzhen', name: 'Shenzhen e-port' });
    await parties.createParty({ id: 'sz-ops', kind: 'operator', name: 'Shenzhen operations', tenant: 'shenzhen' });
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });
  beforeEach(() => {
    now = Date.now();
  });

  const email = (name: string) => `${name}.${(sequence += 1)}@example.cn`;
  const newUser = (partyId: string, roles: string[], caller: Caller = OPERATOR) =>
    users.createUser(caller, { partyId, email: email(roles.join('-')), name: 'Li Wei', roles, password: PASSWORD });
  const loginAs = async (address: string, totp?: string) => {
    const result = await users.login({ email: address, password: PASSWORD, totp, ip: '203.0.113.7', userAgent: 'vitest' });
    const session = await users.authenticateSession(result.token);
    if (session === undefined) throw new Error('no session after login');
    return { ...result, principal: session.principal, session: session.session };
  };

  it('lets an operator add the first admin, the admin add people to its own party, and nobody else', async () => {
    const admin = await newUser(BROKER, ['admin', 'declarant']);
    expect(admin).toMatchObject({ party: BROKER, roles: ['admin', 'declarant'], totp: false, disabledAt: null, lockedUntil: null, lastLoginAt: null });
    expect(admin.id).toMatch(/^usr_[0-9A-Z]{26}$/);
    const row = await store.db.selectFrom('users').selectAll().where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);

    const { principal: adminSession } = await loginAs(admin.email);
    expect(adminSession).toMatchObject({ partyId: BROKER, kind: 'enterprise', roles: ['declarant'], userId: admin.id, userRoles: ['admin', 'declarant'] });
    const declarant = await newUser(BROKER, ['declarant'], adminSession);
    expect(declarant.party).toBe(BROKER);

    const { principal: declarantSession } = await loginAs(declarant.email);
    expect((await problem(newUser(BROKER, ['declarant'], declarantSession))).code).toBe('FORBIDDEN');
    expect((await problem(newUser(IMPORTER, ['declarant'], adminSession))).code).toBe('FORBIDDEN');
    expect((await problem(newUser(BROKER, ['declarant'], OTHER_TENANT_OPERATOR))).code).toBe('FORBIDDEN');
    const readOnlyKey: Caller = { partyId: BROKER, tenant: 'central', kind: 'enterprise', scopes: ['submissions:read'] };
    expect((await problem(newUser(BROKER, ['declarant'], readOnlyKey))).code).toBe('FORBIDDEN');
    const adminKey: Caller = { partyId: BROKER, tenant: 'central', kind: 'enterprise', scopes: ['admin'] };
    expect((await newUser(BROKER, ['declarant'], adminKey)).party).toBe(BROKER);
    expect((await problem(newUser('NOPE', ['admin']))).code).toBe('PARTY_UNKNOWN');

    const again = await problem(users.createUser(OPERATOR, { partyId: BROKER, email: ` ${admin.email.toUpperCase()} `, name: 'Again', roles: ['declarant'], password: PASSWORD }));
    expect(again.code).toBe('USER_EXISTS');

    const listed = await users.listUsers(adminSession);
    expect(listed.map((user) => user.id)).toEqual(expect.arrayContaining([admin.id, declarant.id]));
    expect(listed.every((user) => user.party === BROKER)).toBe(true);
    // No hash and no password field: only the flag that the password is a temporary one.
    expect(JSON.stringify(listed).replaceAll('"mustChangePassword":', '')).not.toMatch(/argon2|password/i);
    expect((await users.listUsers(OPERATOR, BROKER)).length).toBe(listed.length);
    expect((await problem(users.listUsers(declarantSession))).code).toBe('FORBIDDEN');
    expect((await problem(users.listUsers(OTHER_TENANT_OPERATOR, BROKER))).code).toBe('FORBIDDEN');
  });

  it('checks email, name, roles and the password policy, reporting every problem at once', async () => {
    const error = await problem(users.createUser(OPERATOR, { partyId: IMPORTER, email: 'not-an-email', name: ' ', roles: ['broker', 'nonsense'], password: 'too short' }));
    expect(error.code).toBe('USER_INVALID');
    expect(error.errors.map((fieldError) => `${fieldError.path}:${fieldError.code}`)).toEqual([
      '$.email:FIELD_FORMAT',
      '$.name:FIELD_RANGE',
      '$.roles[0]:FIELD_NOT_ALLOWED',
      '$.roles[1]:FIELD_NOT_ALLOWED',
      '$.password:PASSWORD_TOO_SHORT',
    ]);
    expect(error.errors.find((fieldError) => fieldError.code === 'PASSWORD_TOO_SHORT')?.params).toEqual({ min: 12 });

    const address = 'zhang.min@example.cn';
    const sameAsEmail = await problem(users.createUser(OPERATOR, { partyId: IMPORTER, email: address, name: 'Zhang Min', roles: ['declarant'], password: 'Zhang.Min@Example.CN' }));
    expect(sameAsEmail.errors.map((fieldError) => fieldError.code)).toEqual(['PASSWORD_IS_EMAIL']);
    expect((await problem(users.createUser(OPERATOR, { partyId: IMPORTER, email: address, name: 'Zhang Min', roles: [], password: PASSWORD }))).errors[0]?.code).toBe('FIELD_ITEMS');
    // Twelve characters are enough, counted as characters rather than bytes.
    expect(await users.createUser(OPERATOR, { partyId: IMPORTER, email: address, name: 'Zhang Min', roles: ['declarant'], password: '口岸单一窗口电子口岸密码' })).toMatchObject({ email: address });
  });

  it('logs in, and answers an unknown email and a wrong password alike, after the same argon2 work', async () => {
    const user = await newUser(BROKER, ['declarant']);
    const result = await users.login({ email: ` ${user.email.toUpperCase()} `, password: PASSWORD, ip: '203.0.113.7', userAgent: 'vitest' });
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.expiresAt).toBe(new Date(now + SESSION_IDLE_MS).toISOString());
    expect(result.user).toMatchObject({ id: user.id, lastLoginAt: new Date(now).toISOString() });
    const row = await store.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.id).toBe(sha256(result.token));
    expect(row.csrf_token_hash).toBe(sha256(result.csrfToken));
    expect(row).toMatchObject({ party_id: BROKER, ip: '203.0.113.7', user_agent: 'vitest', revoked_at: null });
    expect(JSON.stringify(row)).not.toContain(result.token);

    const wrongPassword = await verificationsOf(() => users.login({ email: user.email, password: 'not the password at all' }));
    const unknownEmail = await verificationsOf(() => users.login({ email: 'nobody.here@example.cn', password: 'not the password at all' }));
    const malformedEmail = await verificationsOf(() => users.login({ email: 'not an email', password: 'not the password at all' }));
    for (const { error } of [wrongPassword, unknownEmail, malformedEmail]) {
      expect(error?.code).toBe('LOGIN_FAILED');
      expect(error?.status).toBe(401);
      expect(error?.message).toBe(wrongPassword.error?.message);
    }
    // An unknown email spends an argon2 verification too, as a wrong password does: a shortcut would spend none.
    expect([wrongPassword.verifications, unknownEmail.verifications, malformedEmail.verifications]).toEqual([1, 1, 1]);
    expect((await problem(users.login({ email: 'not an email', password: PASSWORD }))).code).toBe('LOGIN_FAILED');

    await users.disableUser(OPERATOR, user.id);
    expect((await problem(users.login({ email: user.email, password: PASSWORD }))).code).toBe('LOGIN_FAILED');
  });

  it('locks an account for 15 minutes after 5 failures in a row, then lets the right password in', async () => {
    const user = await newUser(BROKER, ['declarant']);
    const { token } = await loginAs(user.email);
    const wrong = () => users.login({ email: user.email, password: 'wrong password, again' });
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await problem(wrong())).code).toBe('LOGIN_FAILED');
    const locked = await problem(wrong());
    expect(locked.code).toBe('LOGIN_LOCKED');
    expect(locked.status).toBe(429);
    expect(locked.params).toEqual({ seconds: LOCKOUT_MS / 1000 });
    expect(locked.extra).toEqual({ retryAfter: 900 });

    // Locked: even the right password waits, and the open session stops working.
    now += 5 * 60_000;
    const stillLocked = await problem(users.login({ email: user.email, password: PASSWORD }));
    expect(stillLocked.code).toBe('LOGIN_LOCKED');
    expect(stillLocked.params.seconds).toBe(600);
    expect(await users.authenticateSession(token)).toBeUndefined();
    expect((await users.listUsers(OPERATOR, BROKER)).find((listed) => listed.id === user.id)?.lockedUntil).toEqual(expect.any(String));

    now += 10 * 60_000;
    expect(await users.authenticateSession(token)).toBeDefined();
    expect((await users.login({ email: user.email, password: PASSWORD })).user.lockedUntil).toBeNull();

    // A success starts the count again: four more failures do not lock.
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await problem(wrong())).code).toBe('LOGIN_FAILED');
    expect((await users.login({ email: user.email, password: PASSWORD })).user.id).toBe(user.id);

    // Concurrent failures all count.
    const racing = await Promise.all(Array.from({ length: 5 }, () => problem(wrong())));
    expect(racing.some((error) => error.code === 'LOGIN_LOCKED')).toBe(true);
    expect((await problem(users.login({ email: user.email, password: PASSWORD }))).code).toBe('LOGIN_LOCKED');
    const unlocked = await users.unlockUser(OPERATOR, user.id);
    expect(unlocked.lockedUntil).toBeNull();
    expect((await users.login({ email: user.email, password: PASSWORD })).user.id).toBe(user.id);
  });

  it('asks users with a second factor for a valid TOTP code, and accepts each code once', async () => {
    const user = await newUser(BROKER, ['declarant']);
    const { principal } = await loginAs(user.email);
    const enrolment = await users.enableTotp(principal);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.otpauthUrl).toContain(`otpauth://totp/Kouan%3A${encodeURIComponent(user.email)}?secret=${enrolment.secret}`);
    // Not on until confirmed.
    expect((await users.me(principal)).totp).toBe(false);
    expect((await loginAs(user.email)).user.id).toBe(user.id);

    const wrongCode = totpCode(enrolment.secret, now) === '000000' ? '111111' : '000000';
    expect((await problem(users.confirmTotp(principal, wrongCode))).errors.map((fieldError) => fieldError.code)).toEqual(['TOTP_CODE_WRONG']);
    expect((await users.confirmTotp(principal, totpCode(enrolment.secret, now))).totp).toBe(true);
    expect((await problem(users.enableTotp(principal))).code).toBe('TOTP_ALREADY_ENABLED');
    expect((await problem(users.confirmTotp(principal, totpCode(enrolment.secret, now)))).code).toBe('TOTP_NOT_PENDING');

    expect((await problem(users.login({ email: user.email, password: PASSWORD }))).code).toBe('TOTP_REQUIRED');
    expect((await problem(users.login({ email: user.email, password: 'wrong password, but a code', totp: '123456' }))).code).toBe('LOGIN_FAILED');
    expect((await problem(users.login({ email: user.email, password: PASSWORD, totp: wrongCode }))).code).toBe('TOTP_INVALID');
    // The code confirming the enrolment was of this step: it cannot log in.
    expect((await problem(users.login({ email: user.email, password: PASSWORD, totp: totpCode(enrolment.secret, now) }))).code).toBe('TOTP_INVALID');

    now += 30_000;
    const code = totpCode(enrolment.secret, now);
    expect((await users.login({ email: user.email, password: PASSWORD, totp: `${code.slice(0, 3)} ${code.slice(3)}` })).user.totp).toBe(true);
    expect((await problem(users.login({ email: user.email, password: PASSWORD, totp: code }))).code).toBe('TOTP_INVALID');
    // A clock a step behind is fine, once.
    now += 30_000;
    expect((await problem(users.login({ email: user.email, password: PASSWORD, totp: code }))).code).toBe('TOTP_INVALID');
    now += 30_000;
    const { principal: later } = await loginAs(user.email, totpCode(enrolment.secret, now - 30_000));
    expect(later.userId).toBe(user.id);

    // Five wrong codes lock the account like five wrong passwords.
    now += 60_000;
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await problem(users.login({ email: user.email, password: PASSWORD, totp: wrongCode }))).code).toBe('TOTP_INVALID');
    expect((await problem(users.login({ email: user.email, password: PASSWORD, totp: wrongCode }))).code).toBe('LOGIN_LOCKED');
    await users.unlockUser(OPERATOR, user.id);

    // API keys have no user to enrol; switching off needs a current code; an admin can reset it.
    expect((await problem(users.enableTotp(OPERATOR))).code).toBe('SESSION_REQUIRED');
    expect((await problem(users.disableTotp(later, user.id))).errors[0]?.code).toBe('TOTP_CODE_WRONG');
    now += 30_000;
    expect((await users.disableTotp(later, user.id, totpCode(enrolment.secret, now))).totp).toBe(false);
    expect((await loginAs(user.email)).user.totp).toBe(false);

    const second = await users.enableTotp(later);
    await users.confirmTotp(later, totpCode(second.secret, now));
    expect((await users.disableTotp(OPERATOR, user.id)).totp).toBe(false);
    const { principal: colleague } = await loginAs((await newUser(BROKER, ['declarant'])).email);
    expect((await problem(users.disableTotp(colleague, user.id))).code).toBe('FORBIDDEN');
  });

  it('ends sessions after 8 hours idle or 24 hours in all, and on logout', async () => {
    const user = await newUser(BROKER, ['declarant']);
    const started = now;
    const { token } = await loginAs(user.email);

    // Used every 7 hours, it lives until the absolute limit and no longer.
    for (const hours of [7, 14, 21]) {
      now = started + hours * HOUR;
      const session = await users.authenticateSession(token);
      expect(session?.session.expiresAt).toBe(new Date(Math.min(now + SESSION_IDLE_MS, started + SESSION_MAX_MS)).toISOString());
    }
    now = started + SESSION_MAX_MS - 1;
    expect(await users.authenticateSession(token)).toBeDefined();
    now = started + SESSION_MAX_MS;
    expect(await users.authenticateSession(token)).toBeUndefined();

    // Left alone for 8 hours, it ends.
    const idle = await loginAs(user.email);
    const loggedInAt = now;
    now += 30_000;
    // Requests within a minute do not move the expiry (no write for each request).
    expect((await users.authenticateSession(idle.token))?.session.expiresAt).toBe(new Date(loggedInAt + SESSION_IDLE_MS).toISOString());
    now = loggedInAt + SESSION_IDLE_MS - 1;
    expect(await users.authenticateSession(idle.token)).toBeDefined();
    now += SESSION_IDLE_MS;
    expect(await users.authenticateSession(idle.token)).toBeUndefined();

    const active = await loginAs(user.email);
    expect(await users.logout(active.token)).toBe(true);
    expect(await users.authenticateSession(active.token)).toBeUndefined();
    expect(await users.logout(active.token)).toBe(false);
    expect(await users.authenticateSession('not a token')).toBeUndefined();
    expect(await users.authenticateSession('A'.repeat(43))).toBeUndefined();

    // Disabling a user ends their sessions; an admin cannot disable themselves.
    const open = await loginAs(user.email);
    const admin = await newUser(BROKER, ['admin']);
    const { principal: adminSession } = await loginAs(admin.email);
    expect((await users.disableUser(adminSession, user.id)).disabledAt).toBe(new Date(now).toISOString());
    expect(await users.authenticateSession(open.token)).toBeUndefined();
    expect((await problem(users.disableUser(adminSession, admin.id))).code).toBe('FORBIDDEN');
    expect((await problem(users.disableUser(adminSession, 'usr_NOPE'))).code).toBe('USER_UNKNOWN');
    const stranger = await newUser(IMPORTER, ['declarant']);
    expect((await problem(users.disableUser(adminSession, stranger.id))).code).toBe('USER_UNKNOWN');

    // A password reset ends the sessions too.
    const resetting = await loginAs(admin.email);
    await users.setPassword(OPERATOR, admin.id, 'a new long passphrase');
    expect(await users.authenticateSession(resetting.token)).toBeUndefined();
    expect((await users.login({ email: admin.email, password: 'a new long passphrase' })).user.id).toBe(admin.id);
    // Changing one's own password needs the current one.
    const own = await users.login({ email: admin.email, password: 'a new long passphrase' });
    const ownPrincipal = (await users.authenticateSession(own.token))?.principal;
    if (ownPrincipal === undefined) throw new Error('no session after login');
    const wrongCurrent = await problem(users.setPassword(ownPrincipal, admin.id, 'yet another passphrase', 'not the current one'));
    expect(wrongCurrent.errors.map((fieldError) => `${fieldError.path}:${fieldError.code}`)).toEqual(['$.currentPassword:PASSWORD_CURRENT_WRONG']);
    await users.setPassword(ownPrincipal, admin.id, 'yet another passphrase', 'a new long passphrase');
    expect(await users.authenticateSession(own.token)).toBeUndefined();
    expect((await users.login({ email: admin.email, password: 'yet another passphrase' })).user.id).toBe(admin.id);

    now += 31 * 24 * HOUR;
    expect(await users.pruneSessions()).toBeGreaterThan(0);
    expect(await store.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it("checks the CSRF token against the session's, and only its", async () => {
    const user = await newUser(BROKER, ['declarant']);
    const first = await loginAs(user.email);
    const second = await loginAs(user.email);
    expect(users.checkCsrf(first.session, first.csrfToken)).toBe(true);
    expect(users.checkCsrf(first.session, second.csrfToken)).toBe(false);
    expect(users.checkCsrf(first.session, undefined)).toBe(false);
    expect(users.checkCsrf(first.session, '')).toBe(false);
    expect(users.checkCsrf(first.session, `${first.csrfToken}x`)).toBe(false);
    // The same token is handed back for the whole session (GET /session after a reload).
    expect((await users.authenticateSession(first.token))?.csrfToken).toBe(first.csrfToken);
  });

  it('issues API keys with scopes and expiry, rotates them with a grace period, and honours both', async () => {
    const admin = await newUser(BROKER, ['admin']);
    const { principal: adminSession } = await loginAs(admin.email);
    const expiresAt = new Date(now + 30 * 24 * HOUR).toISOString();
    const issued = await users.createKey(adminSession, { label: 'ERP', scopes: ['submissions:write', 'submissions:read'], expiresAt });
    expect(issued.key).toMatch(/^kouan\.key_[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);
    // Stored in the order of KEY_SCOPES, whatever the order asked.
    expect(issued.apiKey).toMatchObject({ party: BROKER, label: 'ERP', scopes: ['submissions:write', 'submissions:read'], expiresAt, revokedAt: null, rotatedFrom: null });
    const principal = await users.authenticateKey(issued.key);
    expect(principal).toMatchObject({ partyId: BROKER, keyId: issued.apiKey.id, scopes: ['submissions:write', 'submissions:read'] });
    expect(principal !== undefined && hasScope(principal, 'submissions:read')).toBe(true);
    expect(principal !== undefined && hasScope(principal, 'admin')).toBe(false);

    const invalid = await problem(users.createKey(adminSession, { scopes: ['inbox', 'ledger:read'], expiresAt: new Date(now - 1).toISOString() }));
    expect(invalid.code).toBe('KEY_INVALID');
    expect(invalid.errors.map((fieldError) => `${fieldError.path}:${fieldError.code}`)).toEqual(['$.scopes[0]:FIELD_NOT_ALLOWED', '$.expiresAt:FIELD_RANGE']);
    expect((await problem(users.createKey(adminSession, { partyId: IMPORTER }))).code).toBe('FORBIDDEN');
    const { principal: declarant } = await loginAs((await newUser(BROKER, ['declarant'])).email);
    expect((await problem(users.createKey(declarant, {}))).code).toBe('FORBIDDEN');

    // Keys from before scopes existed (or issued without) carry all the party's rights.
    const unscoped = await parties.createKey(BROKER);
    const legacy = await users.authenticateKey(unscoped.key);
    expect(legacy?.scopes).toBeUndefined();
    expect(legacy !== undefined && hasScope(legacy, 'admin')).toBe(true);

    // Rotation: same label, scopes and lifetime; the old key works for the grace period, then not.
    now += 24 * HOUR;
    const rotated = await users.rotateKey(adminSession, issued.apiKey.id);
    expect(rotated.apiKey).toMatchObject({ label: 'ERP', scopes: ['submissions:write', 'submissions:read'], rotatedFrom: issued.apiKey.id });
    expect(Math.abs(Date.parse(rotated.apiKey.expiresAt ?? '') - (now + 30 * 24 * HOUR))).toBeLessThan(5_000);
    expect(rotated.key).not.toBe(issued.key);
    const listed = await users.listKeys(adminSession);
    expect(listed.find((key) => key.id === issued.apiKey.id)?.expiresAt).toBe(new Date(now + 24 * HOUR).toISOString());
    now += 24 * HOUR - 1;
    expect(await users.authenticateKey(issued.key)).toBeDefined();
    now += 1;
    expect(await users.authenticateKey(issued.key)).toBeUndefined();
    expect(await users.authenticateKey(rotated.key)).toBeDefined();
    expect((await problem(users.rotateKey(adminSession, issued.apiKey.id))).code).toBe('KEY_NOT_USABLE');

    // A short grace; rotating never lengthens the old key's life.
    const quick = await users.rotateKey(OPERATOR, rotated.apiKey.id, { graceMs: 0 });
    expect(await users.authenticateKey(rotated.key)).toBeUndefined();
    expect(await users.authenticateKey(quick.key)).toBeDefined();

    // Expiry on its own (rotation gave the last key about 31 days).
    now += 32 * 24 * HOUR;
    expect(await users.authenticateKey(quick.key)).toBeUndefined();
    expect(isKeyUsable({ revokedAt: null, expiresAt: quick.apiKey.expiresAt }, now)).toBe(false);
    expect(isKeyUsable({ revokedAt: null, expiresAt: null }, now)).toBe(true);
    expect(isKeyUsable({ revokedAt: new Date(now).toISOString(), expiresAt: null }, now)).toBe(false);

    // Revocation, and strangers see no keys.
    const revoked = await users.revokeKey(adminSession, unscoped.id);
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect(await users.authenticateKey(unscoped.key)).toBeUndefined();
    const importerAdmin = await newUser(IMPORTER, ['admin']);
    const { principal: importerSession } = await loginAs(importerAdmin.email);
    expect((await problem(users.rotateKey(importerSession, quick.apiKey.id))).code).toBe('NOT_FOUND');
    expect((await problem(users.revokeKey(importerSession, quick.apiKey.id))).code).toBe('NOT_FOUND');
    expect((await problem(users.rotateKey(adminSession, 'key_NOPE'))).code).toBe('NOT_FOUND');
    // Agencies may scope keys to their inbox.
    expect((await users.createKey(OPERATOR, { partyId: 'CUS', scopes: ['inbox'] })).apiKey.scopes).toEqual(['inbox']);
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    let admin: { email: string; id: string };

    beforeAll(async () => {
      app = await sessionApp(users);
      admin = await newUser(IMPORTER, ['admin', 'declarant']);
    });
    afterAll(async () => {
      await app.close();
    });

    const cookieOf = (setCookie: string | string[] | undefined) => {
      const header = Array.isArray(setCookie) ? setCookie[0] : setCookie;
      return /^kouan_session=([^;]*)/.exec(header ?? '')?.[1] ?? '';
    };

    it('answers an unknown email exactly as a known one: the same failures, lockout, headers and body', async () => {
      const known = await newUser(IMPORTER, ['declarant']);
      const unknown = email('nobody');
      /** An answer without what differs between any two requests: the request id and the date. */
      const shape = (response: Awaited<ReturnType<FastifyInstance['inject']>>) => {
        const { date: _date, 'content-length': _length, ...headers } = response.headers;
        const { requestId: _requestId, ...body } = response.json<Record<string, unknown>>();
        return { status: response.statusCode, headers, body };
      };
      const attempt = (address: string, password = 'wrong password, again') => app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: address, password } });
      const statuses: number[] = [];
      for (let round = 1; round <= 7; round += 1) {
        const [forKnown, forUnknown] = [await attempt(known.email), await attempt(unknown)];
        expect(shape(forUnknown), `attempt ${round}`).toEqual(shape(forKnown));
        statuses.push(forKnown.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429]);
      // Locked, the right password waits as long as any password for an address without an account, and
      // neither spends an argon2 verification on it.
      now += 60_000;
      const before = verifications.count;
      const [rightForKnown, anyForUnknown] = [await attempt(known.email, PASSWORD), await attempt(unknown, PASSWORD)];
      expect(verifications.count).toBe(before);
      expect(shape(anyForUnknown)).toEqual(shape(rightForKnown));
      expect(rightForKnown.headers['retry-after']).toBe(String(LOCKOUT_MS / 1000 - 60));
      // The spelling of the address does not give a fresh count either.
      expect(shape(await attempt(` ${unknown.toUpperCase()} `))).toEqual(shape(await attempt(known.email)));
      // After the lockout both start counting again.
      now += LOCKOUT_MS;
      expect(shape(await attempt(unknown))).toEqual(shape(await attempt(known.email)));
      expect((await attempt(unknown)).statusCode).toBe(401);
    });

    it('logs in with a strict HttpOnly cookie, checks CSRF on unsafe methods and logs out', async () => {
      const failed = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: admin.email, password: 'wrong password here' } });
      expect(failed.statusCode).toBe(401);
      expect(failed.headers['content-type']).toContain('application/problem+json');
      expect(failed.json().code).toBe('LOGIN_FAILED');

      const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: admin.email, password: PASSWORD } });
      expect(login.statusCode).toBe(200);
      const body = login.json();
      expect(body).toMatchObject({ user: { id: admin.id, email: admin.email }, csrfToken: expect.any(String), expiresAt: new Date(now + SESSION_IDLE_MS).toISOString() });
      const setCookie = String(login.headers['set-cookie']);
      expect(setCookie).toMatch(/^kouan_session=[A-Za-z0-9_-]{43}; Max-Age=86400; Path=\/; HttpOnly; SameSite=Strict$/);
      expect(sessionCookieOptions({ secureCookies: true }).secure).toBe(true);
      const cookies = { [SESSION_COOKIE]: cookieOf(login.headers['set-cookie']) };

      const me = await app.inject({ method: 'GET', url: '/api/v1/session', cookies });
      expect(me.json()).toEqual({ user: body.user, csrfToken: body.csrfToken, expiresAt: body.expiresAt });
      expect((await app.inject({ method: 'GET', url: '/api/v1/users', cookies })).json().users.map((user: { id: string }) => user.id)).toContain(admin.id);

      const payload = { email: email('http'), name: 'Wang Fang', roles: ['declarant'], password: PASSWORD };
      const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/users', cookies, payload });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('CSRF_INVALID');
      const badCsrf = await app.inject({ method: 'POST', url: '/api/v1/users', cookies, headers: { 'x-csrf-token': 'guess' }, payload });
      expect(badCsrf.json().code).toBe('CSRF_INVALID');
      const created = await app.inject({ method: 'POST', url: '/api/v1/users', cookies, headers: { 'x-csrf-token': body.csrfToken }, payload });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ party: IMPORTER, email: payload.email, roles: ['declarant'] });

      const enrol = await app.inject({ method: 'POST', url: '/api/v1/users/me/totp', cookies, headers: { 'x-csrf-token': body.csrfToken } });
      expect(enrol.json().secret).toMatch(/^[A-Z2-7]{32}$/);
      const confirm = await app.inject({ method: 'POST', url: '/api/v1/users/me/totp/confirm', cookies, headers: { 'x-csrf-token': body.csrfToken }, payload: { code: totpCode(enrol.json().secret, now) } });
      expect(confirm.json().totp).toBe(true);
      const reset = await app.inject({ method: 'POST', url: `/api/v1/users/${created.json().id}/totp/disable`, cookies, headers: { 'x-csrf-token': body.csrfToken }, payload: {} });
      expect(reset.statusCode).toBe(200);

      expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', cookies })).json().code).toBe('CSRF_INVALID');
      const logout = await app.inject({ method: 'DELETE', url: '/api/v1/session', cookies, headers: { 'x-csrf-token': body.csrfToken } });
      expect(logout.statusCode).toBe(204);
      expect(String(logout.headers['set-cookie'])).toMatch(/^kouan_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
      expect((await app.inject({ method: 'GET', url: '/api/v1/session', cookies })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/v1/users', cookies })).statusCode).toBe(401);
    });

    it('answers a locked account with 429 and Retry-After', async () => {
      const user = await newUser(IMPORTER, ['declarant']);
      const attempt = () => app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: user.email, password: 'wrong password here' } });
      for (let index = 0; index < 4; index += 1) expect((await attempt()).statusCode).toBe(401);
      const locked = await attempt();
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['retry-after']).toBe('900');
      expect(locked.json()).toMatchObject({ code: 'LOGIN_LOCKED', retryAfter: 900 });
    });

    it('manages scoped keys with an admin key, and rotates them', async () => {
      const { key } = await users.createKey(OPERATOR, { partyId: IMPORTER, scopes: ['admin'] });
      const authorization = `Bearer ${key}`;
      const created = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization }, payload: { label: 'reader', scopes: ['submissions:read'] } });
      expect(created.statusCode).toBe(201);
      expect(created.json().apiKey).toMatchObject({ party: IMPORTER, label: 'reader', scopes: ['submissions:read'], expiresAt: null });
      const rotated = await app.inject({ method: 'POST', url: `/api/v1/keys/${created.json().apiKey.id}/rotate?graceHours=1`, headers: { authorization } });
      expect(rotated.statusCode).toBe(201);
      expect(rotated.json().apiKey.rotatedFrom).toBe(created.json().apiKey.id);
      const keys = (await app.inject({ method: 'GET', url: '/api/v1/keys', headers: { authorization } })).json().keys;
      expect(keys.find((listed: { id: string }) => listed.id === created.json().apiKey.id).expiresAt).toBe(new Date(now + HOUR).toISOString());
      // A reader key manages nothing.
      const reader = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${rotated.json().key}` } });
      expect(reader.statusCode).toBe(403);
      // API keys have no "me".
      expect((await app.inject({ method: 'POST', url: '/api/v1/users/me/totp', headers: { authorization } })).json().code).toBe('SESSION_REQUIRED');
    });
  });
});

/**
 * The session and users routes behind an authentication hook as app.ts is to have it: a bearer API key, or the
 * session cookie with X-CSRF-Token on unsafe methods.
 */
async function sessionApp(users: UsersService): Promise<FastifyInstance> {
  const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } } }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(fastifyCookie);
  app.decorateRequest('principal', undefined);
  app.setErrorHandler((error, request, reply) => sendProblem(request, reply, toKouanError(error, 1_000_000)));
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (route === undefined || request.routeOptions.config.public === true || !route.startsWith('/api/')) return;
    const header = request.headers.authorization;
    if (header !== undefined && header !== '') {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match?.[1] === undefined ? undefined : await users.authenticateKey(match[1]);
      if (principal === undefined) throw new KouanError('AUTH_INVALID');
      request.principal = principal;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined || token === '') throw new KouanError('AUTH_REQUIRED');
    const session = await users.authenticateSession(token);
    if (session === undefined) throw new KouanError('AUTH_REQUIRED');
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !users.checkCsrf(session.session, csrfHeader(request))) throw new KouanError('CSRF_INVALID');
    request.principal = session.principal;
  });
  await app.register(sessionRoutes({ users }, { secureCookies: false }), { prefix: '/api/v1' });
  await app.register(usersRoutes({ users }), { prefix: '/api/v1' });
  await app.register(keysRoutes({ users }), { prefix: '/api/v1' });
  return app;
}
