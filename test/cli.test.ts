/**
 * The operator CLI as an operator runs it: `kouan admin ...` and `kouan codes import ...` in a process of their own
 * against an embedded store, then the same store opened by the server; the store each command names on stderr;
 * and `kouan serve` refusing to start (busy port, foreign host, unwritable data directory) in one line.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan } from '../src/main.js';
import { BROKER } from './support/fixtures.js';
import { runKouan, type Run } from './support/cli.js';
import { createTestStore, postgresUnavailable } from './support/stores.js';

const postgresReason = await postgresUnavailable();

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED_DATA = resolve(ROOT, '../shared/data');
const HS_FILE = '../shared/data/hs/harmonized-system.csv';
const LOCODE_FILE = '../shared/data/unlocode/unlocode.csv';
const haveSharedData = existsSync(resolve(ROOT, HS_FILE)) && existsSync(resolve(ROOT, LOCODE_FILE));
if (!haveSharedData) console.warn(`Skipping the code list imports: the reference data is not at ${SHARED_DATA}`);


let dataDir = '';

/** Runs `kouan ARGS` against the test's data directory only. */
function kouan(args: readonly string[], timeoutMs = 60_000): Promise<Run> {
  return runKouan(dataDir, args, timeoutMs);
}

/** The command's standard output, which must be one JSON document and nothing else. */
function json(run: Run): unknown {
  expect(run.code, `exit code; stderr: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as unknown;
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kouan-cli-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kouan admin', () => {
  let key = '';

  it('creates an enterprise and prints exactly {id, kind, name, roles, tenant}', async () => {
    const created = json(await kouan(['admin', 'party', 'create', '--kind', 'enterprise', '--id', BROKER, '--name', 'X']));
    expect(created).toEqual({ id: BROKER, kind: 'enterprise', name: 'X', roles: ['declarant'], tenant: 'central' });
  });

  it('refuses a credit code with a wrong check character, exit code 1, naming USCC_INVALID', async () => {
    const wrong = `${BROKER.slice(0, -1)}${BROKER.endsWith('X') ? 'Y' : 'X'}`;
    const run = await kouan(['admin', 'party', 'create', '--kind', 'enterprise', '--id', wrong, '--name', 'Bad check character']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('USCC_INVALID');
    expect(run.stderr).toContain(wrong);
  });

  it('refuses a second party with the same id', async () => {
    const run = await kouan(['admin', 'party', 'create', '--kind', 'enterprise', '--id', BROKER, '--name', 'Again']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PARTY_EXISTS');
  });

  it('issues a key and prints {party, key}', async () => {
    const issued = json(await kouan(['admin', 'key', 'create', '--party', BROKER])) as { party: string; key: string; id: string };
    expect(issued).toEqual({ party: BROKER, key: expect.stringMatching(/^kouan\.key_[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/) as unknown, id: expect.stringMatching(/^key_/) as unknown });
    expect(issued.key).toContain(issued.id);
    key = issued.key;
  });

  it('refuses a key for an unknown party, exit code 1', async () => {
    const run = await kouan(['admin', 'key', 'create', '--party', '91310000MA1K4A2B90']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PARTY_UNKNOWN');
  });

  it('the key it printed opens the API of a server on the same store', async () => {
    expect(key, 'the key from the previous test').not.toBe('');
    const kouanApp = await createKouan(loadConfig({ dataDir }, { KOUAN_LOG_LEVEL: 'silent' }), { startExchange: false });
    try {
      const me = await kouanApp.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ party: BROKER, kind: 'enterprise', tenant: 'central', roles: ['declarant'] });
      const forged = await kouanApp.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key.slice(0, -2)}AA` } });
      expect(forged.statusCode).toBe(401);
    } finally {
      await kouanApp.close();
    }
  });
});

describe('kouan codes import', () => {
  it.skipIf(!haveSharedData)('imports the HS nomenclature', async () => {
    const imported = json(await kouan(['codes', 'import', 'hs', HS_FILE])) as { list: string; entries: number; seconds: number };
    expect(imported).toMatchObject({ list: 'hs', file: HS_FILE });
    expect(imported.entries).toBeGreaterThan(5000);
    const status = json(await kouan(['codes', 'status'])) as { list: string; loaded: boolean; entries: number }[];
    expect(status.find((list) => list.list === 'hs')).toMatchObject({ loaded: true, entries: imported.entries });
  });

  it.skipIf(!haveSharedData)('imports UN/LOCODE, about 115k rows, in under 30 seconds', { timeout: 90_000 }, async () => {
    const imported = json(await kouan(['codes', 'import', 'locode', LOCODE_FILE], 80_000)) as { list: string; entries: number; seconds: number };
    expect(imported).toMatchObject({ list: 'locode', file: LOCODE_FILE });
    expect(imported.entries).toBeGreaterThan(100_000);
    expect(imported.seconds).toBeLessThan(30);
  });

  it.skipIf(!haveSharedData)('serves the imported lists', async () => {
    const kouanApp = await createKouan(loadConfig({ dataDir }, { KOUAN_LOG_LEVEL: 'silent' }), { startExchange: false });
    try {
      const issued = await kouanApp.services.parties.createKey(BROKER);
      const headers = { authorization: `Bearer ${issued.key}` };
      const hs = await kouanApp.app.inject({ method: 'GET', url: '/api/v1/codes/hs?q=847130', headers });
      expect(hs.statusCode).toBe(200);
      expect(JSON.stringify(hs.json())).toContain('847130');
      const locode = await kouanApp.app.inject({ method: 'GET', url: '/api/v1/codes/locode?q=CNSHA', headers });
      expect(locode.statusCode).toBe(200);
      expect(JSON.stringify(locode.json())).toContain('CNSHA');
    } finally {
      await kouanApp.close();
    }
  });

  it('refuses an unknown list, exit code 1', async () => {
    const run = await kouan(['codes', 'import', 'flags', 'nowhere.csv']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no code list "flags"; the lists imported from files are hs, locode, tariff, customs-offices, trade-mode, levy-nature');
  });
});

describe('the CLI names its store', () => {
  it('says on stderr where a write went, and that it made a new, empty store when it did; stdout stays JSON', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'kouan-cli-other-'));
    try {
      const first = await runKouan(elsewhere, ['admin', 'party', 'create', '--kind', 'enterprise', '--id', BROKER, '--name', 'Elsewhere']);
      expect(json(first)).toMatchObject({ id: BROKER });
      expect(first.stderr).toContain(`kouan: created a new, empty store: SQLite ${join(elsewhere, 'kouan.db')}`);
      const second = await runKouan(elsewhere, ['admin', 'key', 'create', '--party', BROKER]);
      expect(json(second)).toMatchObject({ party: BROKER });
      expect(second.stderr.trim()).toBe(`kouan: store: SQLite ${join(elsewhere, 'kouan.db')}`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a read of a store that is not there, and creates nothing', async () => {
    const nowhere = join(mkdtempSync(join(tmpdir(), 'kouan-cli-none-')), 'data');
    try {
      const run = await runKouan(nowhere, ['admin', 'party', 'list']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`no store at SQLite ${join(nowhere, 'kouan.db')} yet`);
      expect(existsSync(nowhere)).toBe(false);
    } finally {
      rmSync(resolve(nowhere, '..'), { recursive: true, force: true });
    }
  });

  it.skipIf(postgresReason !== undefined)('names a PostgreSQL store by its URL without the password', async () => {
    const store = await createTestStore('postgres');
    try {
      const url = new URL(store.config.databaseUrl ?? '');
      url.password = 'not-for-logs';
      const read = await runKouan(dataDir, ['admin', 'party', 'list', '--database-url', url.toString()]);
      expect(read.code).toBe(1);
      expect(read.stderr).toContain('no store at PostgreSQL');
      const created = await runKouan(dataDir, ['admin', 'party', 'create', '--kind', 'enterprise', '--id', BROKER, '--name', 'On PostgreSQL', '--database-url', url.toString()]);
      expect(json(created)).toMatchObject({ id: BROKER });
      const plain = new URL(url.toString());
      plain.password = '';
      expect(created.stderr).toContain(`kouan: created a new, empty store: PostgreSQL ${plain.toString()}`);
      expect(created.stderr).not.toContain('not-for-logs');
      const listed = await runKouan(dataDir, ['admin', 'party', 'list', '--database-url', url.toString()]);
      expect(JSON.stringify(json(listed))).toContain(BROKER);
    } finally {
      await store.drop();
    }
  });
});

describe('kouan serve refuses to start in one clear line', () => {
  /** One line on stderr, no stack trace, exit code 1. */
  const expectOneLine = (run: Run, pattern: RegExp) => {
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  };

  it('on a busy port: which port, and how to choose another', async () => {
    const busy = createServer();
    const port = await new Promise<number>((done) => busy.listen(0, '127.0.0.1', () => done((busy.address() as AddressInfo).port)));
    try {
      const run = await kouan(['serve', '--port', String(port), '--host', '127.0.0.1']);
      expectOneLine(run, new RegExp(`^kouan: port ${port} on 127\\.0\\.0\\.1 is already in use .*PORT=${port + 1} npm start, or kouan serve --port ${port + 1}$`));
    } finally {
      busy.close();
    }
  });

  it('on a host that is not this machine, or does not resolve', async () => {
    expectOneLine(await kouan(['serve', '--port', '0', '--host', '203.0.113.7']), /^kouan: 203\.0\.113\.7 is not an address of this machine; set KOUAN_HOST or kouan serve --host/);
    expectOneLine(await kouan(['serve', '--port', '0', '--host', 'no-such-host.invalid']), /^kouan: the host name no-such-host\.invalid does not resolve/);
  });

  it('on a data directory it cannot write', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'kouan-cli-file-'));
    try {
      writeFileSync(join(parent, 'a-file'), 'not a directory');
      const run = await runKouan(join(parent, 'a-file', 'data'), ['serve', '--port', '0']);
      expectOneLine(run, /^kouan: cannot open the store at .*a-file\/data\/kouan\.db: a part of the path is a file, not a directory; set KOUAN_DATA_DIR or --data-dir/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
