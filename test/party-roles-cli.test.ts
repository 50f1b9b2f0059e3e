/** Publisher roles from the operator's shell: `kouan admin party create --roles … --locations …`, `grant`, `revoke`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { EXPORTER } from './support/fixtures.js';
import { runKouan } from './support/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kouan-party-roles-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('registers a terminal at its places, grants a carrier role, revokes it, and refuses a located role without places', async () => {
  const created = await runKouan(dataDir, ['admin', 'party', 'create', '--kind', 'enterprise', '--id', EXPORTER, '--name', 'Yangshan Terminal', '--roles', 'terminal', '--locations', 'CNSHA,CNNGB']);
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({ id: EXPORTER, roles: ['terminal'], locations: ['CNSHA', 'CNNGB'] });

  const granted = await runKouan(dataDir, ['admin', 'party', 'grant', '--id', EXPORTER, '--roles', 'carrier']);
  expect(granted.code, granted.stderr).toBe(0);
  expect(JSON.parse(granted.stdout)).toEqual({ id: EXPORTER, roles: ['terminal', 'carrier'], locations: ['CNSHA', 'CNNGB'] });

  const revoked = await runKouan(dataDir, ['admin', 'party', 'revoke', '--id', EXPORTER, '--roles', 'terminal']);
  expect(revoked.code, revoked.stderr).toBe(0);
  // Without a terminal or port role the places go too.
  expect(JSON.parse(revoked.stdout)).toEqual({ id: EXPORTER, roles: ['carrier'], locations: [] });

  const refused = await runKouan(dataDir, ['admin', 'party', 'grant', '--id', EXPORTER, '--roles', 'port']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('$.locations');
}, 120_000);
