/**
 * The status database from the operator's shell: `kouan tracking verify` recomputes every current state from the
 * event log and names what differs; `kouan tracking rebuild` puts it right. Each command is a process of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan } from '../src/main.js';
import { openStore } from '../src/store/store.js';
import { EXPORTER } from './support/fixtures.js';
import { runKouan, type Run } from './support/cli.js';

let dataDir = '';

function output(run: Run, code: number): { references: number; events: number; differences?: { kind: string; reference: string; problem: string }[] } {
  expect(run.code, `exit code; stdout: ${run.stdout}; stderr: ${run.stderr}`).toBe(code);
  return JSON.parse(run.stdout) as { references: number; events: number; differences?: { kind: string; reference: string; problem: string }[] };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kouan-tracking-cli-'));
  const kouan = await createKouan(loadConfig({ dataDir }, { KOUAN_LOG_LEVEL: 'silent' }), { startExchange: false });
  try {
    await kouan.services.parties.createParty({ id: EXPORTER, kind: 'enterprise', name: 'Carrier', roles: ['carrier'] });
    const carrier = await kouan.services.parties.authenticate((await kouan.services.parties.createKey(EXPORTER)).key);
    if (carrier === undefined) throw new Error('no carrier');
    const result = await kouan.services.tracking.ingest(carrier, [
      { eventId: 'cli-1', eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-11-20T06:40:00Z', location: 'CNSHA', references: { container: 'MSKU1234565', billOfLading: 'MEDUCLI00001' } },
      { eventId: 'cli-2', eventType: 'EQUIPMENT', code: 'GTOT', classifier: 'ACT', eventTime: '2026-11-21T10:00:00Z', location: 'CNSHA', references: { container: 'MSKU1234565' } },
    ]);
    expect(result.stored).toBe(2);
  } finally {
    await kouan.close();
  }
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kouan tracking verify and rebuild', () => {
  it('finds an intact projection, exit code 0', async () => {
    expect(output(await runKouan(dataDir, ['tracking', 'verify']), 0)).toEqual({ references: 2, events: 2, differences: [] });
  });

  it('names a current state altered in the database, exit code 1, until a rebuild', async () => {
    const store = await openStore(loadConfig({ dataDir }, { KOUAN_LOG_LEVEL: 'silent' }).store, { migrate: false });
    try {
      await store.db.updateTable('tracking_current').set({ summary: '{"text":"released"}' }).where('reference', '=', 'MSKU1234565').execute();
    } finally {
      await store.close();
    }
    expect(output(await runKouan(dataDir, ['tracking', 'verify']), 1).differences).toEqual([{ tenant: 'central', kind: 'container', reference: 'MSKU1234565', problem: 'different' }]);
    expect(output(await runKouan(dataDir, ['tracking', 'rebuild']), 0)).toEqual({ references: 2, events: 2 });
    expect(output(await runKouan(dataDir, ['tracking', 'verify']), 0).differences).toEqual([]);
  });
});
