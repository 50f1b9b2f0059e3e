/** What the HTTP layer writes to the audit log, on both stores, and `kouan audit verify` over it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { runKouan } from './support/cli.js';
import { runInAuditScope, type AuditScope } from '../src/modules/audit/index.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();

describe.each(kinds)('audit trail on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let cus: string;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.enterprise(IMPORTER);
    await t.delegate(IMPORTER, BROKER);
    cus = await t.agency('CUS');
  });
  afterAll(async () => {
    await t.close();
  });

  const records = async () => {
    await t.kouan.services.audit.idle();
    return t.kouan.services.store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  };

  it('records every write with who, what, when, from where and the outcome, and agencies reading others\u2019 data', async () => {
    const before = (await records()).length;
    const created = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
    const id = created.json<{ id: string }>().id;
    await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration({ currency: 'EUX' }) } });
    await t.request('POST', '/api/v1/submissions', { body: { docType: 'goods-declaration', data: {} } });
    await t.request('GET', `/api/v1/submissions/${id}`, { key: cus });
    await t.request('GET', `/api/v1/submissions/${id}`, { key: broker });
    await t.request('GET', '/api/v1/doctypes', { key: cus });

    const added = (await records()).slice(before).map((row) => ({ actor: row.actor, kind: row.actor_kind, action: row.action, resource: row.resource, owner: row.resource_owner, outcome: row.outcome }));
    expect(added).toEqual([
      { actor: BROKER, kind: 'enterprise', action: 'POST /api/v1/submissions', resource: id, owner: IMPORTER, outcome: 201 },
      { actor: BROKER, kind: 'enterprise', action: 'POST /api/v1/submissions', resource: null, owner: null, outcome: 422 },
      { actor: 'anonymous', kind: 'anonymous', action: 'POST /api/v1/submissions', resource: null, owner: null, outcome: 401 },
      { actor: 'CUS', kind: 'agency', action: 'GET /api/v1/submissions/:id', resource: id, owner: null, outcome: 200 },
    ]);
    const last = (await records()).at(-1);
    expect(last?.ip).toBe('127.0.0.1');
    expect(Date.parse(last?.at ?? '')).not.toBeNaN();
    expect((await t.kouan.services.audit.verify()).problems).toEqual([]);
  });

  const pendingRows = () => t.kouan.services.store.db.selectFrom('audit_pending').selectAll().execute();

  it('commits a write\u2019s record in the transaction of the write, and a rolled-back write takes its record with it', async () => {
    const { db } = t.kouan.services.store;
    const scope = (requestId: string): AuditScope => ({
      requestId,
      presumedOutcome: 201,
      entry: (outcome) => ({ tenant: 'central', actor: BROKER, actorKind: 'enterprise', action: 'POST /api/v1/test', outcome, ip: '192.0.2.1', requestId }),
      open: true,
      pendingIds: [],
    });
    const committed = scope('req_scope_commit');
    await runInAuditScope(committed, () => db.transaction().execute(async (trx) => trx.selectFrom('parties').select('id').execute()));
    expect(committed.pendingIds).toHaveLength(1);
    // A second transaction of the same request does not write the record again.
    await runInAuditScope(committed, () => db.transaction().execute(async (trx) => trx.selectFrom('parties').select('id').execute()));
    const rolledBack = scope('req_scope_rollback');
    await expect(
      runInAuditScope(rolledBack, () =>
        db.transaction().execute(async () => {
          throw new Error('the write fails');
        }),
      ),
    ).rejects.toThrow('the write fails');
    expect(rolledBack.pendingIds).toEqual([]);
    const rows = (await pendingRows()).filter((row) => row.request_id.startsWith('req_scope_'));
    expect(rows.map((row) => ({ request: row.request_id, outcome: row.outcome, action: row.action }))).toEqual([{ request: 'req_scope_commit', outcome: 201, action: 'POST /api/v1/test' }]);
    // Not chained yet: verify counts it as pending, not as missing.
    expect(await t.kouan.services.audit.verify()).toMatchObject({ pending: 1, problems: [] });
    // Settling gives it the answer's status and chains it.
    await t.kouan.services.audit.settle(committed.pendingIds, { outcome: 200, resource: 'thing_1', resourceOwner: IMPORTER });
    expect((await pendingRows()).filter((row) => row.request_id.startsWith('req_scope_'))).toEqual([]);
    const chained = (await records()).filter((row) => row.request_id === 'req_scope_commit');
    expect(chained.map((row) => ({ outcome: row.outcome, resource: row.resource, owner: row.resource_owner }))).toEqual([{ outcome: 200, resource: 'thing_1', owner: IMPORTER }]);
  });

  it('audits a write refused inside its transaction once, with its 4xx, and leaves nothing pending', async () => {
    const created = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
    const id = created.json<{ id: string }>().id;
    expect((await t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: broker })).statusCode).toBe(200);
    const again = await t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: broker });
    expect(again.json<{ code: string }>().code).toBe('SUBMISSION_CLOSED');
    const cancels = (await records()).filter((row) => row.action === 'POST /api/v1/submissions/:id/cancel' && row.resource === id);
    expect(cancels.map((row) => row.outcome)).toEqual([200, 409]);
    expect(await pendingRows()).toEqual([]);
    expect(await t.kouan.services.audit.verify()).toMatchObject({ pending: 0, problems: [] });
  });

  it.skipIf(kind !== 'sqlite')('`kouan audit verify` exits 0 on the chain and 1 once a record is altered', async () => {
    await t.kouan.services.audit.idle();
    const clean = await runKouan(t.store.config.dataDir, ['audit', 'verify']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ problems: [] });
    const [row] = await records();
    await t.kouan.services.store.db.updateTable('audit_log').set({ outcome: 200 }).where('seq', '=', row?.seq ?? 0).execute();
    const tampered = await runKouan(t.store.config.dataDir, ['audit', 'verify']);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`seq ${row?.seq ?? 0}`);
  });
});
