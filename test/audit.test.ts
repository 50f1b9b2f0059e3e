/**
 * The audit chain on both stores: concurrent appenders give one unbroken chain; `verify` names the seq of every
 * modified, inserted or deleted record (the head catches a deleted tail); operators query by party, action, time.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRoutes } from '../src/http/routes/audit.routes.js';
import { sendProblem, toKouanError } from '../src/http/problem.js';
import { createAuditModule, recordHash, type ActorKind, type AuditEntry, type AuditService } from '../src/modules/audit/index.js';
import type { PartyKind } from '../src/modules/parties/index.js';
import type { Database } from '../src/store/schema.js';
import { openStore, type Store } from '../src/store/store.js';
import { up as migrateAudit } from '../src/store/migrations/0004-audit.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

/** An operator of a tenant, as the audit log's query takes it. */
const operatorOf = (tenant: string) => ({ partyId: `OPS-${tenant}`, tenant, kind: 'operator' as const });

const kinds = await storeKinds();

const ENTERPRISE_A = '91310000MA1K4A2B90';
const ENTERPRISE_B = '91310115MA1H7L0Q2K';
const ACTORS: readonly { id: string; kind: ActorKind }[] = [
  { id: ENTERPRISE_A, kind: 'enterprise' },
  { id: ENTERPRISE_B, kind: 'enterprise' },
  { id: 'CUS', kind: 'agency' },
  { id: 'OPS1', kind: 'operator' },
];
const ACTIONS = ['POST /api/v1/submissions', 'GET /api/v1/submissions/:id', 'POST /api/v1/submissions/:id/decisions'] as const;
const BASE = Date.parse('2026-11-27T00:00:00.000Z');
const TOTAL = 500;
const APPENDERS = 4;

/** The i-th entry: actors, actions and owners cycle; one in ten is another tenant's; one minute apart. */
function entry(i: number): AuditEntry & { requestId: string } {
  const actor = ACTORS[i % ACTORS.length] ?? ACTORS[0]!;
  const owner = actor.kind === 'enterprise' ? actor.id : i % 8 < 4 ? ENTERPRISE_A : ENTERPRISE_B;
  return {
    at: new Date(BASE + i * 60_000).toISOString(),
    tenant: i % 10 === 9 ? 'shenzhen' : 'central',
    actor: actor.id,
    actorKind: actor.kind,
    keyId: `key_${actor.id}`,
    action: ACTIONS[i % ACTIONS.length] ?? ACTIONS[0],
    resource: `sub_${i}`,
    resourceOwner: owner,
    outcome: i % 7 === 0 ? 422 : 200,
    ip: `203.0.113.${i % 250}`,
    requestId: `req_${i}`,
    detail: { i, note: '货物申报' },
  };
}
const entries = Array.from({ length: TOTAL }, (_, i) => entry(i));

describe.each(kinds)('audit on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let audit: AuditService;
  let db: Kysely<Database>;

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config);
    // Until 0004 is registered in store.ts the test applies it itself.
    const tables = await store.db.introspection.getTables();
    if (!tables.some((table) => table.name === 'audit_log')) await migrateAudit(store.db, store.dialect);
    audit = createAuditModule(store.db);
    db = store.db;
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  const record = async (seq: number) => db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
  const head = async () => db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
  /** Runs a tampering, returns verify's problems, then puts the chain back as it was and checks it is whole again. */
  async function tamper(work: () => Promise<void>): Promise<readonly string[]> {
    const before = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const headBefore = await head();
    try {
      await work();
      return (await audit.verify()).problems;
    } finally {
      await db.deleteFrom('audit_log').execute();
      for (let index = 0; index < before.length; index += 250) await db.insertInto('audit_log').values(before.slice(index, index + 250)).execute();
      await db.deleteFrom('audit_head').execute();
      await db.insertInto('audit_head').values(headBefore).execute();
      expect((await audit.verify()).problems).toEqual([]);
    }
  }

  it(`chains ${TOTAL} records from ${APPENDERS} concurrent appenders into one unbroken chain`, async () => {
    // On PostgreSQL each appender has its own store (connection pool), as separate processes would; SQLite
    // serves one process, whose appenders share the one connection.
    const others = kind === 'postgres' ? await Promise.all(Array.from({ length: APPENDERS - 1 }, () => openStore(testStore.config, { migrate: false }))) : [];
    try {
      const appenders = [audit, ...Array.from({ length: APPENDERS - 1 }, (_, n) => createAuditModule((others[n] ?? store).db))];
      const stored = await Promise.all(
        appenders.map(async (appender, a) => {
          const mine = entries.filter((_, i) => i % APPENDERS === a);
          const results = [];
          // Bursts of concurrent appends, so that both group commit and interleaving between appenders happen.
          for (let index = 0; index < mine.length; index += 25) results.push(...(await Promise.all(mine.slice(index, index + 25).map((item) => appender.append(item)))));
          return results;
        }),
      );
      const all = stored.flat();
      expect(all.map((item) => item.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
      expect(new Set(all.map((item) => item.requestId)).size).toBe(TOTAL);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }

    const verdict = await audit.verify();
    expect(verdict).toEqual({ records: TOTAL, pending: 0, head: { seq: TOTAL, hash: (await record(TOTAL)).hash }, problems: [] });
    const first = await record(1);
    expect(first.prev_hash).toBe('0'.repeat(64));
    const stored = await record(137);
    expect(stored.prev_hash).toBe((await record(136)).hash);
    expect(stored.hash).toBe(recordHash(stored.prev_hash, stored));
    expect(JSON.parse(stored.detail ?? 'null')).toEqual(entries.find((item) => item.requestId === stored.request_id)?.detail);
  });

  it('rejects a malformed entry on its own and keeps chaining the others', async () => {
    const bad = audit.append({ ...entry(0), outcome: 2.5 });
    await expect(bad).rejects.toThrow(/outcome/);
    const appending = audit.append({ ...entry(0), requestId: 'req_extra' });
    await expect(audit.append({ ...entry(1), actorKind: 'robot' as ActorKind })).rejects.toThrow(/actor kind/);
    // idle() is what shutdown waits on: once it resolves, every append made before is committed.
    await audit.idle();
    expect((await record(TOTAL + 1)).request_id).toBe('req_extra');
    expect((await appending).seq).toBe(TOTAL + 1);
    expect((await audit.verify()).problems).toEqual([]);
    // Take it back out, head included, so the rest of the file sees exactly the 500.
    await db.deleteFrom('audit_log').where('seq', '=', TOTAL + 1).execute();
    await db.updateTable('audit_head').set({ seq: TOTAL, hash: (await record(TOTAL)).hash }).execute();
    expect((await audit.verify()).records).toBe(TOTAL);
  });

  it('detects a modified field (outcome 200 -> 403) in the middle', async () => {
    const problems = await tamper(async () => {
      await db.updateTable('audit_log').set({ outcome: 403 }).where('seq', '=', 250).execute();
    });
    expect(problems).toEqual(['seq 250: its content does not match its hash: the record was modified']);
  });

  it('detects a modified record whose own hash was recomputed: the next record no longer chains to it', async () => {
    const problems = await tamper(async () => {
      const original = await record(250);
      const forged = { ...original, actor: 'SOMEONE_ELSE', outcome: 403 };
      await db.updateTable('audit_log').set({ actor: forged.actor, outcome: forged.outcome, hash: recordHash(forged.prev_hash, forged) }).where('seq', '=', 250).execute();
    });
    expect(problems).toEqual(['seq 251: prev_hash does not match the hash of seq 250: a record before it was deleted, inserted, or modified and rehashed']);
  });

  it('detects a record deleted in the middle', async () => {
    const problems = await tamper(async () => {
      await db.deleteFrom('audit_log').where('seq', '=', 250).execute();
    });
    expect(problems).toEqual(['seq 250: missing, deleted', 'seq 251: prev_hash does not match the hash of seq 249: a record before it was deleted, inserted, or modified and rehashed']);
  });

  it('detects a forged record put in the place of a deleted one, correctly chained to the one before', async () => {
    const problems = await tamper(async () => {
      const previous = await record(249);
      const original = await record(250);
      const forged = { ...original, actor: 'FORGER', outcome: 200, detail: '{"forged":true}', prev_hash: previous.hash };
      await db.deleteFrom('audit_log').where('seq', '=', 250).execute();
      await db.insertInto('audit_log').values({ ...forged, hash: recordHash(forged.prev_hash, forged) }).execute();
    });
    expect(problems).toEqual(['seq 251: prev_hash does not match the hash of seq 250: a record before it was deleted, inserted, or modified and rehashed']);
  });

  it('detects a forged record appended after the last one without moving the head', async () => {
    const problems = await tamper(async () => {
      const last = await record(TOTAL);
      const forged = { ...last, seq: TOTAL + 1, request_id: 'req_forged', prev_hash: last.hash };
      await db.insertInto('audit_log').values({ ...forged, hash: recordHash(forged.prev_hash, forged) }).execute();
    });
    expect(problems).toEqual([`seq ${TOTAL + 1}: records beyond the head (seq ${TOTAL}) were inserted`]);
  });

  it('detects a forged record inserted before the first', async () => {
    const problems = await tamper(async () => {
      const first = await record(1);
      await db.insertInto('audit_log').values({ ...first, seq: 0, request_id: 'req_forged' }).execute();
    });
    expect(problems[0]).toBe('seq 0: a record before seq 1 was inserted');
    expect(problems).toContain('seq 1: prev_hash does not match the hash of seq 0: a record before it was deleted, inserted, or modified and rehashed');
  });

  it('detects the last record deleted: the head is ahead of the chain', async () => {
    const problems = await tamper(async () => {
      await db.deleteFrom('audit_log').where('seq', '=', TOTAL).execute();
    });
    expect(problems).toEqual([`seq ${TOTAL}: missing, deleted (the head is at seq ${TOTAL})`]);
  });

  it('detects the last record replaced or the head altered', async () => {
    const problems = await tamper(async () => {
      await db.updateTable('audit_head').set({ hash: 'f'.repeat(64) }).execute();
    });
    expect(problems).toEqual([`seq ${TOTAL}: its hash does not match the head's: the last record was replaced or the head altered`]);
  });

  it('detects a deleted head row', async () => {
    const problems = await tamper(async () => {
      await db.deleteFrom('audit_head').execute();
    });
    expect(problems).toEqual(['the audit head is missing: it was deleted, so deletions of the newest records cannot be ruled out']);
  });

  it('detects a tail deleted together with a rewound head only against a checkpoint kept elsewhere', async () => {
    const checkpoint = (await audit.verify()).head;
    expect(checkpoint).not.toBeNull();
    const rewound: { plain: readonly string[]; checked: readonly string[] } = { plain: [], checked: [] };
    await tamper(async () => {
      await db.deleteFrom('audit_log').where('seq', '>', TOTAL - 2).execute();
      await db.updateTable('audit_head').set({ seq: TOTAL - 2, hash: (await record(TOTAL - 2)).hash }).execute();
      rewound.plain = (await audit.verify()).problems;
      rewound.checked = (await audit.verify({ checkpoint: checkpoint ?? undefined })).problems;
    });
    expect(rewound.plain).toEqual([]);
    expect(rewound.checked).toEqual([`seq ${TOTAL}: the checkpoint's record is not in the chain (up to seq ${TOTAL - 2}): it was deleted`]);
    expect((await audit.verify({ checkpoint: { seq: 100, hash: (await record(100)).hash } })).problems).toEqual([]);
    expect((await audit.verify({ checkpoint: { seq: 100, hash: 'e'.repeat(64) } })).problems).toEqual(["seq 100: its hash differs from the checkpoint's: the chain up to it was rewritten"]);
  });

  it('finds records by party (actor or owner), oldest first, page by page, within the tenant', async () => {
    const expected = entries.filter((item) => item.tenant === 'central' && (item.actor === ENTERPRISE_A || item.resourceOwner === ENTERPRISE_A)).map((item) => item.requestId);
    const seen: string[] = [];
    const seqs: number[] = [];
    let after = 0;
    for (;;) {
      const page = await audit.query(operatorOf('central'), { party: ENTERPRISE_A, after, limit: 40 });
      if (page.records.length === 0) break;
      expect(page.records.every((item) => item.tenant === 'central' && (item.actor === ENTERPRISE_A || item.resourceOwner === ENTERPRISE_A))).toBe(true);
      seen.push(...page.records.map((item) => item.requestId));
      seqs.push(...page.records.map((item) => item.seq));
      expect(page.next).toBe(page.records.at(-1)?.seq);
      after = page.next;
    }
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(seen).toHaveLength(expected.length);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));

    const acted = await audit.query(operatorOf('central'), { actor: 'CUS', limit: 1000 });
    expect(acted.records.map((item) => item.requestId).sort()).toEqual(entries.filter((item) => item.tenant === 'central' && item.actor === 'CUS').map((item) => item.requestId).sort());
    const other = await audit.query(operatorOf('shenzhen'), { limit: 1000 });
    expect(other.records).toHaveLength(entries.filter((item) => item.tenant === 'shenzhen').length);
    expect(other.records.every((item) => item.tenant === 'shenzhen')).toBe(true);
  });

  it('finds records by action and by time range', async () => {
    const decisions = await audit.query(operatorOf('central'), { action: 'POST /api/v1/submissions/:id/decisions', limit: 1000 });
    expect(decisions.records.length).toBe(entries.filter((item) => item.tenant === 'central' && item.action === 'POST /api/v1/submissions/:id/decisions').length);
    expect(decisions.records.every((item) => item.action === 'POST /api/v1/submissions/:id/decisions')).toBe(true);

    // 01:40 to 03:20: entries 100..199; `from` without milliseconds still includes the record at exactly 01:40.
    const window = await audit.query(operatorOf('central'), { from: '2026-11-27T01:40:00Z', to: '2026-11-27T11:20:00+08:00', limit: 1000 });
    const expected = entries.filter((_, i) => i >= 100 && i < 200).filter((item) => item.tenant === 'central');
    expect(window.records.map((item) => item.requestId).sort()).toEqual(expected.map((item) => item.requestId).sort());

    const combined = await audit.query(operatorOf('central'), { party: ENTERPRISE_B, action: 'POST /api/v1/submissions', from: '2026-11-27T00:00:00Z', to: '2026-11-27T05:00:00Z', limit: 1000 });
    const combinedExpected = entries.filter(
      (item, i) => i < 300 && item.tenant === 'central' && item.action === 'POST /api/v1/submissions' && (item.actor === ENTERPRISE_B || item.resourceOwner === ENTERPRISE_B),
    );
    expect(combined.records.map((item) => item.requestId).sort()).toEqual(combinedExpected.map((item) => item.requestId).sort());
    expect(combinedExpected.length).toBeGreaterThan(0);

    await expect(audit.query(operatorOf('central'), { from: 'yesterday' })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
  });

  describe('GET /api/v1/audit', () => {
    let app: FastifyInstance;

    beforeAll(async () => {
      // The route alone, with the principal taken from test headers in place of an API key.
      const instance = Fastify().withTypeProvider<TypeBoxTypeProvider>();
      instance.decorateRequest('principal', undefined);
      instance.addHook('onRequest', async (request) => {
        const kindHeader = request.headers['x-test-kind'];
        if (typeof kindHeader !== 'string') return;
        request.principal = { partyId: 'P', tenant: String(request.headers['x-test-tenant'] ?? 'central'), kind: kindHeader as PartyKind, roles: [], keyId: 'key_test' };
      });
      instance.setErrorHandler((error, request, reply) => sendProblem(request, reply, toKouanError(error, 1_000_000)));
      await instance.register(auditRoutes({ audit }), { prefix: '/api/v1' });
      app = instance;
    });
    afterAll(async () => {
      await app.close();
    });

    it('is for operators only', async () => {
      for (const party of ['enterprise', 'agency']) {
        const response = await app.inject({ url: '/api/v1/audit', headers: { 'x-test-kind': party } });
        expect(response.statusCode).toBe(403);
        expect(response.json().code).toBe('FORBIDDEN');
      }
      expect((await app.inject({ url: '/api/v1/audit' })).json().code).toBe('AUTH_REQUIRED');
    });

    it("shows an operator its own tenant's records only", async () => {
      const central = await app.inject({ url: `/api/v1/audit?party=${ENTERPRISE_A}&limit=1000`, headers: { 'x-test-kind': 'operator' } });
      expect(central.statusCode).toBe(200);
      const body = central.json();
      expect(body.records.length).toBe(entries.filter((item) => item.tenant === 'central' && (item.actor === ENTERPRISE_A || item.resourceOwner === ENTERPRISE_A)).length);
      expect(body.records[0]).toMatchObject({ tenant: 'central', seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), detail: { note: '货物申报' } });

      const shenzhen = await app.inject({ url: '/api/v1/audit?limit=1000', headers: { 'x-test-kind': 'operator', 'x-test-tenant': 'shenzhen' } });
      expect(shenzhen.json().records.every((item: { tenant: string }) => item.tenant === 'shenzhen')).toBe(true);
      expect(shenzhen.json().records).toHaveLength(entries.filter((item) => item.tenant === 'shenzhen').length);
    });

    it('validates the query', async () => {
      const response = await app.inject({ url: '/api/v1/audit?limit=0&from=soon', headers: { 'x-test-kind': 'operator' } });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('REQUEST_INVALID');
    });
  });

  // Keep the assertion that the chain holds after everything above: the tampering cases restored what they broke.
  it('is whole at the end', async () => {
    expect(await audit.verify()).toMatchObject({ records: TOTAL, problems: [] });
    expect((await head()).seq).toBe(TOTAL);
  });
});
