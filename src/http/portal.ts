/**
 * The portal: the web single window built from portal/ into dist/portal, served by Kouan at / beside the API it
 * calls (same origin, so the session cookie and CSRF token work as they do for any API client). Every path that
 * is not the API, the docs or a file of the build answers the portal's index.html, so deep links work.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { KouanError } from '../shared/errors.js';

/** Where `npm run build` puts the portal (src/http and dist/http are both two levels below the project). */
export const PORTAL_DIR = fileURLToPath(new URL('../../dist/portal/', import.meta.url));

/** What the portal's pages may do: run their own scripts and styles, call their own origin, nothing else. */
export const PORTAL_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** True when the request is for a page or file of the portal rather than the API or the docs, however its path is spelt. */
export function isPortalPath(url: string): boolean {
  const path = canonicalPath(url);
  return !path.startsWith('/api/') && path !== '/api' && !path.startsWith('/docs') && !path.startsWith('/.well-known/') && path !== '/healthz' && path !== '/readyz';
}

/**
 * The path as the most lenient reader of it would take it: %-escapes decoded (again, for a proxy that decodes
 * once more), backslashes as slashes, empty, `.` and `..` segments resolved, trailing dots dropped, lower case.
 * Only for deciding which part of Kouan a request is for, so that no spelling of /api/ passes for a portal page.
 */
export function canonicalPath(url: string): string {
  let path = url.split(/[?#]/, 1)[0] ?? '';
  for (let round = 0; round < 3; round += 1) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      break;
    }
    if (decoded === path) break;
    path = decoded;
  }
  const segments: string[] = [];
  for (const raw of path.replace(/\\/g, '/').split('/')) {
    const segment = raw.replace(/[.\s]+$/, (dots) => (raw === '.' || raw === '..' ? dots : ''));
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment.toLowerCase());
  }
  return `/${segments.join('/')}${path.endsWith('/') && segments.length > 0 ? '/' : ''}`;
}

export async function registerPortal(app: FastifyInstance, directory = PORTAL_DIR): Promise<void> {
  if (!existsSync(`${directory}index.html`)) {
    app.log.warn({ directory }, 'the portal is not built (npm run build); / answers 404');
    return;
  }
  await app.register(fastifyStatic, {
    root: directory,
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    cacheControl: false,
    // npm run build writes .br and .gz beside each file (scripts/compress-portal.ts).
    preCompressed: true,
    // Hashed asset names never change; index.html must be fetched again after every release.
    setHeaders(response, path) {
      response.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // Client-side routes (/submissions/sub_..., /worklist) are the portal's: give them its page.
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    if (!isPortalPath(request.url)) throw new KouanError('ROUTE_NOT_FOUND');
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
