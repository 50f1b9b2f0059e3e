/**
 * The operators' dashboard (GET /api/v1/stats) on both stores: per UTC day of the window, submissions stored,
 * released, rejected, refused and cancelled; per agency, parts routed and decided in the window, the rejection
 * rate, clearance minutes (median, p90), the open queue and unacknowledged inbox messages now. Only the
 * operator's tenant counts; others are refused; bad queries are 400 with the parameter at fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLES, EXPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';
import { examples } from '../src/doctypes/processing-trade-filing/examples.js';

const processingFiling = examples[0]?.document;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const DAY = 86_400_000;
const MINUTE = 60_000;

describe.each(kinds)('operator statistics on %s', (kind) => {
  let t: TestKouan;
  let keys: Cast;
  let operator: string;
  let shenzhenOperator: string;
  /** Today and the days before it, as the dashboard names them (UTC). */
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = await cast(t);
    const { parties, store, exchange } = t.kouan.services;
    await parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    operator = (await parties.createKey('ops')).key;
    await parties.createTenant({ id: 'shenzhen', name: 'Shenzhen e-port' });
    await parties.createParty({ id: 'ops-sz', kind: 'operator', name: 'Shenzhen operations', tenant: 'shenzhen' });
    shenzhenOperator = (await parties.createKey('ops-sz')).key;
    await parties.createParty({ id: EXPORTER, kind: 'enterprise', name: 'Shenzhen enterprise', roles: ['declarant'], tenant: 'shenzhen' });
    const shenzhen = (await parties.createKey(EXPORTER)).key;

    const submit = async (lines: unknown[], key = keys.broker, data: Json = {}) => {
      const response = await t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data: importDeclaration({ lines, ...data }) } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<Json>().id as string;
    };
    const decide = async (id: string, key: string, outcome: string, reasons?: Json[]) => {
      const response = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key, body: reasons === undefined ? { outcome } : { outcome, reasons } });
      expect(response.statusCode, response.body).toBe(200);
    };
    /** Moves a submission's whole story to `createdAt`, its releases `releaseAfterMinutes` later. */
    const backdate = async (id: string, createdAt: string, releaseAfterMinutes: number) => {
      const releasedAt = new Date(Date.parse(createdAt) + releaseAfterMinutes * MINUTE).toISOString();
      await store.db.updateTable('submissions').set({ created_at: createdAt, updated_at: releasedAt }).where('id', '=', id).execute();
      await store.db.updateTable('parts').set({ created_at: createdAt, updated_at: releasedAt }).where('submission_id', '=', id).execute();
      await store.db.updateTable('submission_history').set({ at: createdAt }).where('submission_id', '=', id).execute();
      await store.db.updateTable('submission_history').set({ at: releasedAt }).where('submission_id', '=', id).where('to_status', '=', 'released').execute();
      // The dashboard counts the event log: its events about the submission move with it.
      await store.db.updateTable('domain_events').set({ at: createdAt }).where('subject_id', '=', id).execute();
      await store.db.updateTable('domain_events').set({ at: releasedAt }).where('subject_id', '=', id).where('type', 'in', ['part.status-changed', 'submission.status-changed']).where('payload', 'like', '%"to":"released"%').execute();
    };

    // Three days ago: released by customs after 90 minutes. Yesterday: after 30 minutes.
    const old = await submit([LAPTOPS]);
    await decide(old, keys.cus, 'accepted');
    await decide(old, keys.cus, 'released');
    await backdate(old, `${day(3)}T10:00:00.000Z`, 90);
    const recent = await submit([LAPTOPS]);
    await decide(recent, keys.cus, 'accepted');
    await decide(recent, keys.cus, 'released');
    await backdate(recent, `${day(1)}T08:00:00.000Z`, 30);
    // Today: inspection rejects one (its customs part is cancelled), the broker cancels one, customs refuses
    // one, one waits in inspection, one is left alone (customs acknowledges its message).
    const rejected = await submit([LAPTOPS, APPLES]);
    await decide(rejected, keys.ciq, 'rejected', [{ message: 'no phytosanitary certificate' }]);
    const cancelled = await submit([LAPTOPS]);
    expect((await t.request('POST', `/api/v1/submissions/${cancelled}/cancel`, { key: keys.broker })).statusCode).toBe(200);
    const refused = await submit([LAPTOPS]);
    await decide(refused, keys.cus, 'accepted');
    await decide(refused, keys.cus, 'refused', [{ message: 'counterfeit goods' }]);
    const inspected = await submit([LAPTOPS, APPLES]);
    await decide(inspected, keys.cus, 'accepted');
    await decide(inspected, keys.ciq, 'inspection');
    const waiting = await submit([LAPTOPS]);
    // Another tenant's declaration: never on the central operator's dashboard.
    await submit([LAPTOPS], shenzhen, { declarant: EXPORTER, consignee: { id: EXPORTER, name: 'Shenzhen enterprise' } });

    await exchange.dispatchPending();
    const inbox = (await t.request('GET', '/api/v1/inbox?limit=500', { key: keys.cus })).json<Json>().messages as Json[];
    const message = inbox.find((candidate) => candidate.submissionId === waiting && candidate.kind === 'part.submitted');
    expect((await t.request('POST', `/api/v1/inbox/${String(message?.messageId)}/ack`, { key: keys.cus })).statusCode).toBe(200);
    // The counts are a projection of the log: recounted from its start, they take the backdated times.
    await t.kouan.services.stats.rebuild();
  });
  afterAll(async () => {
    await t.close();
  });

  const stats = async (query: string, key = operator) => {
    const response = await t.request('GET', `/api/v1/stats${query}`, { key });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Json>();
  };
  const zeroDay = { submitted: 0, released: 0, approved: 0, rejected: 0, refused: 0, cancelled: 0 };

  it('counts each UTC day of the window, oldest first, zeros included', async () => {
    const body = await stats('?days=7');
    expect(body).toMatchObject({ tenant: 'central', from: day(6), to: day(0), generatedAt: expect.any(String) });
    expect(body.days).toEqual([
      { date: day(6), ...zeroDay },
      { date: day(5), ...zeroDay },
      { date: day(4), ...zeroDay },
      { date: day(3), ...zeroDay, submitted: 1, released: 1 },
      { date: day(2), ...zeroDay },
      { date: day(1), ...zeroDay, submitted: 1, released: 1 },
      { date: day(0), submitted: 5, released: 0, approved: 0, rejected: 1, refused: 1, cancelled: 1 },
    ]);
    // Thirty days by default; a window of three leaves out the release three days ago.
    expect((await stats('')).days).toHaveLength(30);
    expect((await stats('?days=3')).days.map((entry: Json) => entry.submitted)).toEqual([0, 1, 5]);
  });

  it('gives each agency its volumes, decisions, rejection rate, clearance times, queue and pending messages', async () => {
    const body = await stats('?days=7');
    expect(body.agencies).toEqual([
      {
        agency: 'CIQ',
        parts: 2,
        released: 0,
        approved: 0,
        rejected: 1,
        refused: 0,
        rejectionRate: 1,
        clearanceMinutes: { count: 0, median: null, p90: null },
        open: { submitted: 0, delivered: 0, accepted: 0, inspection: 1 },
        inboxPending: 2,
      },
      {
        agency: 'CUS',
        parts: 7,
        released: 2,
        approved: 0,
        rejected: 0,
        refused: 1,
        rejectionRate: 0.3333,
        clearanceMinutes: { count: 2, median: 60, p90: 84 },
        open: { submitted: 0, delivered: 1, accepted: 1, inspection: 0 },
        // Seven new parts and two cancellations, one acknowledged.
        inboxPending: 8,
      },
    ]);
    // Today only: the releases are out of the window, the queue and the inbox are not limited to it.
    const today = (await stats('?days=1')).agencies.find((entry: Json) => entry.agency === 'CUS');
    expect(today).toMatchObject({ parts: 5, released: 0, refused: 1, rejectionRate: 1, clearanceMinutes: { count: 0, median: null, p90: null }, open: { delivered: 1, accepted: 1 }, inboxPending: 8 });
  });

  it("shows an operator its own tenant's figures only", async () => {
    const body = await stats('?days=2', shenzhenOperator);
    expect(body.tenant).toBe('shenzhen');
    expect(body.days.at(-1)).toEqual({ date: day(0), ...zeroDay, submitted: 1 });
    expect(body.agencies).toEqual([
      {
        agency: 'CUS',
        parts: 1,
        released: 0,
        approved: 0,
        rejected: 0,
        refused: 0,
        rejectionRate: null,
        clearanceMinutes: { count: 0, median: null, p90: null },
        open: { submitted: 1, delivered: 0, accepted: 0, inspection: 0 },
        inboxPending: 1,
      },
    ]);
  });

  it("counts filings' approvals beside releases, and the submissions of each document type", async () => {
    const before = await stats('?days=1');
    expect(before.docTypes).toEqual([{ docType: 'goods-declaration', submitted: 5 }]);
    const filing = await t.request('POST', '/api/v1/submissions', { key: keys.importer, body: { docType: 'processing-trade-filing', data: processingFiling } });
    expect(filing.statusCode, filing.body).toBe(201);
    const id = filing.json<Json>().id as string;
    for (const key of [keys.cus, keys.moc]) expect((await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key, body: { outcome: 'approved' } })).statusCode).toBe(200);
    const after = await stats('?days=1');
    expect(after.days.at(-1)).toMatchObject({ submitted: 6, approved: 1 });
    expect(after.docTypes).toEqual([{ docType: 'goods-declaration', submitted: 5 }, { docType: 'processing-trade-filing', submitted: 1 }]);
    const decided = (code: string) => after.agencies.find((entry: Json) => entry.agency === code);
    expect(decided('MOC')).toMatchObject({ parts: 1, approved: 1, rejectionRate: 0, clearanceMinutes: { count: 1 } });
    expect(decided('CUS')).toMatchObject({ parts: 6, approved: 1, refused: 1, rejectionRate: 0.5 });
  });

  it('refuses everyone but operators with 403, and bad windows with 400 and the parameter at fault', async () => {
    for (const key of [keys.importer, keys.broker, keys.cus, keys.ciq]) {
      const response = await t.request('GET', '/api/v1/stats', { key });
      expect(response.statusCode).toBe(403);
      expect(response.json<Json>().code).toBe('FORBIDDEN');
    }
    expect((await t.request('GET', '/api/v1/stats')).statusCode).toBe(401);
    for (const [query, path, code] of [
      ['?days=0', 'querystring:$.days', 'FIELD_FORMAT'],
      ['?days=367', 'querystring:$.days', 'FIELD_FORMAT'],
      ['?days=week', 'querystring:$.days', 'FIELD_TYPE'],
      ['?days=1.5', 'querystring:$.days', 'FIELD_TYPE'],
      ['?tenant=shenzhen', 'querystring:$.tenant', 'FIELD_UNKNOWN'],
    ] as const) {
      const response = await t.request('GET', `/api/v1/stats${query}`, { key: operator });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json<Json>()).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ path, code }] });
    }
    expect((await stats('?days=366')).days).toHaveLength(366);
  });
});
