/**
 * The forced first password change, over HTTP on both stores (docs/security.md "People"): a password an admin or
 * operator chose (POST /users, `kouan admin user create`, a reset by POST /users/{id}/password or `kouan admin
 * user set-password`) must be replaced by the person's own before their session may do anything else. Until then
 * every call but POST /users/me/password and signing out answers 403 PASSWORD_CHANGE_REQUIRED and changes
 * nothing; choosing their own clears it, keeps the session they chose it in and ends their others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CALLER } from '../src/modules/users/index.js';
import { IMPORTER, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const ADMIN_PASSWORD = 'the admin chose her own long passphrase';
const GIVEN = 'a temporary passphrase from the admin';
const OWN = '我自己选的口岸单一窗口密码';

describe.each(kinds)('the forced first password change on %s', (kind) => {
  let t: TestKouan;
  let importerKey: string;
  let sequence = 0;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    importerKey = await t.enterprise(IMPORTER, ['declarant']);
    await t.kouan.services.users.createUser(CONSOLE_CALLER, { partyId: IMPORTER, email: 'admin@pw.example.cn', name: 'Admin', roles: ['admin', 'declarant'], password: ADMIN_PASSWORD, mustChangePassword: false });
  });
  afterAll(async () => {
    await t.close();
  });

  interface Session {
    readonly cookie: string;
    readonly csrf: string;
    readonly body: Json;
  }
  const signIn = async (email: string, password: string): Promise<Session> => {
    const answer = await t.request('POST', '/api/v1/session', { body: { email, password } });
    expect(answer.statusCode, answer.body).toBe(200);
    const cookie = /kouan_session=[^;]+/.exec(String(answer.headers['set-cookie']))?.[0] ?? '';
    return { cookie, csrf: String(answer.json<Json>().csrfToken), body: answer.json<Json>() };
  };
  const call = (session: Session, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, language = 'en') =>
    t.request(method, url, { headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'accept-language': language }, body });
  const newEmail = () => `clerk.${(sequence += 1)}@pw.example.cn`;
  /** A clerk as the party's admin adds them in the portal: POST /users with a password the admin chose. */
  const addedByAdmin = async (): Promise<string> => {
    const admin = await signIn('admin@pw.example.cn', ADMIN_PASSWORD);
    const email = newEmail();
    const created = await call(admin, 'POST', '/api/v1/users', { email, name: 'Clerk', roles: ['declarant'], password: GIVEN });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<Json>().mustChangePassword).toBe(true);
    return email;
  };

  it('says so at sign-in and refuses every other call with 403 PASSWORD_CHANGE_REQUIRED, changing nothing', async () => {
    const email = await addedByAdmin();
    const session = await signIn(email, GIVEN);
    expect(session.body.user).toMatchObject({ email, mustChangePassword: true });
    // After a reload the portal learns it again.
    expect((await call(session, 'GET', '/api/v1/session')).json<Json>().user.mustChangePassword).toBe(true);

    const drafts = await t.request('GET', '/api/v1/drafts', { key: importerKey });
    for (const [method, url, body] of [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/users/me'],
      ['GET', '/api/v1/submissions'],
      ['POST', '/api/v1/drafts', { docType: 'goods-declaration', data: importDeclaration() }],
      ['POST', '/api/v1/submissions', { docType: 'goods-declaration', data: importDeclaration() }],
      ['POST', '/api/v1/users/me/totp', {}],
    ] as const) {
      const answer = await call(session, method, url, body);
      expect(answer.statusCode, `${method} ${url}`).toBe(403);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.json<Json>().code).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    // The reset route, even with the person's own id, is not a way round the forced change.
    const viaReset = await call(session, 'POST', `/api/v1/users/${String(session.body.user.id)}/password`, { password: OWN, currentPassword: GIVEN });
    expect(viaReset.json<Json>().code).toBe('PASSWORD_CHANGE_REQUIRED');
    // Nothing was stored by the refused calls.
    expect((await t.request('GET', '/api/v1/drafts', { key: importerKey })).json<Json>().drafts).toEqual(drafts.json<Json>().drafts);
    expect((await t.request('GET', '/api/v1/submissions', { key: importerKey })).json<Json>().submissions).toEqual([]);

    // In Chinese too.
    const zh = await call(session, 'GET', '/api/v1/users/me', undefined, 'zh-CN');
    expect(zh.json<Json>().title).toContain('请先设置您自己的密码');

    // Signing out is allowed.
    expect((await call(session, 'DELETE', '/api/v1/session')).statusCode).toBe(204);
  });

  it('takes the person\'s own password with the current one, checks it, and lets the same session go on', async () => {
    const email = await addedByAdmin();
    const other = await signIn(email, GIVEN);
    const session = await signIn(email, GIVEN);
    const change = (body: unknown) => call(session, 'POST', '/api/v1/users/me/password', body);

    const paths = (answer: Awaited<ReturnType<typeof change>>) => answer.json<Json>().errors.map((error: Json) => `${error.path}:${error.code}`);
    const wrongCurrent = await change({ currentPassword: 'not what the admin gave', password: OWN });
    expect(wrongCurrent.statusCode).toBe(422);
    expect(paths(wrongCurrent)).toEqual(['$.currentPassword:PASSWORD_CURRENT_WRONG']);
    const unchanged = await change({ currentPassword: GIVEN, password: GIVEN });
    expect(paths(unchanged)).toEqual(['$.password:PASSWORD_UNCHANGED']);
    const short = await change({ currentPassword: GIVEN, password: 'short' });
    expect(paths(short)).toEqual(['$.password:PASSWORD_TOO_SHORT']);
    const missing = await change({ password: OWN });
    expect(missing.statusCode).toBe(400);
    // None of these changed the password or the flag.
    expect((await call(session, 'GET', '/api/v1/users/me')).json<Json>().code).toBe('PASSWORD_CHANGE_REQUIRED');

    const changed = await change({ currentPassword: GIVEN, password: OWN });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<Json>()).toMatchObject({ email, mustChangePassword: false });
    // This session goes on, now with every right; the other one ended; the old password no longer works.
    expect((await call(session, 'GET', '/api/v1/users/me')).statusCode).toBe(200);
    expect((await call(session, 'GET', '/api/v1/me')).json<Json>().party).toBe(IMPORTER);
    expect((await call(other, 'GET', '/api/v1/session')).statusCode).toBe(401);
    expect((await t.request('POST', '/api/v1/session', { body: { email, password: GIVEN } })).json<Json>().code).toBe('LOGIN_FAILED');
    expect((await signIn(email, OWN)).body.user.mustChangePassword).toBe(false);
  });

  it('asks again after an admin resets the password, and for accounts made or reset at the command line', async () => {
    const email = await addedByAdmin();
    const session = await signIn(email, GIVEN);
    await call(session, 'POST', '/api/v1/users/me/password', { currentPassword: GIVEN, password: OWN });
    const admin = await signIn('admin@pw.example.cn', ADMIN_PASSWORD);
    const reset = await call(admin, 'POST', `/api/v1/users/${session.body.user.id}/password`, { password: 'another temporary passphrase' });
    expect(reset.json<Json>().mustChangePassword).toBe(true);
    const again = await signIn(email, 'another temporary passphrase');
    expect(again.body.user.mustChangePassword).toBe(true);
    expect((await call(again, 'GET', '/api/v1/submissions')).json<Json>().code).toBe('PASSWORD_CHANGE_REQUIRED');

    // `kouan admin user create` and `set-password` go through the same service as the console caller.
    const { users } = t.kouan.services;
    const made = await users.createUser(CONSOLE_CALLER, { partyId: IMPORTER, email: newEmail(), name: 'From the console', roles: ['declarant'], password: GIVEN });
    expect(made.mustChangePassword).toBe(true);
    const chosen = await users.createUser(CONSOLE_CALLER, { partyId: IMPORTER, email: newEmail(), name: 'Carried over', roles: ['declarant'], password: GIVEN, mustChangePassword: false });
    expect(chosen.mustChangePassword).toBe(false);
    expect((await users.setPassword(CONSOLE_CALLER, chosen.id, 'a console reset passphrase')).mustChangePassword).toBe(true);
    // The admin changing her own password with the reset route ("me", with the current one) is her own choice.
    const self = await call(admin, 'POST', `/api/v1/users/me/password`, { currentPassword: ADMIN_PASSWORD, password: 'the admin chose another passphrase' });
    expect(self.json<Json>().mustChangePassword).toBe(false);
  });

  it('leaves API keys alone: they belong to the party, not to a person with a temporary password', async () => {
    await t.kouan.services.users.createUser(CONSOLE_CALLER, { partyId: IMPORTER, email: newEmail(), name: 'Waiting to choose', roles: ['declarant'], password: GIVEN });
    expect((await t.request('GET', '/api/v1/submissions', { key: importerKey })).statusCode).toBe(200);
    const viaKey = await t.request('POST', '/api/v1/users/me/password', { key: importerKey, body: { currentPassword: GIVEN, password: OWN } });
    expect(viaKey.json<Json>().code).toBe('SESSION_REQUIRED');
  });
});
