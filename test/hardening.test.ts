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

describe('security headers, however the path is spelt', () => {
  let t: TestKouan;
  beforeAll(async () => {
    t = await startTestKouan('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });
  const API_CSP = "default-src 'none'; frame-ancestors 'none'";

  it('gives every answer for an API path the API headers: the router decodes what request.url does not', async () => {
    const spellings = [
      '/api/v1/errors',
      '/%61pi/v1/errors',
      '/%61%70%69/v1/%65rrors',
      '/api/v1/%65rrors?x=1',
      '/%2561pi/v1/errors',
      '/api%2Fv1%2Ferrors',
      '/API/v1/errors',
      '/Api/V1/Errors',
      '/api/v1/errors/',
      '/api/v1/errors.',
      '/api/v1/errors..',
      '/api./v1/errors',
      '//api/v1/errors',
      '/api//v1/errors',
      '/./api/v1/errors',
      '/docs/../api/v1/errors',
      '/%2e/api/v1/errors',
      '/api/v1/no-such-thing',
      '/api/v1/errors%00',
    ];
    for (const url of spellings) {
      const response = await t.kouan.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).not.toBe(500);
      expect(response.headers['cache-control'], url).toBe('no-store');
      expect(response.headers['content-security-policy'], url).toBe(API_CSP);
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
    }
    // The decoded spelling reaches the route, and the answer is the API's.
    const decoded = await t.kouan.app.inject({ method: 'GET', url: '/%61pi/v1/errors' });
    expect(decoded.statusCode).toBe(200);
  });

  it('gives the same headers to answers that are not pages: not found anywhere, health, keys', async () => {
    for (const url of ['/nothing-here', '/%00', '/healthz', '/readyz', '/.well-known/jwks.json', '/docs/static/no-such-file.js']) {
      const response = await t.kouan.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).not.toBe(500);
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toMatch(/^default-src 'none'/);
      expect(csp, url).toContain("frame-ancestors 'none'");
    }
  });

  it('serves /docs under a strict CSP that still lets every script and style of the page load', async () => {
    for (const url of ['/docs', '/docs/']) {
      const page = await t.kouan.app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toMatch(/^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      const directives = new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
      expect(directives.get('default-src'), csp).toEqual(["'none'"]);
      expect(directives.get('script-src'), csp).toEqual(["'self'"]);
      expect(directives.get('style-src'), csp).toEqual(["'self'"]);
      expect(directives.get('connect-src'), csp).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors'), csp).toEqual(["'none'"]);
      expect(directives.get('object-src') ?? directives.get('default-src'), csp).toEqual(["'none'"]);
      expect(csp).not.toMatch(/unsafe-(inline|eval)|\*|https?:/);

      // Nothing inline (which script-src 'self' would block); every file it names is same-origin and served.
      expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
      expect(page.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
      const references = [...page.body.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"/gi)].map((match) => match[1] ?? '');
      expect(references.filter((reference) => /\.js$/.test(reference)).length, url).toBeGreaterThanOrEqual(3);
      expect(references.filter((reference) => /\.css$/.test(reference)).length, url).toBeGreaterThanOrEqual(1);
      const base = new URL(url, 'http://kouan.test');
      for (const reference of references) {
        const resolved = new URL(reference, base);
        expect(resolved.origin, reference).toBe(base.origin);
        const file = await t.kouan.app.inject({ method: 'GET', url: resolved.pathname });
        expect(file.statusCode, resolved.pathname).toBe(200);
        if (reference.endsWith('.js')) expect(file.headers['content-type'], reference).toMatch(/javascript/);
        if (reference.endsWith('.css')) {
          expect(file.headers['content-type'], reference).toMatch(/^text\/css/);
          // Images in the styles are data: URIs, which img-src allows; nothing is fetched from elsewhere.
          for (const [, target = ''] of file.body.matchAll(/url\(\s*["']?([^"')]+)/g)) expect(target, reference).toMatch(/^data:/);
          expect(directives.get('img-src'), csp).toEqual(["'self'", 'data:']);
        }
      }
      // The initializer fetches the document from the same origin, which connect-src 'self' allows.
      const initializer = await t.kouan.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
      expect(initializer.body).toContain("resolveUrl('./json')");
      expect((await t.kouan.app.inject({ method: 'GET', url: '/docs/json' })).json()).toMatchObject({ openapi: '3.1.0' });
    }
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
