/**
 * Migration 0023 (ledger models) over a store at 0022 that already holds an account with a pending reservation,
 * on both stores: lines get their key from their HS code, HS codes become optional, the issuer no longer has
 * to be a party, the entries keep refusing every change, and the account still verifies, replays and writes off.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerModule, type LedgerService } from '../src/modules/ledger/index.js';
import type { Principal } from '../src/modules/parties/index.js';
import { createSignaturesModule } from '../src/modules/signatures/index.js';
import { canonicalJson } from '../src/shared/canonical-json.js';
import { migrate, openStore, type Store } from '../src/store/store.js';
import * as m1 from '../src/store/migrations/0001-foundation.js';
import * as m2 from '../src/store/migrations/0002-webhooks.js';
import * as m3 from '../src/store/migrations/0003-ledger.js';
import * as m4 from '../src/store/migrations/0004-audit.js';
import * as m5 from '../src/store/migrations/0005-delegations.js';
import * as m6 from '../src/store/migrations/0006-users.js';
import * as m7 from '../src/store/migrations/0007-signatures.js';
import * as m8 from '../src/store/migrations/0008-tracking.js';
import * as m9 from '../src/store/migrations/0009-tracking-subscriptions.js';
import * as m10 from '../src/store/migrations/0010-drafts.js';
import * as m11 from '../src/store/migrations/0011-stats.js';
import * as m12 from '../src/store/migrations/0012-audit-pending.js';
import * as m13 from '../src/store/migrations/0013-tracking-publishers.js';
import * as m14 from '../src/store/migrations/0014-signed-bytes.js';
import * as m15 from '../src/store/migrations/0015-login-failures.js';
import * as m16 from '../src/store/migrations/0016-ledger-sm2.js';
import * as m17 from '../src/store/migrations/0017-tracking-documents.js';
import * as m18 from '../src/store/migrations/0018-tariff.js';
import * as m19 from '../src/store/migrations/0019-customs-offices.js';
import * as m20 from '../src/store/migrations/0020-declaration-numbers.js';
import * as m21 from '../src/store/migrations/0021-must-change-password.js';
import * as m22 from '../src/store/migrations/0022-ledger-reason-codes.js';
import { EXPORTER, IMPORTER } from './support/fixtures.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();
const BEFORE_0023 = {
  '0001-foundation': m1,
  '0002-webhooks': m2,
  '0003-ledger': m3,
  '0004-audit': m4,
  '0005-delegations': m5,
  '0006-users': m6,
  '0007-signatures': m7,
  '0008-tracking': m8,
  '0009-tracking-subscriptions': m9,
  '0010-drafts': m10,
  '0011-stats': m11,
  '0012-audit-pending': m12,
  '0013-tracking-publishers': m13,
  '0014-signed-bytes': m14,
  '0015-login-failures': m15,
  '0016-ledger-sm2': m16,
  '0017-tracking-documents': m17,
  '0018-tariff': m18,
  '0019-customs-offices': m19,
  '0020-declaration-numbers': m20,
  '0021-must-change-password': m21,
  '0022-ledger-reason-codes': m22,
};
const CUS: Principal = { partyId: 'CUS', tenant: 'central', kind: 'agency', roles: ['agency'], keyId: 'test' };
const NUMBER = 'AIL-2026-OLD001';
const at = '2026-01-05T08:00:00.000Z';

describe.each(kinds)('migration 0023 over a ledger at 0022 on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let ledger: LedgerService;

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config, { migrate: false });
    const provider = { getMigrations: () => Promise.resolve(Object.fromEntries(Object.entries(BEFORE_0023).map(([name, module]): [string, Migration] => [name, { up: (db) => module.up(db, store.dialect) }]))) };
    const { error } = await new Migrator({ db: store.db, provider }).migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error('migrations up to 0022 failed');

    // An automatic import licence as the code before 0023 issued it: signed by MOC, lines keyed by HS code only.
    const signer = createSignaturesModule(store.db).platformSigner;
    const signed = {
      number: NUMBER, type: 'automatic-import-licence', issuer: 'MOC', holder: IMPORTER, direction: 'import', validFrom: '2026-01-01', validTo: '2099-12-31',
      ports: [], maxUses: 6, tolerancePct: '0', attributes: {}, lines: [{ lineNo: 1, hsCode: '847130', quantity: '1000', unit: 'PCE' }], issuedAt: at,
    };
    const { signature } = await signer.signAll('MOC', signed);
    const db = store.db as unknown as Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the schema of 0022, not today's
    await db.insertInto('parties').values({ id: 'MOC', tenant_id: 'central', kind: 'agency', name: 'Commerce', roles: '["agency"]', created_at: at }).onConflict((oc) => oc.column('id').doNothing()).execute();
    await db.insertInto('ledger_accounts').values({ number: NUMBER, tenant_id: 'central', type: signed.type, issuer: 'MOC', holder: IMPORTER, direction: 'import', valid_from: signed.validFrom, valid_to: signed.validTo, max_uses: 6, uses: 1, status: 'active', document: canonicalJson(signed), signature, signature_sm2: null, issued_at: at, updated_at: at }).execute();
    await db.insertInto('ledger_lines').values({ account_number: NUMBER, line_no: 1, hs_code: '847130', unit: 'PCE', granted: 1_000_000_000, ceiling: 1_000_000_000, reserved: 200_000_000, posted: 0, debit_reserved: 0, debit_posted: 0 }).execute();
    await db.insertInto('ledger_reservations').values({ id: 'rsv_old', account_number: NUMBER, line_no: 1, submission_id: 'sub_old', path: '$.lines[0].documents[0]', side: 'credit', quantity: 200_000_000, status: 'pending', expires_at: '2099-01-01T00:00:00.000Z', created_at: at, updated_at: at }).execute();
    const entry = { account_number: NUMBER, side: null, quantity: null, reservation_id: null, submission_id: null, actor: 'MOC', reason: null, reason_code: null, reason_params: null, at };
    await db.insertInto('ledger_entries').values({ ...entry, entry_id: `${NUMBER}:issue`, line_no: null, kind: 'issue' }).execute();
    await db.insertInto('ledger_entries').values({ ...entry, entry_id: 'rsv_old:reserve', line_no: 1, kind: 'reserve', side: 'credit', quantity: 200_000_000, reservation_id: 'rsv_old', submission_id: 'sub_old', actor: 'BROKER' }).execute();

    await migrate(store);
    ledger = createLedgerModule(store.db, store.dialect, signer, { reservationTtlMs: 60_000 }, { error: () => undefined });
  });
  afterAll(async () => {
    await ledger.stop();
    await store.close();
    await testStore.drop();
  });

  it('keys the old lines by their HS code and keeps every balance, reservation and entry', async () => {
    const lines = await store.db.selectFrom('ledger_lines').selectAll().execute();
    expect(lines).toEqual([expect.objectContaining({ account_number: NUMBER, line_no: 1, key: '847130', hs_code: '847130', reserved: 200_000_000 })]);
    const view = await ledger.get(CUS, NUMBER);
    expect(view).toMatchObject({ number: NUMBER, model: 'quantity', uses: 1, lines: [{ lineNo: 1, hsCode: '847130', reserved: '200', remaining: '800' }] });
    expect(view.lines[0]).not.toHaveProperty('key');
    expect(await ledger.reservationsOf('sub_old')).toEqual([expect.objectContaining({ account: NUMBER, quantity: '200', state: 'reserved' })]);
    expect(await ledger.audit()).toMatchObject({ accounts: 1, lines: 1, entries: 2, problems: [] });
  });

  it('writes the old reservation off as before', async () => {
    await store.db.transaction().execute((trx) => ledger.writeOff(trx, 'sub_old', 'CUS', new Date().toISOString()));
    expect((await ledger.get(CUS, NUMBER)).lines[0]).toMatchObject({ reserved: '0', posted: '200' });
    expect(await ledger.audit()).toMatchObject({ entries: 3, problems: [] });
  });

  it('keeps the entries immutable', async () => {
    await expect(sql`update ledger_entries set actor = 'someone else'`.execute(store.db)).rejects.toThrow(/immutable/);
    await expect(sql`delete from ledger_entries`.execute(store.db)).rejects.toThrow(/immutable/);
    expect(await store.db.selectFrom('ledger_entries').select('actor').orderBy('seq').execute()).toEqual([{ actor: 'MOC' }, { actor: 'BROKER' }, { actor: 'CUS' }]);
  });

  it('takes lines without an HS code and issuers that are not parties', async () => {
    const carrier: Principal = { partyId: EXPORTER, tenant: 'central', kind: 'enterprise', roles: ['carrier'], keyId: 'test' };
    const { account: bill } = await ledger.issue(carrier, { type: 'transport-document', number: 'MSKU0023001', holder: IMPORTER, direction: 'import', validFrom: '2026-01-01', validTo: '2099-12-31', lines: [{ quantity: 3, unit: 'CT', grossMass: 90 }] });
    expect(bill.lines.map((line) => `${line.key ?? '-'}:${line.hsCode ?? 'none'}:${line.unit}`)).toEqual(['MSKU0023001/1:none:CT', 'MSKU0023001/1:none:KGM']);
    await ledger.preparePlatformKey();
    const { account } = await store.db.transaction().execute((trx) => ledger.issueOnApproval(trx, { type: 'export-rebate-entitlement', number: 'ERE-0023-1', tenant: 'central', holder: IMPORTER, direction: 'export', validFrom: '2026-01-01', validTo: '2099-12-31', lines: [{ quantity: 10, unit: 'CNY' }] }));
    expect(account.issuer).toBe('kouan-ledger');
    expect(await ledger.audit()).toMatchObject({ accounts: 3, problems: [] });
  });
});
