/** The portal's generated API types (portal/src/api/openapi.d.ts) follow docs/openapi.json. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PORTAL_TYPES_FILE, renderPortalTypes } from '../scripts/portal-types.js';

describe('the portal speaks the published contract', () => {
  it('portal/src/api/openapi.d.ts matches docs/openapi.json (run `npm run portal:types` after `npm run openapi`)', async () => {
    expect(readFileSync(PORTAL_TYPES_FILE, 'utf8')).toBe(await renderPortalTypes());
  });

  it('a change to the document shows in the types, so the check can fail', async () => {
    const document = JSON.parse(readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, unknown> };
    document.paths['/api/v1/portal-drift-probe'] = { get: { responses: { 200: { description: 'probe', content: { 'application/json': { schema: { type: 'object', properties: { probe: { type: 'string' } } } } } } } } };
    const changed = await renderPortalTypes(JSON.stringify(document));
    expect(changed).toContain('"/api/v1/portal-drift-probe"');
    expect(changed).not.toBe(readFileSync(PORTAL_TYPES_FILE, 'utf8'));
  });
});
