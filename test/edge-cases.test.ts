/**
 * Edge cases of the goods declaration, on both stores, through the HTTP API (app.inject, no port): what an
 * agency may see of other agencies' work, refusal and cancellation as compensation, failed calls that must
 * change nothing, tenants, encoded paths, exact long numbers, and decisions racing a cancel on the row lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateStatus, CLEARANCE, type PartStatus } from '../src/modules/doctypes/lifecycle.js';
import { KouanError } from '../src/shared/errors.js';
import { APPLES, BROKER, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();

/** A history entry as one line, so that a whole history compares in one assertion. */
const step = (entry: Json) => `${entry.agency ?? '*'}:${entry.from ?? '-'}>${entry.to}@${entry.actor}`;

describe.each(kinds)('edge cases on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let importer: string;
  let cus: string;
  let ciq: string;
  let moc: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    ({ broker, importer, cus, ciq, moc } = await cast(t));
  });
  afterAll(async () => {
    await t.close();
  });

  const submit = (data: Json, key = broker, headers: Record<string, string> = {}) =>
    t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data }, headers });
  const submitBoth = async () => {
    const response = await submit(importDeclaration({ lines: [LAPTOPS, APPLES] }));
    expect(response.statusCode).toBe(201);
    return response.json<Json>().id as string;
  };
  const decide = (id: string, key: string, outcome: string, reasons?: Json[]) =>
    t.request('POST', `/api/v1/submissions/${id}/decisions`, { key, body: reasons === undefined ? { outcome } : { outcome, reasons } });
  const cancel = (id: string, key = broker) => t.request('POST', `/api/v1/submissions/${id}/cancel`, { key });
  const get = async (id: string, key = broker) => (await t.request('GET', `/api/v1/submissions/${id}`, { key })).json<Json>();
  const listIds = async (key: string, query = '') =>
    (await t.request('GET', `/api/v1/submissions?limit=200${query}`, { key })).json<Json>().submissions.map((submission: Json) => submission.id as string);
  const count = async (table: 'submissions' | 'outbox' | 'submission_history') =>
    Number((await t.kouan.services.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const inboxOf = async (key: string, id: string) => {
    await t.kouan.services.exchange.dispatchPending();
    const messages = (await t.request('GET', '/api/v1/inbox?limit=500', { key })).json<Json>().messages as Json[];
    return messages.filter((message) => message.submissionId === id);
  };

  describe('agency isolation', () => {
    it("shows an agency its own part's status, history and projection, never the overall status or other agencies' steps", async () => {
      const id = await submitBoth();
      expect((await decide(id, cus, 'accepted')).statusCode).toBe(200);
      const inspection = await decide(id, ciq, 'inspection');
      expect(inspection.statusCode).toBe(200);
      expect(inspection.json<Json>().status).toBe('inspection');

      const asBroker = await get(id);
      expect(asBroker.status).toBe('inspection');
      expect(asBroker.parts.map((part: Json) => `${part.agency}:${part.status}`)).toEqual(['CIQ:inspection', 'CUS:accepted']);
      expect(asBroker.history.map(step)).toEqual([
        `*:->submitted@${BROKER}`,
        `CUS:->submitted@${BROKER}`,
        `CIQ:->submitted@${BROKER}`,
        'CUS:submitted>accepted@CUS',
        '*:submitted>processing@CUS',
        'CIQ:submitted>inspection@CIQ',
        '*:processing>inspection@CIQ',
      ]);

      const asCus = await get(id, cus);
      expect(asCus.status).toBe('accepted');
      expect(asCus.parts).toEqual([expect.objectContaining({ agency: 'CUS', docType: 'goods-declaration.customs', status: 'accepted' })]);
      expect(asCus.parts).toHaveLength(1);
      expect(asCus.history.map(step)).toEqual([`CUS:->submitted@${BROKER}`, 'CUS:submitted>accepted@CUS']);
      expect(asCus.data).toEqual(asBroker.data);
      expect(asCus.data.lines).toHaveLength(2);

      const asCiq = await get(id, ciq);
      expect(asCiq.status).toBe('inspection');
      expect(asCiq.parts.map((part: Json) => `${part.agency}:${part.status}`)).toEqual(['CIQ:inspection']);
      expect(asCiq.history.map(step)).toEqual([`CIQ:->submitted@${BROKER}`, 'CIQ:submitted>inspection@CIQ']);
      expect(asCiq.data.lines.map((line: Json) => line.lineNumber)).toEqual([2]);
    });

    it("filters an agency's list on its own part's status", async () => {
      const id = await submitBoth();
      await decide(id, cus, 'accepted');
      await decide(id, ciq, 'inspection');

      expect(await listIds(cus, '&status=inspection')).not.toContain(id);
      expect(await listIds(ciq, '&status=inspection')).toContain(id);
      expect(await listIds(broker, '&status=inspection')).toContain(id);
      expect(await listIds(ciq, '&status=accepted')).not.toContain(id);

      const cusAccepted = (await t.request('GET', '/api/v1/submissions?limit=200&status=accepted', { key: cus })).json<Json>().submissions as Json[];
      const mine = cusAccepted.find((submission) => submission.id === id);
      expect(mine).toMatchObject({ id, status: 'accepted' });
      expect(mine?.parts.map((part: Json) => part.agency)).toEqual(['CUS']);
      for (const submission of cusAccepted) expect(submission.status).toBe('accepted');
    });
  });

  describe('refused goods', () => {
    it('refuse needs reasons; a refusal closes the submission, cancels the other open part and tells its agency', async () => {
      const id = await submitBoth();
      await decide(id, cus, 'accepted');
      await decide(id, ciq, 'accepted');

      const noReasons = await decide(id, ciq, 'refused');
      expect(noReasons.statusCode).toBe(422);
      expect(noReasons.json<Json>()).toMatchObject({ code: 'DECISION_INVALID', errors: [{ path: '$.reasons', code: 'FIELD_REQUIRED' }] });
      expect((await get(id)).status).toBe('accepted');

      const reasons = [{ code: 'Q201', message: 'Codling moth found in the consignment', path: '$.lines[1]' }];
      const refused = await decide(id, ciq, 'refused', reasons);
      expect(refused.statusCode).toBe(200);

      const view = await get(id);
      expect(view.status).toBe('refused');
      const byAgency = Object.fromEntries(view.parts.map((part: Json) => [part.agency, part]));
      expect(byAgency.CIQ).toMatchObject({ status: 'refused', reasons });
      expect(byAgency.CUS).toMatchObject({ status: 'cancelled', reasons: [{ code: 'GOODS_REFUSED', message: 'refused by CIQ' }] });
      expect(view.history.slice(-3).map(step)).toEqual(['CIQ:accepted>refused@CIQ', 'CUS:accepted>cancelled@CIQ', '*:accepted>refused@CIQ']);

      const cusInbox = await inboxOf(cus, id);
      expect(cusInbox.map((message) => message.kind)).toEqual(['part.submitted', 'part.cancelled']);
      expect(cusInbox[1]?.payload).toEqual({ submissionId: id, agency: 'CUS', reason: { code: 'GOODS_REFUSED', message: 'refused by CIQ' } });
      expect((await inboxOf(ciq, id)).map((message) => message.kind)).toEqual(['part.submitted']);

      const late = await decide(id, cus, 'released');
      expect(late.statusCode).toBe(409);
      expect(late.json<Json>().code).toBe('SUBMISSION_CLOSED');
    });
  });

  describe('the owner cancelling', () => {
    it('tells every agency with an open part', async () => {
      const id = await submitBoth();
      await decide(id, cus, 'accepted');
      const cancelled = await cancel(id);
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json<Json>().parts.map((part: Json) => `${part.agency}:${part.status}`)).toEqual(['CIQ:cancelled', 'CUS:cancelled']);

      const reason = { code: 'CANCELLED_BY_DECLARANT', message: `Cancelled by ${BROKER}` };
      for (const [agency, key] of [
        ['CUS', cus],
        ['CIQ', ciq],
      ] as const) {
        const inbox = await inboxOf(key, id);
        expect(inbox.map((message) => message.kind)).toEqual(['part.submitted', 'part.cancelled']);
        expect(inbox[1]?.payload).toEqual({ submissionId: id, agency, reason });
        expect(inbox[1]?.agency).toBe(agency);
      }
    });
  });

  describe('failed calls', () => {
    it('leave history, outbox, status and updatedAt as they were', async () => {
      const fresh = (await submit(importDeclaration())).json<Json>().id as string;
      const halfReleased = await submitBoth();
      await decide(halfReleased, ciq, 'accepted');
      await decide(halfReleased, ciq, 'released');

      const snapshot = async () => {
        const rows = await t.kouan.services.store.db
          .selectFrom('submissions')
          .select(['id', 'status', 'version', 'updated_at'])
          .where('id', 'in', [fresh, halfReleased])
          .orderBy('id')
          .execute();
        const parts = await t.kouan.services.store.db
          .selectFrom('parts')
          .select(['submission_id', 'agency', 'status', 'updated_at'])
          .where('submission_id', 'in', [fresh, halfReleased])
          .orderBy('submission_id')
          .orderBy('agency')
          .execute();
        return { history: await count('submission_history'), outbox: await count('outbox'), rows, parts };
      };
      const before = await snapshot();
      expect(Object.fromEntries(before.rows.map((row) => [row.id, row.status]))).toEqual({ [fresh]: 'submitted', [halfReleased]: 'processing' });
      const viewsBefore = await Promise.all([get(fresh), get(halfReleased)]);

      const early = await decide(fresh, cus, 'released');
      expect(early.statusCode).toBe(409);
      expect(early.json<Json>().code).toBe('PART_TRANSITION_INVALID');
      const noReasons = await decide(fresh, cus, 'rejected');
      expect(noReasons.statusCode).toBe(422);
      expect(noReasons.json<Json>().code).toBe('DECISION_INVALID');
      const notRouted = await decide(fresh, moc, 'accepted');
      expect(notRouted.statusCode).toBe(404);
      expect(notRouted.json<Json>().code).toBe('NOT_FOUND');
      const tooLate = await cancel(halfReleased);
      expect(tooLate.statusCode).toBe(409);
      expect(tooLate.json<Json>().code).toBe('SUBMISSION_NOT_CANCELLABLE');
      expect(tooLate.json<Json>().title).toMatch(/^The submission cannot be cancelled: [A-Z]+ has already released its part$/);

      expect(await snapshot()).toEqual(before);
      const viewsAfter = await Promise.all([get(fresh), get(halfReleased)]);
      expect(viewsAfter.map((view) => [view.status, view.updatedAt])).toEqual(viewsBefore.map((view) => [view.status, view.updatedAt]));
      expect(viewsAfter.map((view) => view.history.length)).toEqual(viewsBefore.map((view) => view.history.length));
    });
  });

  describe('idempotency keys', () => {
    it('are per declarant: the same key from two declarants makes two submissions', async () => {
      const key = `shared-${kind}-${Date.now()}`;
      const before = await count('submissions');
      const byBroker = await submit(importDeclaration(), broker, { 'idempotency-key': key });
      const byImporter = await submit(importDeclaration({ declarant: IMPORTER }), importer, { 'idempotency-key': key });
      expect(byBroker.statusCode).toBe(201);
      expect(byImporter.statusCode).toBe(201);
      expect(byImporter.headers['idempotent-replayed']).toBeUndefined();
      expect(byImporter.json<Json>().id).not.toBe(byBroker.json<Json>().id);
      expect(byBroker.json<Json>().declarant).toBe(BROKER);
      expect(byImporter.json<Json>().declarant).toBe(IMPORTER);
      expect(await count('submissions')).toBe(before + 2);

      const brokerAgain = await submit(importDeclaration(), broker, { 'idempotency-key': key });
      expect(brokerAgain.headers['idempotent-replayed']).toBe('true');
      expect(brokerAgain.json<Json>().id).toBe(byBroker.json<Json>().id);
      const importerAgain = await submit(importDeclaration({ declarant: IMPORTER }), importer, { 'idempotency-key': key });
      expect(importerAgain.headers['idempotent-replayed']).toBe('true');
      expect(importerAgain.json<Json>().id).toBe(byImporter.json<Json>().id);
      expect(await count('submissions')).toBe(before + 2);
    });
  });

  describe('tenants', () => {
    it('an operator sees the submissions of its own tenant only', async () => {
      const { parties } = t.kouan.services;
      await parties.createTenant({ id: 'shenzhen', name: 'Shenzhen e-port' });
      await parties.createParty({ id: 'ops-central', kind: 'operator', name: 'x' });
      await parties.createParty({ id: 'ops-shenzhen', kind: 'operator', name: 'x', tenant: 'shenzhen' });
      const central = (await parties.createKey('ops-central')).key;
      const shenzhen = (await parties.createKey('ops-shenzhen')).key;
      expect((await t.request('GET', '/api/v1/me', { key: shenzhen })).json<Json>()).toMatchObject({ party: 'ops-shenzhen', kind: 'operator', tenant: 'shenzhen' });

      const id = (await submit(importDeclaration())).json<Json>().id as string;
      const seen = await t.request('GET', `/api/v1/submissions/${id}`, { key: central });
      expect(seen.statusCode).toBe(200);
      expect(seen.json<Json>()).toMatchObject({ id, declarant: BROKER, status: 'submitted' });
      expect(await listIds(central)).toContain(id);

      const hidden = await t.request('GET', `/api/v1/submissions/${id}`, { key: shenzhen });
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json<Json>().code).toBe('NOT_FOUND');
      expect((await t.request('GET', '/api/v1/submissions', { key: shenzhen })).json<Json>()).toEqual({ submissions: [], next: null });
    });

    it('refuses a party in a tenant that does not exist', async () => {
      const attempt = t.kouan.services.parties.createParty({ id: 'ops-nowhere', kind: 'operator', name: 'x', tenant: 'nowhere' });
      await expect(attempt).rejects.toBeInstanceOf(KouanError);
      await expect(attempt).rejects.toMatchObject({ code: 'PARTY_INVALID', errors: [expect.objectContaining({ path: '$.tenant' })] });
      await expect(t.kouan.services.parties.getParty('ops-nowhere')).rejects.toMatchObject({ code: 'PARTY_UNKNOWN' });
    });
  });

  describe('authentication and encoded paths', () => {
    it('cannot be skipped by percent-encoding the path', async () => {
      for (const url of ['/%61pi/v1/doctypes', '/%61pi/v1/codes/agency', '/api/v1/%64octypes', '/%61pi/v1/submissions', '/api/v1/doctypes']) {
        const response = await t.request('GET', url);
        expect({ url, denied: [401, 404].includes(response.statusCode) }).toEqual({ url, denied: true });
      }
      expect((await t.request('GET', '/api/v1/doctypes')).statusCode).toBe(401);
    });

    it('keeps the public routes public', async () => {
      for (const url of ['/api/v1/openapi.json', '/api/v1/errors', '/healthz', '/readyz']) {
        const response = await t.request('GET', url);
        expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      }
    });
  });

  describe('long JSON numbers', () => {
    /** Posts a declaration whose placeholders `"@name@"` are replaced by bare JSON number text. */
    const submitRaw = (data: Json, numbers: Record<string, string>) => {
      let payload = JSON.stringify({ docType: 'goods-declaration', data });
      for (const [name, text] of Object.entries(numbers)) payload = payload.replace(`"@${name}@"`, text);
      return t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/json' }, payload });
    };
    const errorsOf = (response: { json: <T>() => T }) => response.json<Json>().errors.map((error: Json) => `${error.path}:${error.code}`);

    it('refuses a quantity with more decimals than allowed instead of rounding it', async () => {
      const before = await count('submissions');
      const response = await submitRaw(importDeclaration({ lines: [{ ...LAPTOPS, quantity: '@quantity@' }] }), { quantity: '200.0000000000000001' });
      expect(response.statusCode).toBe(422);
      expect(errorsOf(response)).toEqual(['$.lines[0].quantity:DECIMAL_PRECISION']);
      expect(await count('submissions')).toBe(before);
    });

    it('keeps a 17-digit value exact', async () => {
      const response = await submitRaw(importDeclaration({ lines: [{ ...LAPTOPS, value: '@value@' }] }), { value: '123456789012345.12' });
      expect(response.statusCode).toBe(201);
      const stored = await get(response.json<Json>().id);
      expect(stored.data.lines[0].value).toBe('123456789012345.12');
    });

    it('refuses a weight with more integer digits than allowed', async () => {
      const { grossWeightKg: _gross, ...line } = LAPTOPS;
      const response = await submitRaw(importDeclaration({ lines: [{ ...line, netWeightKg: '@net@' }] }), { net: '12345678901234567890' });
      expect(response.statusCode).toBe(422);
      expect(errorsOf(response)).toEqual(['$.lines[0].netWeightKg:DECIMAL_PRECISION']);
    });
  });

  describe('JSON numbers with an exponent', () => {
    const submitRaw = (data: Json, numbers: Record<string, string>, url = '/api/v1/submissions', extra: Json = { docType: 'goods-declaration' }) => {
      let payload = JSON.stringify({ ...extra, data });
      for (const [name, text] of Object.entries(numbers)) payload = payload.replace(`"@${name}@"`, text);
      return t.kouan.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/json' }, payload });
    };
    const errorsOf = (response: { json: <T>() => T }) => response.json<Json>().errors.map((error: Json) => `${error.path}:${error.code}`);

    it('never rounds one: more digits than a double holds are refused as too precise, not taken as 1', async () => {
      const before = await count('submissions');
      for (const quantity of ['1.0000000000000000001e0', '1.0000000000000000001E0', '100000000000000000001e-20', '2.00000000000000000001e+2', '0.1000000000000000000001e1']) {
        const response = await submitRaw(importDeclaration({ lines: [{ ...LAPTOPS, quantity: '@quantity@' }] }), { quantity });
        expect(response.statusCode, quantity).toBe(422);
        expect(errorsOf(response), quantity).toEqual(['$.lines[0].quantity:DECIMAL_PRECISION']);
      }
      expect(await count('submissions')).toBe(before);
    });

    it('keeps one exact when its digits fit the field, however it is written', async () => {
      const cases: [string, string][] = [
        ['2.5e+2', '250'],
        ['1.5E-1', '0.15'],
        ['12345678901234567e-2', '123456789012345.67'],
        ['1.2345678901234567E14', '123456789012345.67'],
        ['0.00000000000000000012345678901234567e33', '123456789012345.67'],
      ];
      for (const [written, stored] of cases) {
        const response = await submitRaw(importDeclaration({ lines: [{ ...LAPTOPS, value: '@value@' }] }), { value: written });
        expect(response.statusCode, `${written}: ${response.body}`).toBe(201);
        expect((await get(response.json<Json>().id)).data.lines[0].value, written).toBe(stored);
      }
      // More decimals than a value takes (2): refused as such, never rounded to 0.
      const tooFine = await submitRaw(importDeclaration({ lines: [{ ...LAPTOPS, value: '@value@' }] }), { value: '1.5E-3' });
      expect(errorsOf(tooFine)).toEqual(['$.lines[0].value:DECIMAL_PRECISION']);
    });

    it('refuses one too large or too small to write out with 400 and its path, storing nothing, drafts included', async () => {
      const before = await count('submissions');
      for (const quantity of ['1e400', '-1e400', '1e-400', '2e308', '1.7976931348623159e308', '4e-324', '1e99999999999999999999']) {
        const response = await submitRaw(importDeclaration({ lines: [LAPTOPS, { ...LAPTOPS, quantity: '@quantity@' }] }), { quantity });
        expect(response.statusCode, quantity).toBe(400);
        expect(response.json<Json>(), quantity).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ path: 'body:$.data.lines[1].quantity', code: 'FIELD_RANGE' }] });
      }
      expect(await count('submissions')).toBe(before);
      // A draft keeps any JSON: 1e400 would have been stored as null.
      const draft = await submitRaw({ notes: { figures: [1, '@n@'] } }, { n: '1e400' }, '/api/v1/drafts', { docType: 'goods-declaration', title: 'exponents' });
      expect(draft.statusCode).toBe(400);
      expect(errorsOf(draft)).toEqual(['body:$.data.notes.figures[1]:FIELD_RANGE']);
    });

    it('leaves numbers inside strings alone', async () => {
      const response = await submit(importDeclaration({ lines: [{ ...LAPTOPS, description: 'Lot 1e400, ratio 1.0000000000000000001e0 "x"' }] }));
      expect(response.statusCode).toBe(201);
      expect((await get(response.json<Json>().id)).data.lines[0].description).toBe('Lot 1e400, ratio 1.0000000000000000001e0 "x"');
    });
  });

  describe('decisions racing a cancel', () => {
    /**
     * The invariant, whatever order the row lock lets the three calls in:
     * - the cancel won (200): both releases answer 409 SUBMISSION_CLOSED, status 'cancelled', both parts cancelled;
     * - a release came first: the cancel answers 409 (SUBMISSION_NOT_CANCELLABLE after one release, SUBMISSION_CLOSED
     *   after both), nothing stops the other release, so both answer 200 and the status is 'released'.
     * Never a cancelled submission with a released part; a status other than 'cancelled' always equals
     * aggregateStatus of the parts; the last submission-level history entry goes to the status.
     */
    it('ends consistent in every round', async () => {
      for (let round = 0; round < 10; round += 1) {
        const id = await submitBoth();
        expect((await decide(id, cus, 'accepted')).statusCode).toBe(200);
        expect((await decide(id, ciq, 'accepted')).statusCode).toBe(200);

        // A cancel carries no body, so on SQLite it reaches the single connection first; in odd rounds it starts a
        // few event-loop turns late, so that both orders are exercised on both stores.
        const lateCancel = async () => {
          for (let turn = 0; turn < (round % 2) * 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
          return cancel(id);
        };
        const [cusRelease, ciqRelease, cancelled] = await Promise.all([decide(id, cus, 'released'), decide(id, ciq, 'released'), lateCancel()]);
        const view = await get(id);
        const parts = view.parts.map((part: Json) => part.status as PartStatus);
        const submissionSteps = view.history.filter((entry: Json) => entry.agency === null).map((entry: Json) => entry.to);
        const observed = { round, status: view.status, parts, cancel: cancelled.statusCode, releases: [cusRelease.statusCode, ciqRelease.statusCode] };

        if (cancelled.statusCode === 200) {
          expect(observed).toEqual({ ...observed, status: 'cancelled', parts: ['cancelled', 'cancelled'], releases: [409, 409] });
          expect([cusRelease.json<Json>().code, ciqRelease.json<Json>().code]).toEqual(['SUBMISSION_CLOSED', 'SUBMISSION_CLOSED']);
          expect(submissionSteps).toEqual(['submitted', 'processing', 'accepted', 'cancelled']);
        } else {
          expect(observed).toEqual({ ...observed, status: 'released', parts: ['released', 'released'], cancel: 409, releases: [200, 200] });
          expect(['SUBMISSION_NOT_CANCELLABLE', 'SUBMISSION_CLOSED']).toContain(cancelled.json<Json>().code);
          // One part released and one accepted still aggregates to 'accepted', so the first release leaves no step.
          expect(submissionSteps).toEqual(['submitted', 'processing', 'accepted', 'released']);
          expect(view.status).toBe(aggregateStatus(CLEARANCE, parts));
        }
        expect(view.status === 'cancelled' && parts.includes('released')).toBe(false);
        expect(submissionSteps.at(-1)).toBe(view.status);

        const row = await t.kouan.services.store.db.selectFrom('submissions').select(['status', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
        expect(row.status).toBe(view.status);
        // Every successful decision or cancel bumps the version once: two acceptances, then one cancel or two releases.
        expect(row.version).toBe(view.status === 'cancelled' ? 4 : 5);
      }
    });
  });
});

describe.each(kinds)('a custom inspection table on %s', (kind) => {
  let t: TestKouan;
  let broker: string;

  beforeAll(async () => {
    t = await startTestKouan(kind, { KOUAN_CIQ_HS_PREFIXES: '8471' });
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.enterprise(IMPORTER);
    await t.delegate(IMPORTER, BROKER);
  });
  afterAll(async () => {
    await t.close();
  });

  const agenciesOf = async (data: Json) => {
    const response = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data } });
    expect(response.statusCode).toBe(201);
    return response.json<Json>().parts.map((part: Json) => part.agency);
  };

  it('routes to CIQ the goods of the configured prefixes only, and publishes them', async () => {
    expect(await agenciesOf(importDeclaration())).toEqual(['CIQ', 'CUS']);
    expect(await agenciesOf(importDeclaration({ lines: [APPLES] }))).toEqual(['CUS']);
    const published = await t.request('GET', '/api/v1/doctypes/goods-declaration', { key: broker });
    expect(published.statusCode).toBe(200);
    expect(published.json<Json>().inspectionHsPrefixes).toEqual(['8471']);
  });
});
