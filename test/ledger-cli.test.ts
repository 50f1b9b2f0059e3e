/**
 * The ledger from the operator's shell: `kouan ledger verify` replays the store and names a tampered account;
 * `kouan ledger keys` and `kouan ledger verify-copy` check a printed or exported copy offline, with no store.
 * Each command runs in a process of its own against an embedded store, as an operator runs it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createKouan } from '../src/main.js';
import { openStore } from '../src/store/store.js';
import { BROKER, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { delegateGoods } from './support/kouan.js';
import { runKouan, type Run } from './support/cli.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- command output is checked field by field

const NUMBER = 'AIL-CLI-000001';


let dataDir = '';
let account: Json = {};

/** Runs `kouan ARGS` against the test's data directory only. */
function kouan(args: readonly string[], timeoutMs = 60_000): Promise<Run> {
  return runKouan(dataDir, args, timeoutMs);
}

/** The command's standard output as JSON, after checking its exit code. */
function output(run: Run, code: number): Json {
  expect(run.code, `exit code; stdout: ${run.stdout}; stderr: ${run.stderr}`).toBe(code);
  return JSON.parse(run.stdout) as Json;
}

const file = (name: string, content: string): string => {
  const path = join(dataDir, name);
  writeFileSync(path, content);
  return path;
};

/** The ledger's lines as the store holds them, to tamper with as someone with database access would. */
async function setCeiling(ceiling: number): Promise<void> {
  const store = await openStore(loadConfig({ dataDir }, { KOUAN_LOG_LEVEL: 'silent' }).store, { migrate: false });
  try {
    await store.db.updateTable('ledger_lines').set({ ceiling }).where('account_number', '=', NUMBER).execute();
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kouan-ledger-cli-'));
  // Commerce issues a licence and a declaration uses part of it, through the API of a Kouan on that directory.
  const app = await createKouan(loadConfig({ dataDir }, { KOUAN_LOG_LEVEL: 'silent' }), { startExchange: false });
  try {
    const { parties } = app.services;
    await parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Broker', roles: ['declarant', 'broker'] });
    await parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Importer' });
    await delegateGoods(app.services, IMPORTER, BROKER);
    const broker = (await parties.createKey(BROKER)).key;
    const moc = (await parties.createKey('MOC')).key;
    const cus = (await parties.createKey('CUS')).key;
    const today = new Date().toISOString().slice(0, 10);
    const call = async (method: 'GET' | 'POST', url: string, key: string, body?: object) => {
      const response = await app.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body }) });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<Json>();
    };
    await call('POST', '/api/v1/ledger/accounts', moc, {
      type: 'automatic-import-licence',
      number: NUMBER,
      holder: IMPORTER,
      direction: 'import',
      validFrom: today,
      validTo: today,
      lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }],
    });
    const data = importDeclaration({ lines: [{ ...LAPTOPS, quantity: 200, documents: [{ type: 'automatic-import-licence', number: NUMBER }] }] });
    const { id } = await call('POST', '/api/v1/submissions', broker, { docType: 'goods-declaration', data });
    await call('POST', `/api/v1/submissions/${id as string}/decisions`, cus, { outcome: 'accepted' });
    await call('POST', `/api/v1/submissions/${id as string}/decisions`, cus, { outcome: 'released' });
    account = await call('GET', `/api/v1/ledger/accounts/${NUMBER}`, moc);
    expect(account.lines).toEqual([expect.objectContaining({ posted: '200', remaining: '800' })]);
  } finally {
    await app.close();
  }
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kouan ledger verify', () => {
  it('replays every entry of an intact store, prints {accounts, lines, entries, problems: []}, exit code 0', async () => {
    expect(output(await kouan(['ledger', 'verify']), 0)).toEqual({ accounts: 1, lines: 1, entries: 3, problems: [] });
  });

  it('names an account whose line was altered in the database, exit code 1', async () => {
    await setCeiling(5000 * 1_000_000);
    try {
      const audit = output(await kouan(['ledger', 'verify']), 1);
      expect(audit).toMatchObject({ accounts: 1, lines: 1, entries: 3 });
      expect(audit.problems).toEqual([`${NUMBER}: the record does not match its signature`]);
    } finally {
      await setCeiling(1000 * 1_000_000);
    }
    expect(output(await kouan(['ledger', 'verify']), 0).problems).toEqual([]);
  });
});

describe('kouan ledger keys and verify-copy', () => {
  let keys = '';

  it('prints the public keys only', async () => {
    const jwks = output(await kouan(['ledger', 'keys']), 0);
    // MOC's key signed the account; Kouan's own keys (made at start) countersign receipts, decisions and amendment requests, one each.
    expect(jwks.keys.map((key: { issuer: string; purposes: string[] }) => `${key.issuer} ${key.purposes.join(',')}`).sort()).toEqual(['MOC kouan-ledger-account+jws', 'kouan kouan-amendment+jws', 'kouan kouan-decision+jws', 'kouan kouan-receipt+jws']);
    expect(jwks.keys).toContainEqual(expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', issuer: 'MOC' }));
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    keys = file('keys.json', JSON.stringify(jwks));
  });

  it('accepts the signed copy, as a bare JWS and as the exported account, exit code 0', async () => {
    expect(keys, 'the key set from the previous test').not.toBe('');
    for (const copy of [file('copy.jws', `${account.signature as string}\n`), file('account.json', JSON.stringify(account, null, 2))]) {
      const checked = output(await kouan(['ledger', 'verify-copy', copy, '--keys', keys]), 0);
      expect(checked).toMatchObject({ valid: true, issuer: 'MOC', kid: expect.stringMatching(/^MOC-/) as unknown, account: { number: NUMBER, holder: IMPORTER, lines: [{ quantity: '1000' }] } });
    }
  });

  it('refuses a copy with one character of its content changed, with LEDGER_SIGNATURE_INVALID, exit code 1', async () => {
    expect(keys, 'the key set from the previous test').not.toBe('');
    const [header = '', payload = '', signature = ''] = (account.signature as string).split('.');
    const at = Math.floor(payload.length / 2);
    const changed = `${payload.slice(0, at)}${payload[at] === 'A' ? 'B' : 'A'}${payload.slice(at + 1)}`;
    const tampered = file('tampered.jws', `${header}.${changed}.${signature}`);
    const refused = output(await kouan(['ledger', 'verify-copy', tampered, '--keys', keys]), 1);
    expect(refused).toMatchObject({ valid: false, code: 'LEDGER_SIGNATURE_INVALID' });
    expect(refused).not.toHaveProperty('account');

    const unknownKeys = file('other-keys.json', JSON.stringify({ keys: [] }));
    expect(output(await kouan(['ledger', 'verify-copy', file('copy.jws', account.signature as string), '--keys', unknownKeys]), 1)).toMatchObject({ valid: false, code: 'LEDGER_SIGNATURE_INVALID' });
  });
});
