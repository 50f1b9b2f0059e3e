/** Hardening of the HTTP surface: rate limits per key and per address, security headers, no CORS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';

describe('hardening', () => {
  let t: TestKouan;
  let broker: string;
  beforeAll(async () => {
    t = await startTestKouan('sqlite', { KOUAN_RATE_LIMIT_PER_KEY: '5', KOUAN_RATE_LIMIT_PER_ADDRESS: '20' });
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('limits each key: a burst of twice the rate, then 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await t.request('GET', '/api/v1/me', { key: broker })).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await t.request('GET', '/api/v1/me', { key: broker });
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    // Another key of the same party has its own bucket.
    const other = (await t.kouan.services.parties.createKey(BROKER)).key;
    expect((await t.request('GET', '/api/v1/me', { key: other })).statusCode).toBe(200);
  });

  it('limits each address before authentication, so guessing keys is slow too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i += 1) statuses.push((await t.kouan.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: '203.0.113.9', headers: { authorization: 'Bearer kouan.guess' } })).statusCode);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(40);
    expect(statuses.at(-1)).toBe(429);
    const elsewhere = await t.kouan.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.9' });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('sends security headers and no CORS permission', async () => {
    const response = await t.kouan.app.inject({ method: 'GET', url: '/api/v1/errors', headers: { origin: 'https://evil.example' }, remoteAddress: '198.51.100.7' });
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.kouan.app.inject({ method: 'OPTIONS', url: '/api/v1/submissions', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' }, remoteAddress: '198.51.100.7' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.statusCode).toBe(404);
  });
});

describe('API key scopes', () => {
  let t: TestKouan;
  beforeAll(async () => {
    t = await startTestKouan('sqlite');
    await t.enterprise(BROKER, ['declarant', 'broker']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a key limited to reading cannot declare, and an expired key is refused', async () => {
    const cli = { partyId: 'kouan-cli', tenant: 'central', kind: 'operator' as const, roles: ['operator' as const], keyId: 'cli' };
    const reader = await t.kouan.services.users.createKey(cli, { partyId: BROKER, scopes: ['submissions:read'] });
    expect((await t.request('GET', '/api/v1/submissions', { key: reader.key })).statusCode).toBe(200);
    const write = await t.request('POST', '/api/v1/submissions', { key: reader.key, body: { docType: 'goods-declaration', data: {} } });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ code: 'SCOPE_MISSING' });
    const expired = await t.kouan.services.users.createKey(cli, { partyId: BROKER, expiresAt: new Date(Date.now() + 1000).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await t.request('GET', '/api/v1/me', { key: expired.key })).statusCode).toBe(401);
  });
});
