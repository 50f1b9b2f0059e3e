/**
 * The goods declaration end to end, on both stores, through the HTTP API (app.inject, no port):
 * submit, split, deliver, decide, aggregate, cancel, idempotency, scoping and the error contract.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLES, BROKER, EXPORTER, IMPORTER, LAPTOPS, OTHER_ENTERPRISE, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();

describe.each(kinds)('goods declaration on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let importer: string;
  let other: string;
  let cus: string;
  let ciq: string;
  let moc: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    ({ broker, importer, other, cus, ciq, moc } = await cast(t));
  });
  afterAll(async () => {
    await t.close();
  });

  const submit = (data: Json, key = broker, headers: Record<string, string> = {}) =>
    t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data }, headers });
  const decide = (id: string, key: string, outcome: string, reasons?: Json[]) =>
    t.request('POST', `/api/v1/submissions/${id}/decisions`, { key, body: reasons === undefined ? { outcome } : { outcome, reasons } });
  const get = async (id: string, key = broker) => (await t.request('GET', `/api/v1/submissions/${id}`, { key })).json<Json>();
  const count = async (table: 'submissions' | 'parts' | 'outbox' | 'submission_history') =>
    Number((await t.kouan.services.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('submitting', () => {
    it('stores a declaration and splits it into a customs part only, for goods without inspection', async () => {
      const response = await submit(importDeclaration());
      expect(response.statusCode).toBe(201);
      const body = response.json<Json>();
      expect(body.id).toMatch(/^sub_[0-9A-Z]{26}$/);
      expect(response.headers.location).toBe(`/api/v1/submissions/${body.id}`);
      expect(body).toMatchObject({ docType: 'goods-declaration', status: 'submitted', declarant: BROKER, trader: IMPORTER });
      expect(body.parts).toEqual([expect.objectContaining({ agency: 'CUS', docType: 'goods-declaration.customs', status: 'submitted' })]);
      expect(Date.parse(body.createdAt)).not.toBeNaN();
      expect(body.notices.map((notice: Json) => notice.code)).toEqual(['HS_LIST_NOT_LOADED', 'LOCODE_LIST_NOT_LOADED', 'CUSTOMS_OFFICE_LIST_NOT_LOADED']);
    });

    it('adds an inspection-and-quarantine part carrying only the goods that need it', async () => {
      const response = await submit(importDeclaration({ lines: [LAPTOPS, APPLES] }));
      expect(response.statusCode).toBe(201);
      const body = response.json<Json>();
      expect(body.parts.map((part: Json) => part.agency).sort()).toEqual(['CIQ', 'CUS']);

      const asCiq = await get(body.id, ciq);
      expect(asCiq.parts).toHaveLength(1);
      expect(asCiq.parts[0].agency).toBe('CIQ');
      expect(asCiq.data.lines).toEqual([{ lineNumber: 2, ...APPLES, quantity: '12.5', grossWeightKg: '13100', netWeightKg: '12500', value: '15000.5' }]);
      const asCus = await get(body.id, cus);
      expect(asCus.data.lines).toHaveLength(2);
    });

    it('keeps quantities, weights and values as exact decimals', async () => {
      const line = { ...LAPTOPS, quantity: '0.000001', grossWeightKg: '123456789012.125', netWeightKg: 0.1, value: '99999999999999.99' };
      const response = await submit(importDeclaration({ lines: [line] }));
      expect(response.statusCode).toBe(201);
      const stored = await get(response.json<Json>().id);
      expect(stored.data.lines[0]).toMatchObject({ quantity: '0.000001', grossWeightKg: '123456789012.125', netWeightKg: '0.1', value: '99999999999999.99' });
    });

    it('lets the importer see a declaration its broker filed for it, but not cancel it', async () => {
      const id = (await submit(importDeclaration())).json<Json>().id;
      expect((await t.request('GET', `/api/v1/submissions/${id}`, { key: importer })).statusCode).toBe(200);
      const cancel = await t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: importer });
      expect(cancel.statusCode).toBe(403);
      expect(cancel.json<Json>().code).toBe('FORBIDDEN');
    });
  });

  describe('refusing bad input', () => {
    it('lists every problem at once, each with its path and code, and stores nothing', async () => {
      const before = await Promise.all([count('submissions'), count('parts'), count('outbox'), count('submission_history')]);
      const data = importDeclaration({
        consignee: { id: '91310000MA1K4A2B91', name: 'Shanghai Example Trading Co., Ltd.' },
        countryOfDispatch: 'XX',
        currency: 'EUX',
        portOfEntry: undefined,
        transport: { mode: 'sea', vesselImo: '9321484', containers: ['MSKU1234566'] },
        lines: [
          { ...LAPTOPS, hsCode: '84713', unit: 'ZZZ', netWeightKg: 900, grossWeightKg: 820.5 },
          { ...APPLES, originCountry: 'QQ', quantity: 'ten' },
        ],
      });
      const response = await submit(data);
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json<Json>();
      expect(problem).toMatchObject({ status: 422, code: 'SUBMISSION_INVALID', type: '/api/v1/errors#SUBMISSION_INVALID' });
      const found = Object.fromEntries(problem.errors.map((error: Json) => [error.path, error.code]));
      expect(found).toEqual({
        '$.consignee.id': 'USCC_INVALID',
        '$.countryOfDispatch': 'COUNTRY_UNKNOWN',
        '$.currency': 'CURRENCY_UNKNOWN',
        // The consignee's code is not one the broker holds a delegation from.
        '$.declarant': 'DELEGATION_REQUIRED',
        '$.portOfEntry': 'PORT_OF_ENTRY_REQUIRED',
        '$.transport.vesselImo': 'IMO_CHECK_DIGIT',
        '$.transport.containers[0]': 'CONTAINER_CHECK_DIGIT',
        '$.lines[0].hsCode': 'HS_FORMAT',
        '$.lines[0].unit': 'UNIT_UNKNOWN',
        '$.lines[0].netWeightKg': 'NET_WEIGHT_ABOVE_GROSS',
        '$.lines[1].originCountry': 'COUNTRY_UNKNOWN',
        '$.lines[1].quantity': 'DECIMAL_INVALID',
      });
      for (const error of problem.errors) expect(error.message).toEqual(expect.any(String));
      expect(await Promise.all([count('submissions'), count('parts'), count('outbox'), count('submission_history')])).toEqual(before);
    });

    it('reports missing and unknown fields, and the wrong port for the direction', async () => {
      const { customsOffice: _office, ...withoutOffice } = importDeclaration({ portOfExit: 'CNNGB', colour: 'blue' });
      const response = await submit(withoutOffice);
      expect(response.statusCode).toBe(422);
      const codes = Object.fromEntries(response.json<Json>().errors.map((error: Json) => [error.path, error.code]));
      expect(codes).toMatchObject({ '$.customsOffice': 'FIELD_REQUIRED', '$.colour': 'FIELD_UNKNOWN', '$.portOfExit': 'PORT_WRONG_DIRECTION' });
    });

    it('checks the declarant against the caller and the broker role', async () => {
      const notCaller = await submit(importDeclaration({ declarant: OTHER_ENTERPRISE }));
      expect(notCaller.json<Json>().errors).toEqual([expect.objectContaining({ path: '$.declarant', code: 'DECLARANT_NOT_CALLER' })]);
      const notBroker = await submit(importDeclaration({ declarant: OTHER_ENTERPRISE }), other);
      expect(notBroker.json<Json>().errors).toEqual([expect.objectContaining({ path: '$.declarant', code: 'BROKER_ROLE_REQUIRED' })]);
      const ownGoods = await submit(importDeclaration({ declarant: IMPORTER }), importer);
      expect(ownGoods.statusCode).toBe(201);
    });

    it('needs the domestic trader of an export to be the consignor, with its port of exit', async () => {
      const exporter = await t.enterprise(EXPORTER);
      const data = importDeclaration({
        direction: 'export',
        declarant: EXPORTER,
        consignor: { name: 'Shenzhen Example Electronics' },
        consignee: { name: 'Example Retail BV' },
        portOfEntry: undefined,
        countryOfDispatch: undefined,
      });
      const response = await submit(data, exporter);
      const codes = Object.fromEntries(response.json<Json>().errors.map((error: Json) => [error.path, error.code]));
      expect(codes).toEqual({
        '$.portOfExit': 'PORT_OF_EXIT_REQUIRED',
        '$.countryOfDestination': 'FIELD_REQUIRED',
        '$.consignor.id': 'TRADER_ID_REQUIRED',
        '$.consignee.country': 'COUNTRY_REQUIRED',
      });
      const fixed = await submit({ ...data, portOfExit: 'CNSZX', countryOfDestination: 'NL', consignor: { id: EXPORTER, name: 'Shenzhen Example Electronics' }, consignee: { name: 'Example Retail BV', country: 'NL' } }, exporter);
      expect(fixed.statusCode).toBe(201);
      expect(fixed.json<Json>().trader).toBe(EXPORTER);
    });

    it('refuses numbers a JSON number cannot carry exactly', async () => {
      const line = { ...LAPTOPS, value: 0.1 + 0.2 };
      const response = await submit(importDeclaration({ lines: [line] }));
      expect(response.json<Json>().errors).toEqual([expect.objectContaining({ path: '$.lines[0].value', code: 'DECIMAL_PRECISION' })]);
    });

    it('answers in Chinese when asked', async () => {
      const response = await submit(importDeclaration({ currency: 'EUX' }), broker, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
      const problem = response.json<Json>();
      expect(problem.title).toBe('申报数据有 1 处错误，未作保存');
      expect(problem.errors[0].message).toBe('“EUX”不是 ISO 4217 币制代码');
    });

    it('answers malformed JSON with 400, an oversized body with 413 and an unknown document type with 404', async () => {
      const malformed = await t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/json' }, payload: '{"docType": "goods-declaration", "data": {' });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json<Json>().code).toBe('BODY_MALFORMED');
      const huge = await t.kouan.app.inject({
        method: 'POST',
        url: '/api/v1/submissions',
        headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ docType: 'goods-declaration', data: { padding: 'x'.repeat(6 * 1024 * 1024) } }),
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.json<Json>().code).toBe('BODY_TOO_LARGE');
      const unknown = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'no-such-thing', data: {} } });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json<Json>().code).toBe('DOCTYPE_UNKNOWN');
      const envelope = await t.request('POST', '/api/v1/submissions', { key: broker, body: { data: {} } });
      expect(envelope.statusCode).toBe(400);
      expect(envelope.json<Json>()).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ path: 'body:$.docType', code: 'FIELD_REQUIRED' }] });
    });
  });

  describe('validating without storing', () => {
    it('gives the same verdict as a submission and the parts it would get', async () => {
      const before = await count('submissions');
      const good = await t.request('POST', '/api/v1/validate', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration({ lines: [APPLES] }) } });
      expect(good.statusCode).toBe(200);
      expect(good.json<Json>()).toMatchObject({ valid: true, errors: [], parts: [{ agency: 'CUS' }, { agency: 'CIQ' }] });
      const bad = await t.request('POST', '/api/v1/validate', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration({ currency: 'EUX' }) } });
      expect(bad.json<Json>()).toMatchObject({ valid: false, errors: [{ path: '$.currency', code: 'CURRENCY_UNKNOWN' }], parts: [] });
      expect(await count('submissions')).toBe(before);
    });

    it('publishes the document type: schema, rules with codes, and parts', async () => {
      const response = await t.request('GET', '/api/v1/doctypes/goods-declaration', { key: broker });
      expect(response.statusCode).toBe(200);
      const published = response.json<Json>();
      expect(published.schema.properties.lines.items.properties.hsCode).toMatchObject({ pattern: '^\\d{10}$', 'x-code-list': 'hs' });
      expect(published.rules.map((rule: Json) => rule.id)).toContain('net-within-gross');
      expect(published.rules.flatMap((rule: Json) => rule.codes)).toContain('NET_WEIGHT_ABOVE_GROSS');
      expect(published.parts.map((part: Json) => part.agency)).toEqual(['CUS', 'CIQ']);
      expect(published.inspectionHsPrefixes).toContain('0808'.slice(0, 2));
      // Each part's schema says what the agency's messages carry; every field is labelled in both languages.
      expect(published.parts[1].schema.properties.lines.items.properties.lineNumber['x-label']).toEqual({ en: 'Line number', zh: '商品序号' });
      expect(published.schema.properties.consignee['x-label']).toEqual({ en: 'Consignee', zh: '收货人' });
      expect(published.lifecycle.outcomes.map((outcome: Json) => outcome.id)).toEqual(['accepted', 'inspection', 'released', 'rejected', 'refused']);
      expect(published.reactions).toContainEqual(expect.objectContaining({ id: 'write-off-on-release', step: 'ledger.write-off', on: { outcomes: ['released'], agency: 'CUS' } }));
      expect(published.parties).toEqual({ declarant: 'declarant', agentRoles: ['broker'] });
    });

    it('refuses a decision its lifecycle does not have, naming the ones it has', async () => {
      const id = (await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } })).json<Json>().id;
      const response = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'approved' } });
      expect(response.statusCode).toBe(422);
      expect(response.json<Json>()).toMatchObject({ code: 'DECISION_INVALID', errors: [{ path: '$.outcome', code: 'FIELD_NOT_ALLOWED', message: expect.stringContaining('accepted, inspection, released, rejected, refused') }] });
      expect((await t.request('GET', `/api/v1/submissions/${id}`, { key: broker })).json<Json>().status).toBe('submitted');
    });
  });

  describe('with the HS and UN/LOCODE lists imported', () => {
    it('checks that the HS subheading and the location exist', async () => {
      // Small files in the reference formats, through the real importers; every code later tests use is in them.
      const dir = mkdtempSync(join(tmpdir(), 'kouan-codes-'));
      const hsFile = join(dir, 'hs.csv');
      const locodeFile = join(dir, 'locode.csv');
      writeFileSync(
        hsFile,
        [
          'section,hscode,description,parent,level',
          'II,08,"Edible fruit and nuts; peel of citrus fruit or melons",TOTAL,2',
          'II,0808,"Apples, pears and quinces; fresh",08,4',
          'II,080810,"Fruit, edible; apples, fresh",0808,6',
          'XVI,84,"Nuclear reactors, boilers, machinery",TOTAL,2',
          'XVI,8471,"Automatic data processing machines",84,4',
          'XVI,847130,"Portable automatic data processing machines, weighing not more than 10kg",8471,6',
        ].join('\n'),
      );
      writeFileSync(
        locodeFile,
        [
          'country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded',
          'CN,SHA,Shanghai,Shanghai,SH,AI,12345---,,31.23,121.47,true',
          'CN,NGB,Ningbo,Ningbo,ZJ,AI,12345---,,29.87,121.55,true',
          'CN,SZX,Shenzhen,Shenzhen,GD,AI,12345---,,22.53,114.05,true',
        ].join('\n'),
      );
      try {
        expect((await t.kouan.services.codes.importHs(hsFile)).entries).toBe(6);
        expect((await t.kouan.services.codes.importLocode(locodeFile)).entries).toBe(3);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const good = await submit(importDeclaration({ lines: [LAPTOPS, APPLES] }));
      expect(good.statusCode).toBe(201);
      // The customs office is still checked by its district only: that list is not imported here.
      expect(good.json<Json>().notices.map((notice: Json) => notice.code)).toEqual(['CUSTOMS_OFFICE_LIST_NOT_LOADED']);
      const line = { ...LAPTOPS, hsCode: '8471990000' };
      const bad = await submit(importDeclaration({ portOfEntry: 'CNZZZ', lines: [line] }));
      expect(Object.fromEntries(bad.json<Json>().errors.map((error: Json) => [error.path, error.code]))).toEqual({
        '$.portOfEntry': 'LOCODE_UNKNOWN',
        '$.lines[0].hsCode': 'HS_UNKNOWN',
      });
      const search = (await t.request('GET', '/api/v1/codes/hs?q=apples', { key: broker })).json<Json>();
      expect(search).toMatchObject({ list: 'hs', loaded: true, entries: [{ code: '0808' }, { code: '080810' }] });
    });
  });

  describe('agencies', () => {
    it('read their inbox with a cursor, deduplicated by message id, and an ack delivers the part', async () => {
      const id = (await submit(importDeclaration({ lines: [APPLES] }))).json<Json>().id;
      await t.kouan.services.exchange.dispatchPending();
      await t.kouan.services.exchange.dispatchPending();

      const all = (await t.request('GET', '/api/v1/inbox?limit=500', { key: cus })).json<Json>();
      const mine = all.messages.filter((message: Json) => message.submissionId === id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ kind: 'part.submitted', agency: 'CUS', ackedAt: null, payload: { submissionId: id, docType: 'goods-declaration.customs' } });
      expect(new Set(all.messages.map((message: Json) => message.messageId)).size).toBe(all.messages.length);

      const firstPage = (await t.request('GET', '/api/v1/inbox?limit=1', { key: cus })).json<Json>();
      const secondPage = (await t.request('GET', `/api/v1/inbox?limit=1&after=${firstPage.next}`, { key: cus })).json<Json>();
      expect(secondPage.messages[0]?.seq ?? Infinity).toBeGreaterThan(firstPage.messages[0].seq);
      const empty = (await t.request('GET', `/api/v1/inbox?after=${all.next}`, { key: cus })).json<Json>();
      expect(empty).toEqual({ messages: [], next: all.next });

      const ack = await t.request('POST', `/api/v1/inbox/${mine[0].messageId}/ack`, { key: cus });
      expect(ack.statusCode).toBe(200);
      expect(ack.json<Json>().ackedAt).toEqual(expect.any(String));
      const again = await t.request('POST', `/api/v1/inbox/${mine[0].messageId}/ack`, { key: cus });
      expect(again.json<Json>().ackedAt).toBe(ack.json<Json>().ackedAt);

      const view = await get(id);
      expect(view.parts.find((part: Json) => part.agency === 'CUS').status).toBe('delivered');
      expect(view.status).toBe('submitted');
      expect((await t.request('GET', '/api/v1/inbox?unacked=true&limit=500', { key: cus })).json<Json>().messages.map((message: Json) => message.messageId)).not.toContain(mine[0].messageId);

      const ciqMessage = (await t.request('GET', '/api/v1/inbox?limit=500', { key: ciq })).json<Json>().messages.find((message: Json) => message.submissionId === id);
      expect(ciqMessage.payload.data.lines).toHaveLength(1);
      await t.request('POST', `/api/v1/inbox/${ciqMessage.messageId}/ack`, { key: ciq });
      expect((await get(id)).status).toBe('delivered');

      expect((await t.request('POST', '/api/v1/inbox/msg_nope/ack', { key: cus })).json<Json>().code).toBe('MESSAGE_NOT_FOUND');
      expect((await t.request('POST', `/api/v1/inbox/${ciqMessage.messageId}/ack`, { key: cus })).statusCode).toBe(404);
    });

    it('decide their own part; the submission is released only when every part is', async () => {
      const id = (await submit(importDeclaration({ lines: [APPLES] }))).json<Json>().id;
      // An agency's answer shows its own part; the declarant sees the whole.
      expect((await decide(id, cus, 'accepted')).json<Json>()).toMatchObject({ status: 'accepted', parts: [{ agency: 'CUS', status: 'accepted' }] });
      expect((await get(id)).status).toBe('processing');
      expect((await decide(id, ciq, 'inspection')).json<Json>().status).toBe('inspection');
      expect((await get(id)).status).toBe('inspection');
      expect((await decide(id, cus, 'released')).json<Json>().status).toBe('released');
      expect((await get(id)).status).toBe('inspection');
      const released = await decide(id, ciq, 'released');
      expect(released.statusCode).toBe(200);
      expect(released.json<Json>().status).toBe('released');

      const view = await get(id);
      expect(view.status).toBe('released');
      expect(view.parts.map((part: Json) => part.status)).toEqual(['released', 'released']);
      const steps = view.history.map((entry: Json) => `${entry.agency ?? '*'}:${entry.from ?? '-'}>${entry.to}@${entry.actor}`);
      expect(steps).toEqual([
        `*:->submitted@${BROKER}`,
        `CUS:->submitted@${BROKER}`,
        `CIQ:->submitted@${BROKER}`,
        'CUS:submitted>accepted@CUS',
        '*:submitted>processing@CUS',
        'CIQ:submitted>inspection@CIQ',
        '*:processing>inspection@CIQ',
        'CUS:accepted>released@CUS',
        'CIQ:inspection>released@CIQ',
        '*:inspection>released@CIQ',
      ]);
      for (const entry of view.history) expect(Date.parse(entry.at)).not.toBeNaN();

      const closed = await decide(id, cus, 'rejected', [{ message: 'too late' }]);
      expect(closed.statusCode).toBe(409);
      expect(closed.json<Json>().code).toBe('SUBMISSION_CLOSED');
    });

    it('get 409 for an impossible transition and 422 for a rejection without reasons', async () => {
      const id = (await submit(importDeclaration())).json<Json>().id;
      const early = await decide(id, cus, 'released');
      expect(early.statusCode).toBe(409);
      expect(early.json<Json>()).toMatchObject({ code: 'PART_TRANSITION_INVALID' });
      const noReasons = await decide(id, cus, 'rejected');
      expect(noReasons.statusCode).toBe(422);
      expect(noReasons.json<Json>()).toMatchObject({ code: 'DECISION_INVALID', errors: [{ path: '$.reasons', code: 'FIELD_REQUIRED' }] });
      const badOutcome = await decide(id, cus, 'maybe');
      expect(badOutcome.statusCode).toBe(400);
      expect((await get(id)).parts[0].status).toBe('submitted');
    });

    it('reject: the submission is rejected, other open parts are cancelled and their agencies told', async () => {
      const id = (await submit(importDeclaration({ lines: [LAPTOPS, APPLES] }))).json<Json>().id;
      const reasons = [{ code: 'E101', message: 'The licence number does not match the goods', path: '$.lines[0].documents[0].number' }];
      const rejected = await decide(id, cus, 'rejected', reasons);
      expect(rejected.statusCode).toBe(200);
      const view = await get(id);
      expect(view.status).toBe('rejected');
      const byAgency = Object.fromEntries(view.parts.map((part: Json) => [part.agency, part]));
      expect(byAgency.CUS).toMatchObject({ status: 'rejected', reasons });
      expect(byAgency.CIQ).toMatchObject({ status: 'cancelled', reasons: [{ code: 'SUBMISSION_REJECTED' }] });
      await t.kouan.services.exchange.dispatchPending();
      const ciqInbox = (await t.request('GET', '/api/v1/inbox?limit=500', { key: ciq })).json<Json>().messages.filter((message: Json) => message.submissionId === id);
      expect(ciqInbox.map((message: Json) => message.kind)).toEqual(['part.submitted', 'part.cancelled']);
    });

    it('see only parts routed to them', async () => {
      const id = (await submit(importDeclaration())).json<Json>().id;
      expect((await t.request('GET', `/api/v1/submissions/${id}`, { key: ciq })).statusCode).toBe(404);
      expect((await decide(id, ciq, 'accepted')).statusCode).toBe(404);
      expect((await decide(id, moc, 'accepted')).statusCode).toBe(404);
      const mocList = (await t.request('GET', '/api/v1/submissions', { key: moc })).json<Json>();
      expect(mocList.submissions).toEqual([]);
      const ciqList = (await t.request('GET', '/api/v1/submissions?limit=200', { key: ciq })).json<Json>();
      expect(ciqList.submissions.map((submission: Json) => submission.id)).not.toContain(id);
      for (const submission of ciqList.submissions) expect(submission.parts.map((part: Json) => part.agency)).toEqual(['CIQ']);
      expect((await t.request('GET', '/api/v1/inbox', { key: broker })).statusCode).toBe(403);
      expect((await t.request('POST', '/api/v1/submissions', { key: cus, body: { docType: 'goods-declaration', data: importDeclaration() } })).statusCode).toBe(403);
    });
  });

  describe('cancelling', () => {
    it('the owner cancels before any release; agencies are told', async () => {
      const id = (await submit(importDeclaration())).json<Json>().id;
      await decide(id, cus, 'accepted');
      const cancelled = await t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: broker });
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json<Json>()).toMatchObject({ status: 'cancelled', parts: [{ agency: 'CUS', status: 'cancelled' }] });
      const again = await t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: broker });
      expect(again.statusCode).toBe(409);
      expect(again.json<Json>().code).toBe('SUBMISSION_CLOSED');
      expect((await decide(id, cus, 'released')).statusCode).toBe(409);
    });

    it('is refused once an agency has released its part', async () => {
      const id = (await submit(importDeclaration({ lines: [APPLES] }))).json<Json>().id;
      await decide(id, ciq, 'accepted');
      await decide(id, ciq, 'released');
      const response = await t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: broker });
      expect(response.statusCode).toBe(409);
      expect(response.json<Json>().code).toBe('SUBMISSION_NOT_CANCELLABLE');
      expect((await get(id)).status).toBe('processing');
    });

    it('another enterprise cannot see or cancel it', async () => {
      const id = (await submit(importDeclaration())).json<Json>().id;
      expect((await t.request('GET', `/api/v1/submissions/${id}`, { key: other })).statusCode).toBe(404);
      expect((await t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: other })).statusCode).toBe(404);
      const list = (await t.request('GET', '/api/v1/submissions?limit=200', { key: other })).json<Json>();
      expect(list.submissions.map((submission: Json) => submission.id)).not.toContain(id);
    });
  });

  describe('idempotency', () => {
    it('the same key returns the same submission and stores one', async () => {
      const key = `idem-${kind}-${Date.now()}`;
      const before = await count('submissions');
      const first = await submit(importDeclaration(), broker, { 'idempotency-key': key });
      const second = await submit(importDeclaration(), broker, { 'idempotency-key': key });
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.json<Json>().id).toBe(first.json<Json>().id);
      expect(await count('submissions')).toBe(before + 1);
      const reused = await submit(importDeclaration({ incoterm: 'FOB' }), broker, { 'idempotency-key': key });
      expect(reused.statusCode).toBe(409);
      expect(reused.json<Json>().code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('concurrent retries with one key store one submission', async () => {
      const key = `race-${kind}-${Date.now()}`;
      const before = await count('submissions');
      const responses = await Promise.all(Array.from({ length: 8 }, () => submit(importDeclaration(), broker, { 'idempotency-key': key })));
      expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 8 }, () => 201));
      expect(new Set(responses.map((response) => response.json<Json>().id)).size).toBe(1);
      expect(await count('submissions')).toBe(before + 1);
      expect((await submit(importDeclaration(), broker, { 'idempotency-key': 'bad key with spaces' })).json<Json>().code).toBe('IDEMPOTENCY_KEY_INVALID');
    });
  });

  describe('authentication', () => {
    it('needs a valid key', async () => {
      const none = await t.request('GET', '/api/v1/submissions');
      expect(none.statusCode).toBe(401);
      expect(none.headers['www-authenticate']).toContain('Bearer');
      expect(none.json<Json>().code).toBe('AUTH_REQUIRED');
      const wrong = await t.request('GET', '/api/v1/submissions', { key: `${broker.slice(0, -4)}AAAA` });
      expect(wrong.json<Json>().code).toBe('AUTH_INVALID');
      const { id } = await t.kouan.services.parties.createKey(OTHER_ENTERPRISE);
      const revokedKey = (await t.kouan.services.parties.createKey(OTHER_ENTERPRISE)).key;
      await t.kouan.services.parties.revokeKey(revokedKey.split('.')[1] ?? '');
      expect((await t.request('GET', '/api/v1/me', { key: revokedKey })).statusCode).toBe(401);
      expect(id).toMatch(/^key_/);
      const me = await t.request('GET', '/api/v1/me', { key: broker });
      expect(me.json<Json>()).toMatchObject({ party: BROKER, kind: 'enterprise', roles: ['declarant', 'broker'], tenant: 'central' });
    });

    it('lists newest first with a cursor', async () => {
      const page1 = (await t.request('GET', '/api/v1/submissions?limit=2', { key: broker })).json<Json>();
      expect(page1.submissions).toHaveLength(2);
      const page2 = (await t.request('GET', `/api/v1/submissions?limit=2&cursor=${page1.next}`, { key: broker })).json<Json>();
      expect(page2.submissions[0].id < page1.submissions[1].id).toBe(true);
      const released = (await t.request('GET', '/api/v1/submissions?status=released', { key: broker })).json<Json>();
      for (const submission of released.submissions) expect(submission.status).toBe('released');
      expect(released.submissions.length).toBeGreaterThan(0);
    });
  });
});
