/** What the HTTP layer writes to the audit log, on both stores, and `kouan audit verify` over it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { runKouan } from './support/cli.js';
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
