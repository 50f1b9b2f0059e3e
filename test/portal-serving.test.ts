/** Kouan serves the built portal at / with a strict CSP, deep links get the portal's page, the API stays the API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { PORTAL_DIR } from '../src/http/portal.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';

describe('the portal, served by Kouan', () => {
  let t: TestKouan;
  beforeAll(async () => {
    // `npm install` builds it (prepare); a checkout without a build must build first.
    expect(existsSync(`${PORTAL_DIR}index.html`), 'dist/portal is missing: run npm run build').toBe(true);
    t = await startTestKouan('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers / and client-side routes with its page, under a CSP that lets only its own scripts run', async () => {
    for (const url of ['/', '/submissions/sub_01JZZZZZZZZZZZZZZZZZZZZZZZ', '/worklist']) {
      const response = await t.kouan.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<div id="root"></div>');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves its hashed assets for long, and leaves unknown API paths to the API', async () => {
    const page = (await t.kouan.app.inject({ method: 'GET', url: '/' })).body;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const asset = await t.kouan.app.inject({ method: 'GET', url: script ?? '' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    // Pre-compressed by the build: a browser that takes brotli gets the smaller file.
    const compressed = await t.kouan.app.inject({ method: 'GET', url: script ?? '', headers: { 'accept-encoding': 'br, gzip' } });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.rawPayload.length).toBeLessThan(asset.rawPayload.length / 2);
    const deepLink = await t.kouan.app.inject({ method: 'GET', url: '/worklist', headers: { 'accept-encoding': 'gzip' } });
    expect(deepLink.statusCode).toBe(200);

    const api = await t.kouan.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });
});
