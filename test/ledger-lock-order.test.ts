/**
 * The ledger takes its locks in one order (docs/ledger.md, "Lock order"), on both stores: customs releasing 30
 * declarations that hold the same two accounts, while commerce suspends and revokes one of them, never
 * deadlocks. Every answer is one of the documented ones, never a 500, and afterwards the stored balances are
 * what the entries give and no line holds more than its ceiling. On PostgreSQL the race is real: the requests
 * run side by side on the pool's connections, and the store has no retry to hide a deadlock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 8)}01`;
const DECLARATIONS = 30;
const ROUNDS = 3;
/** Each round is a few hundred requests; on a machine shared with other work they take a while. */
const RACE_TIMEOUT_MS = 180_000;
/** Desktop processing units: a second goods line, on the licences' second line. */
const PROCESSORS = { ...LAPTOPS, hsCode: '8471500000', description: 'Processing units', quantity: 3 };

type Answer = { statusCode: number; json: () => unknown };

/** What an answer was, as `status code` (a problem's code, or the status alone for a success). */
const outcome = (response: Answer): string => (response.statusCode < 300 ? String(response.statusCode) : `${response.statusCode} ${String((response.json() as Json).code)}`);

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

describe.each(kinds)('ledger lock order on %s', (kind) => {
  let t: TestKouan;
  let keys: { broker: string; moc: string; cus: string; importer: string };
  let serial = 0;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    keys = { broker: await t.enterprise(BROKER, ['declarant', 'broker']), importer: await t.enterprise(IMPORTER), moc: await t.agency('MOC'), cus: await t.agency('CUS') };
    await t.delegate(IMPORTER, BROKER);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A licence with two lines (laptops, processing units), issued by commerce to the importer. */
  const issue = async (): Promise<string> => {
    const number = `AIL-${kind.toUpperCase()}-LOCK-${(serial += 1).toString().padStart(4, '0')}`;
    const response = await t.request('POST', '/api/v1/ledger/accounts', {
      key: keys.moc,
      body: {
        type: 'automatic-import-licence',
        number,
        holder: IMPORTER,
        direction: 'import',
        validFrom: today,
        validTo: nextYear,
        lines: [
          { hsCode: '8471300000', quantity: 10000, unit: 'PCE' },
          { hsCode: '8471500000', quantity: 10000, unit: 'PCE' },
        ],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return number;
  };
  /** Four goods lines, each licence cited on both of its lines, the later licence first. */
  const declare = async (shared: string, other: string): Promise<string> => {
    const lines = [
      { ...PROCESSORS, documents: [{ type: 'automatic-import-licence', number: other }] },
      { ...LAPTOPS, quantity: 7, documents: [{ type: 'automatic-import-licence', number: shared }] },
      { ...LAPTOPS, quantity: 5, documents: [{ type: 'automatic-import-licence', number: other }] },
      { ...PROCESSORS, documents: [{ type: 'automatic-import-licence', number: shared }] },
    ];
    const response = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ lines }) } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>().id as string;
  };
  const decide = (id: string, outcome: string) => t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: keys.cus, body: { outcome } });
  const account = async (number: string): Promise<Json> => {
    const response = await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: keys.importer });
    expect(response.statusCode).toBe(200);
    return response.json<Json>();
  };

  it(`${DECLARATIONS} releases racing a suspension and a revocation of the account they hold never deadlock, ${ROUNDS} times over`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      // `shared` sorts after `other`: a writer that locked in the order it met the accounts would cross another.
      const other = await issue();
      const shared = await issue();
      const ids: string[] = [];
      for (let index = 0; index < DECLARATIONS; index += 1) ids.push(await declare(shared, other));
      for (const id of ids) expect((await decide(id, 'accepted')).statusCode).toBe(200);

      const status = (verb: string) => t.request('POST', `/api/v1/ledger/accounts/${shared}/${verb}`, { key: keys.moc, body: { reason: `round ${round}: ${verb}` } });
      // The suspension and the revocation start among the releases, so that some releases come before them.
      const third = DECLARATIONS / 3;
      const release = (from: number, to: number) => ids.slice(from, to).map((id) => decide(id, 'released'));
      const [first, suspension, second, revocation, last] = await Promise.all([
        Promise.all(release(0, third)),
        status('suspend'),
        Promise.all(release(third, 2 * third)),
        status('revoke'),
        Promise.all(release(2 * third, DECLARATIONS)),
      ]);
      const releases = [...first, ...second, ...last];

      const releaseOutcomes = releases.map(outcome);
      expect(releaseOutcomes.every((answer) => answer === '200' || answer === '409 LEDGER_RESERVATION_LAPSED'), JSON.stringify(tally(releaseOutcomes))).toBe(true);
      // The revocation always goes through (from active or suspended); the suspension only if it came first.
      expect(outcome(revocation)).toBe('200');
      expect(['200', '409 LEDGER_ACCOUNT_STATE']).toContain(outcome(suspension));
      expect((await account(shared)).status).toBe('revoked');

      // A released declaration wrote both accounts off; a refused one holds nothing anywhere any more.
      const posted = releaseOutcomes.filter((answer) => answer === '200').length;
      for (const [index, id] of ids.entries()) {
        const holds = (await t.request('GET', `/api/v1/submissions/${id}`, { key: keys.broker })).json<Json>().ledger as Json[];
        const expected = releaseOutcomes[index] === '200' ? 'posted' : 'reserved';
        expect(holds.filter((hold) => hold.account === shared).map((hold) => hold.state)).toEqual(releaseOutcomes[index] === '200' ? ['posted', 'posted'] : ['voided', 'voided']);
        expect(holds.filter((hold) => hold.account === other).map((hold) => hold.state)).toEqual([expected, expected]);
      }
      const lines = (await account(shared)).lines as Json[];
      expect(lines.map((line) => [line.reserved, line.posted])).toEqual([
        ['0', String(7 * posted)],
        ['0', String(3 * posted)],
      ]);
      const untouched = (await account(other)).lines as Json[];
      expect(untouched.map((line) => [line.reserved, line.posted])).toEqual([
        [String(5 * (DECLARATIONS - posted)), String(5 * posted)],
        [String(3 * (DECLARATIONS - posted)), String(3 * posted)],
      ]);
      for (const line of [...lines, ...untouched]) expect(Number(line.reserved) + Number(line.posted)).toBeLessThanOrEqual(Number(line.ceiling));
    }
    expect((await t.kouan.services.ledger.audit()).problems).toEqual([]);
  }, RACE_TIMEOUT_MS);

  /** Cotton yarn and blended cotton yarn: a processing-trade manual's two materials. */
  const YARN = { hsCode: '5205120000', description: 'Cotton yarn', quantity: 100, unit: 'KGM', netWeightKg: 100, grossWeightKg: 101, value: 400, originCountry: 'PK' };
  const COTTON = { ...YARN, hsCode: '5206110000', description: 'Blended cotton yarn', quantity: 50 };
  /** T-shirts made of both: 0.26 kg of yarn and 0.1 kg of blended yarn each. */
  const SHIRTS = { hsCode: '6109100000', description: 'Cotton T-shirts', quantity: 100, unit: 'PCE', netWeightKg: 26, grossWeightKg: 28, value: 900, originCountry: 'CN' };
  const manual = async (): Promise<string> => {
    const number = `PTM-${kind.toUpperCase()}-LOCK-${(serial += 1).toString().padStart(4, '0')}`;
    const response = await t.request('POST', '/api/v1/ledger/accounts', {
      key: keys.cus,
      body: {
        type: 'processing-trade-manual',
        number,
        holder: IMPORTER,
        direction: 'import',
        validFrom: today,
        validTo: nextYear,
        lines: [
          { hsCode: '520512', quantity: 100000, unit: 'KGM' },
          { hsCode: '520611', quantity: 100000, unit: 'KGM' },
        ],
        products: [{ hsCode: '610910', unit: 'PCE', consumption: [{ line: 1, ratio: '0.26' }, { line: 2, ratio: '0.1' }] }],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return number;
  };
  const cite = (line: Json, number: string, type: string) => ({ ...line, documents: [{ type, number }] });
  /** An import of both materials on the manual and laptops on the licence, or an export of shirts from the manual. */
  const imports = (licence: string, ptm: string) =>
    importDeclaration({ lines: [cite(COTTON, ptm, 'processing-trade-manual'), cite(LAPTOPS, licence, 'automatic-import-licence'), cite(YARN, ptm, 'processing-trade-manual')] });
  const exports = (ptm: string) => ({
    ...importDeclaration({ lines: [cite(SHIRTS, ptm, 'processing-trade-manual')] }),
    direction: 'export',
    portOfEntry: undefined,
    countryOfDispatch: undefined,
    portOfExit: 'CNSHA',
    countryOfDestination: 'DE',
    consignor: { id: IMPORTER, name: 'Shanghai Example Trading Co., Ltd.' },
    consignee: { name: 'Example Retail GmbH', country: 'DE' },
  });
  const submit = (data: Json) => t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data } });
  const stored = async (data: Json): Promise<string> => {
    const response = await submit(data);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>().id as string;
  };

  it('every ledger writer at once (reserve, write-off, void, expiry, suspend, reinstate, revoke) on a licence and a manual never deadlocks', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const licence = await issue();
      const ptm = await manual();
      // Stock to export from: five imports written off.
      for (let index = 0; index < 5; index += 1) {
        const id = await stored(imports(licence, ptm));
        expect((await decide(id, 'accepted')).statusCode).toBe(200);
        expect((await decide(id, 'released')).statusCode).toBe(200);
      }
      const toRelease = [];
      for (let index = 0; index < 8; index += 1) toRelease.push(await stored(index % 2 === 0 ? imports(licence, ptm) : exports(ptm)));
      for (const id of toRelease) expect((await decide(id, 'accepted')).statusCode).toBe(200);
      const toReject = [];
      for (let index = 0; index < 6; index += 1) toReject.push(await stored(index % 2 === 0 ? imports(licence, ptm) : exports(ptm)));
      const toCancel = [];
      for (let index = 0; index < 6; index += 1) toCancel.push(await stored(index % 2 === 0 ? exports(ptm) : imports(licence, ptm)));

      const change = (number: string, verb: string, key: string) => t.request('POST', `/api/v1/ledger/accounts/${number}/${verb}`, { key, body: { reason: `round ${round}: ${verb}` } });
      const reject = (id: string) => t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: keys.cus, body: { outcome: 'rejected', reasons: [{ message: 'documents do not match the goods' }] } });
      const cancel = (id: string) => t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: keys.broker });
      // Past every hold's expiry: the sweep expires whatever is still pending when it runs.
      const sweep = async (): Promise<Answer> => {
        const expired = await t.kouan.services.ledger.expireDue(new Date(Date.now() + 365 * 24 * 3600 * 1000));
        return { statusCode: 200, json: () => ({ expired }) };
      };
      const racer = (what: string, answer: Promise<Answer>) => answer.then((response) => `${what} ${outcome(response)}`);
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, (_, index) => racer('submit', submit(index % 2 === 0 ? imports(licence, ptm) : exports(ptm)))),
        ...toRelease.slice(0, 4).map((id) => racer('release', decide(id, 'released'))),
        ...toReject.map((id) => racer('reject', reject(id))),
        racer('suspend', change(ptm, 'suspend', keys.cus)),
        racer('suspend', change(licence, 'suspend', keys.moc)),
        ...toCancel.map((id) => racer('cancel', cancel(id))),
        racer('reinstate', change(ptm, 'reinstate', keys.cus)),
        racer('sweep', sweep()),
        ...toRelease.slice(4).map((id) => racer('release', decide(id, 'released'))),
        racer('revoke', change(licence, 'revoke', keys.moc)),
      ]);
      const allowed = new Set([
        'release 200',
        'release 409 LEDGER_RESERVATION_LAPSED',
        'reject 200',
        'cancel 200',
        'submit 201',
        'submit 422 SUBMISSION_INVALID',
        'suspend 200',
        'suspend 409 LEDGER_ACCOUNT_STATE',
        'reinstate 200',
        'reinstate 409 LEDGER_ACCOUNT_STATE',
        'revoke 200',
        'sweep 200',
      ]);
      expect(answers.filter((answer) => !allowed.has(answer)), JSON.stringify(tally(answers))).toEqual([]);
      for (const number of [licence, ptm]) {
        for (const line of (await account(number)).lines as Json[]) {
          expect(Number(line.reserved) + Number(line.posted)).toBeLessThanOrEqual(Number(line.ceiling));
          if (line.debitPosted !== undefined) expect(Number(line.debitReserved) + Number(line.debitPosted)).toBeLessThanOrEqual(Number(line.posted));
        }
      }
      expect((await t.kouan.services.ledger.audit()).problems).toEqual([]);
    }
  }, RACE_TIMEOUT_MS);
});
