/**
 * Signing in over plain http (a LAN address, not localhost) and behind a TLS-terminating proxy: the session
 * cookie is Secure exactly when the request came over https, forwarded headers count only from the proxies in
 * KOUAN_TRUST_PROXY, KOUAN_COOKIE_SECURE overrides either way; and each 401 says which credential failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { CONSOLE_CALLER } from '../src/modules/users/index.js';
import { IMPORTER } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
const PASSWORD = 'a passphrase for the lan portal';
const EMAIL = 'clerk@example.cn';
const LAN = { remoteAddress: '192.168.10.23', host: 'kouan.lan:8080' } as const;

interface Setup {
  readonly t: TestKouan;
  login(extra?: { remoteAddress?: string; headers?: Record<string, string> }): Promise<{ cookie: string; setCookie: string; warning: string | undefined; csrf: string }>;
}

async function setUp(kind: 'sqlite' | 'postgres', env: Record<string, string> = {}): Promise<Setup> {
  const t = await startTestKouan(kind, env);
  await t.kouan.services.parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Importer', roles: ['declarant'] });
  await t.kouan.services.users.createUser(CONSOLE_CALLER, { partyId: IMPORTER, email: EMAIL, name: 'Li Lei', roles: ['admin', 'declarant'], password: PASSWORD, mustChangePassword: false });
  return {
    t,
    async login(extra = {}) {
      const response = await t.kouan.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: extra.remoteAddress ?? LAN.remoteAddress,
        headers: { host: LAN.host, ...extra.headers },
        payload: { email: EMAIL, password: PASSWORD },
      });
      expect(response.statusCode, response.body).toBe(200);
      const setCookie = String(response.headers['set-cookie']);
      const warning = response.headers['kouan-session-warning'];
      return { setCookie, cookie: /kouan_session=([^;]+)/.exec(setCookie)?.[1] ?? '', warning: typeof warning === 'string' ? warning : undefined, csrf: response.json<{ csrfToken: string }>().csrfToken };
    },
  };
}

describe.each(kinds)('signing in over http and https on %s', (kind) => {
  describe('with the defaults (no proxy trusted, Secure by scheme)', () => {
    let s: Setup;
    beforeAll(async () => {
      s = await setUp(kind);
    });
    afterAll(async () => {
      await s.t.close();
    });

    it('sets a cookie without Secure over plain http to a LAN address, warns, and the session works afterwards', async () => {
      const { setCookie, cookie, warning } = await s.login();
      expect(setCookie).not.toMatch(/;\s*Secure/i);
      expect(warning).toMatch(/^unencrypted/);
      const me = await s.t.kouan.app.inject({ method: 'GET', url: '/api/v1/submissions', remoteAddress: LAN.remoteAddress, headers: { host: LAN.host }, cookies: { kouan_session: cookie } });
      expect(me.statusCode, me.body).toBe(200);
    });

    it('ignores X-Forwarded-Proto and Forwarded from a client that is no trusted proxy', async () => {
      expect((await s.login({ headers: { 'x-forwarded-proto': 'https' } })).setCookie).not.toMatch(/;\s*Secure/i);
      expect((await s.login({ headers: { forwarded: 'for=203.0.113.9;proto=https' } })).setCookie).not.toMatch(/;\s*Secure/i);
    });

    it('says which credential failed: none, a wrong key, an unknown, ended or expired session', async () => {
      const get = (headers: Record<string, string>, cookies: Record<string, string> = {}) => s.t.kouan.app.inject({ method: 'GET', url: '/api/v1/submissions', headers, cookies });
      const codeOf = async (response: Promise<{ json: () => { code: string }; statusCode: number }>) => {
        const answer = await response;
        expect(answer.statusCode).toBe(401);
        return answer.json().code;
      };
      expect(await codeOf(get({}))).toBe('AUTH_REQUIRED');
      expect(await codeOf(get({ authorization: 'Bearer kouan_not-a-key' }))).toBe('AUTH_INVALID');
      expect(await codeOf(get({}, { kouan_session: 'A'.repeat(43) }))).toBe('SESSION_UNKNOWN');
      expect(await codeOf(get({}, { kouan_session: 'garbage' }))).toBe('SESSION_UNKNOWN');

      const ended = await s.login();
      const logout = await s.t.kouan.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { 'x-csrf-token': ended.csrf }, cookies: { kouan_session: ended.cookie } });
      expect(logout.statusCode).toBe(204);
      expect(await codeOf(get({}, { kouan_session: ended.cookie }))).toBe('SESSION_ENDED');
      expect(await codeOf(s.t.kouan.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { kouan_session: ended.cookie } }))).toBe('SESSION_ENDED');

      const expired = await s.login();
      await s.t.kouan.services.store.db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('revoked_at', 'is', null).execute();
      expect(await codeOf(get({}, { kouan_session: expired.cookie }))).toBe('SESSION_EXPIRED');
      expect(await codeOf(s.t.kouan.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { kouan_session: expired.cookie } }))).toBe('SESSION_EXPIRED');
    });
  });

  describe('behind a trusted proxy (KOUAN_TRUST_PROXY=10.0.0.0/24)', () => {
    let s: Setup;
    beforeAll(async () => {
      s = await setUp(kind, { KOUAN_TRUST_PROXY: '10.0.0.0/24' });
    });
    afterAll(async () => {
      await s.t.close();
    });

    it("believes the proxy's X-Forwarded-Proto or Forwarded proto=https: Secure, no warning, the client's address from X-Forwarded-For", async () => {
      const viaXfp = await s.login({ remoteAddress: '10.0.0.7', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.4' } });
      expect(viaXfp.setCookie).toMatch(/;\s*Secure/i);
      expect(viaXfp.warning).toBeUndefined();
      const ip = await s.t.kouan.services.store.db.selectFrom('sessions').select('ip').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      expect(ip.ip).toBe('198.51.100.4');
      const viaForwarded = await s.login({ remoteAddress: '10.0.0.7', headers: { forwarded: 'for=198.51.100.4;proto=https;host=kouan.example' } });
      expect(viaForwarded.setCookie).toMatch(/;\s*Secure/i);
      // The same headers from outside the proxy's network are the client's word only.
      expect((await s.login({ remoteAddress: '10.0.1.7', headers: { 'x-forwarded-proto': 'https' } })).setCookie).not.toMatch(/;\s*Secure/i);
      // The proxy itself speaking plain http is plain http.
      expect((await s.login({ remoteAddress: '10.0.0.7', headers: { 'x-forwarded-proto': 'http' } })).warning).toMatch(/^unencrypted/);
    });
  });

  describe('KOUAN_COOKIE_SECURE overrides the scheme', () => {
    it('true: Secure even over http; false: never Secure, even from a trusted proxy over https', async () => {
      const always = await setUp(kind, { KOUAN_COOKIE_SECURE: 'true' });
      try {
        expect((await always.login()).setCookie).toMatch(/;\s*Secure/i);
      } finally {
        await always.t.close();
      }
      const never = await setUp(kind, { KOUAN_COOKIE_SECURE: 'false', KOUAN_TRUST_PROXY: '10.0.0.7' });
      try {
        expect((await never.login({ remoteAddress: '10.0.0.7', headers: { 'x-forwarded-proto': 'https' } })).setCookie).not.toMatch(/;\s*Secure/i);
      } finally {
        await never.t.close();
      }
    });
  });
});

describe('KOUAN_TRUST_PROXY and KOUAN_COOKIE_SECURE', () => {
  it('take off, addresses, CIDRs and loopback, and refuse anything else', () => {
    expect(loadConfig({}, {}).trustProxy).toEqual([]);
    expect(loadConfig({}, { KOUAN_TRUST_PROXY: 'off' }).trustProxy).toEqual([]);
    expect(loadConfig({}, { KOUAN_TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,loopback,fd00::/8' }).trustProxy).toEqual(['10.0.0.5', '172.16.0.0/12', 'loopback', 'fd00::/8']);
    for (const bad of ['true', '10.0.0.0/33', '10.0.0.0/8/1', 'proxy.lan', '10.0.0.0/08']) expect(() => loadConfig({}, { KOUAN_TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    expect(loadConfig({}, {}).cookieSecure).toBe('auto');
    expect(loadConfig({}, { KOUAN_COOKIE_SECURE: 'auto' }).cookieSecure).toBe('auto');
    expect(loadConfig({}, { KOUAN_COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
    expect(loadConfig({}, { KOUAN_COOKIE_SECURE: '0' }).cookieSecure).toBe(false);
  });
});
