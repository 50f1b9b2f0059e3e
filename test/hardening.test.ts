/**
 * Hardening of the HTTP surface: rate limits per key and per address, security headers, no CORS, and (over real
 * sockets) slow clients cut off and a cap on the connections of one address.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
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
    // The path exists, OPTIONS is no method of it: 405 with Allow, and still no CORS permission.
    expect(preflight.statusCode).toBe(405);
    expect(preflight.headers.allow).toBe('GET, HEAD, POST');
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
    for (const url of ['/.well-known/nothing', '/%00', '/healthz', '/readyz', '/.well-known/jwks.json', '/docs/static/no-such-file.js']) {
      const response = await t.kouan.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).not.toBe(500);
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toMatch(/^default-src 'none'/);
      expect(csp, url).toContain("frame-ancestors 'none'");
    }
  });

  /** The <style> elements swagger-ui's scripts render, as written in them. */
  const INLINE_STYLES = ['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js'].flatMap((file) => {
    const script = readFileSync(new URL(`../node_modules/@fastify/swagger-ui/static/${file}`, import.meta.url), 'utf8');
    return [...script.matchAll(/createElement\("style",null,("(?:[^"\\]|\\.)*")\)/g)].map((match) => JSON.parse(match[1] ?? '""') as string);
  });

  it('serves /docs under a strict CSP that still lets every script and style of the page load', async () => {
    expect(INLINE_STYLES.length).toBeGreaterThan(0);
    for (const url of ['/docs', '/docs/']) {
      const page = await t.kouan.app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toMatch(/^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      const directives = new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
      expect(directives.get('default-src'), csp).toEqual(["'none'"]);
      expect(directives.get('script-src'), csp).toEqual(["'self'"]);
      // Styles from its own files, and the inline ones swagger-ui renders (an SVG's <style>) by their hashes only.
      expect(directives.get('style-src'), csp).toEqual(["'self'", ...INLINE_STYLES.map((style) => `'sha256-${createHash('sha256').update(style).digest('base64')}'`)]);
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

describe('slow and greedy clients, over real sockets', () => {
  let t: TestKouan;
  let port = 0;
  const MAX_PER_ADDRESS = 3;
  beforeAll(async () => {
    t = await startTestKouan('sqlite', {
      KOUAN_HEADERS_TIMEOUT_MS: '300',
      KOUAN_REQUEST_TIMEOUT_MS: '600',
      KOUAN_KEEP_ALIVE_TIMEOUT_MS: '5000',
      KOUAN_MAX_CONNECTIONS_PER_ADDRESS: String(MAX_PER_ADDRESS),
    });
    await t.kouan.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.kouan.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    await t.close();
  });

  /** A connected socket with everything it receives, and whether the server has closed it. */
  const open = async () => {
    const socket = connect(port, '127.0.0.1');
    const state = { received: '', closed: false };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (state.received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => (state.closed = true));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return { socket, state };
  };
  /** Writes `bytes` one every 100 ms until the server closes the socket; false when all of them went through. */
  const trickle = async (socket: Socket, state: { closed: boolean }, bytes: string) => {
    for (const byte of bytes) {
      if (state.closed || socket.destroyed) return true;
      socket.write(byte);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return state.closed;
  };
  const answerTo = (socket: Socket, state: { received: string; closed: boolean }) =>
    new Promise<string>((resolve) => {
      const done = () => resolve(state.received);
      socket.once('close', done);
      socket.on('data', () => {
        if (/\r\n\r\n/.test(state.received)) done();
      });
      socket.write('GET /healthz HTTP/1.1\r\nhost: kouan.test\r\n\r\n');
    });

  it('cuts off a client that sends its headers a byte at a time (slowloris)', async () => {
    const { socket, state } = await open();
    socket.write('GET /healthz HTTP/1.1\r\nhost: kouan.test\r\nx-slow: ');
    // 200 bytes at 10 a second would take 20 s; the headers timeout is 0.3 s.
    expect(await trickle(socket, state, 'a'.repeat(200))).toBe(true);
    expect(state.received === '' || state.received.startsWith('HTTP/1.1 408')).toBe(true);
    socket.destroy();
  });

  it('closes a connection that never sends a request', async () => {
    const { socket, state } = await open();
    // Waits up to 10 s (the idle timeout is 2 min); the headers timeout is 0.3 s.
    for (let waited = 0; waited < 100 && !state.closed; waited += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.closed).toBe(true);
    socket.destroy();
  });

  it('cuts off a body that trickles in, with 408 or a closed socket', async () => {
    const { socket, state } = await open();
    socket.write('POST /api/v1/session HTTP/1.1\r\nhost: kouan.test\r\ncontent-type: application/json\r\ncontent-length: 150\r\n\r\n');
    // 150 bytes at 10 a second would take 15 s; the request timeout is 0.6 s.
    expect(await trickle(socket, state, ' '.repeat(150))).toBe(true);
    expect(state.received === '' || state.received.startsWith('HTTP/1.1 408'), state.received).toBe(true);
    socket.destroy();
  });

  it('refuses the connection beyond the cap of one address, and takes it again once one closes', async () => {
    const held = await Promise.all(Array.from({ length: MAX_PER_ADDRESS }, () => open()));
    const extra = await open();
    expect(await answerTo(extra.socket, extra.state)).toBe('');
    expect(extra.state.closed).toBe(true);
    // The connections within the cap still work.
    const first = held[0];
    if (first === undefined) throw new Error('no connection');
    expect(await answerTo(first.socket, first.state)).toMatch(/^HTTP\/1\.1 200/);
    first.socket.destroy();
    // The server sees the close a moment later; until then a new connection may still be one too many.
    let answer = '';
    for (let attempt = 0; attempt < 50 && !answer.startsWith('HTTP/1.1 200'); attempt += 1) {
      const again = await open();
      answer = await answerTo(again.socket, again.state);
      again.socket.destroy();
      if (answer === '') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    for (const { socket } of held) socket.destroy();
  });
});
