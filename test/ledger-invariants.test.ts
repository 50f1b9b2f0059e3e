/**
 * DESIGN.md's ledger invariants on both stores, under load: for every line posted + reserved never passes
 * granted × (1 + tolerance) whatever races for it (invariant 5); quantities are exact decimals; entries are
 * immutable and a retried write changes nothing; a hold that runs out is given back and cannot be written off.
 * On PostgreSQL the races are real: requests and transactions run side by side on the pool's ten connections.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedReservation } from '../src/modules/ledger/index.js';
import { KouanError } from '../src/shared/errors.js';
import { newId, nowIso } from '../src/shared/ids.js';
import { systemReason } from '../src/shared/reasons.js';
import type { Database } from '../src/store/schema.js';
import { BROKER, IMPORTER, LAPTOPS, importDeclaration } from './support/fixtures.js';
import { startTestKouan } from './support/kouan.js';
import { storeKinds, type StoreKind } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
/** Quantities in the ledger are integers in millionths of the unit. */
const MICRO = 1_000_000;
const RACERS = 64;
/** Durum wheat, a tariff-quota good counted in tonnes. */
const WHEAT = { hsCode: '1001190000', description: 'Durum wheat', quantity: '1', unit: 'TNE', grossWeightKg: '1000', netWeightKg: '1000', value: '300', originCountry: 'AU' };

/** A Kouan on one store with the parties every test here uses. */
async function ledgerKouan(kind: StoreKind, env: Record<string, string> = {}) {
  const t = await startTestKouan(kind, env);
  const keys = {
    broker: await t.enterprise(BROKER, ['declarant', 'broker']),
    importer: await t.enterprise(IMPORTER),
    moc: await t.agency('MOC'),
    cus: await t.agency('CUS'),
  };
  await t.delegate(IMPORTER, BROKER);
  let serial = 0;
  const { ledger, store } = t.kouan.services;

  /** An automatic import licence for laptops, issued by commerce to the importer. */
  const issue = async (overrides: Json = {}): Promise<Json> => {
    const response = await t.request('POST', '/api/v1/ledger/accounts', {
      key: keys.moc,
      body: {
        type: 'automatic-import-licence',
        number: `AIL-${kind.toUpperCase()}-${(serial += 1).toString().padStart(6, '0')}`,
        holder: IMPORTER,
        direction: 'import',
        validFrom: today,
        validTo: nextYear,
        lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }],
        ...overrides,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Json>();
  };
  const account = async (number: string): Promise<Json> => {
    const response = await t.request('GET', `/api/v1/ledger/accounts/${number}`, { key: keys.importer });
    expect(response.statusCode).toBe(200);
    return response.json<Json>();
  };
  /** The account's whole history, following the cursor page by page. */
  const entries = async (number: string): Promise<Json[]> => {
    const all: Json[] = [];
    for (let after = 0; ; ) {
      const response = await t.request('GET', `/api/v1/ledger/accounts/${number}/entries?after=${after}&limit=500`, { key: keys.moc });
      expect(response.statusCode).toBe(200);
      const page = response.json<Json>();
      all.push(...(page.entries as Json[]));
      if (page.entries.length < 500) return all;
      after = page.next as number;
    }
  };
  /** The broker declares goods lines for the importer, each citing `document`. */
  const declare = (document: { type: string; number: string }, line: Json = { ...LAPTOPS, quantity: 30 }) =>
    t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ lines: [{ ...line, documents: [document] }] }) } });
  const decide = (id: string, outcome: string) => t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: keys.cus, body: { outcome } });
  /** Customs accepts, then releases: the release writes off what the declaration holds. */
  const release = async (id: string) => {
    expect((await decide(id, 'accepted')).statusCode).toBe(200);
    return decide(id, 'released');
  };
  /** Runs ledger work in a transaction of its own, as the submission pipeline does. */
  const inTransaction = <T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> => store.db.transaction().execute(work);
  const hold = (submissionId: string, accountNumber: string, quantity: number) =>
    inTransaction((trx) => ledger.reserve(trx, submissionId, [{ accountNumber, lineNo: 1, path: '$', quantity, side: 'credit' } satisfies PlannedReservation], 'test', nowIso()));
  const audit = async () => expect((await ledger.audit()).problems).toEqual([]);
  return { t, keys, ledger, store, issue, account, entries, declare, decide, release, inTransaction, hold, audit };
}

type LedgerKouan = Awaited<ReturnType<typeof ledgerKouan>>;

/** The error codes a failed reserve reports, or ['ok'] when it went through. */
async function outcomeOf(work: Promise<unknown>): Promise<string[]> {
  try {
    await work;
    return ['ok'];
  } catch (error) {
    if (error instanceof KouanError) return error.errors.length > 0 ? error.errors.map((fieldError) => fieldError.code) : [error.code];
    return [`unexpected: ${error instanceof Error ? error.message : String(error)}`];
  }
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

describe.each(kinds)('ledger invariants on %s', (kind) => {
  let k: LedgerKouan;

  beforeAll(async () => {
    k = await ledgerKouan(kind);
  });
  afterAll(async () => {
    await k.t.close();
  });

  it(`${RACERS} declarations racing for one licence: exactly what fits the ceiling is held, and release writes off exactly that`, async () => {
    // 1000 PCE with 5 % tolerance: the ceiling is 1050, room for floor(1050 / 30) = 35 declarations of 30.
    const { number } = await k.issue({ tolerancePct: 5 });
    expect((await k.account(number)).lines[0]).toMatchObject({ quantity: '1000', ceiling: '1050', remaining: '1050' });

    const responses = await Promise.all(Array.from({ length: RACERS }, () => k.declare({ type: 'automatic-import-licence', number })));
    const accepted = responses.filter((response) => response.statusCode === 201).map((response) => response.json<Json>().id as string);
    const refused = responses.filter((response) => response.statusCode !== 201);
    expect(accepted).toHaveLength(35);
    expect(new Set(accepted).size).toBe(35);
    expect(refused).toHaveLength(RACERS - 35);
    for (const response of refused) {
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json<Json>().errors).toEqual([expect.objectContaining({ path: '$.lines[0].documents[0]', code: 'LEDGER_INSUFFICIENT_BALANCE' })]);
    }
    // The race was real: declarations that passed the pre-check together were stopped by the guarded update,
    // whose message cannot name what was left (the pre-check's names it).
    expect(refused.filter((response) => response.body.includes('less than that')).length).toBeGreaterThan(0);
    expect((await k.account(number)).lines[0]).toMatchObject({ reserved: '1050', posted: '0', remaining: '0' });
    expect((await k.account(number)).uses).toBe(35);
    // A refused declaration left nothing behind: one reserve entry per accepted declaration, none for the others.
    const reserves = (await k.entries(number)).filter((entry) => entry.kind === 'reserve');
    expect(reserves.map((entry) => entry.submissionId as string).sort()).toEqual([...accepted].sort());

    const released = await Promise.all(accepted.map((id) => k.release(id)));
    for (const response of released) expect(response.statusCode, response.body).toBe(200);
    expect((await k.account(number)).lines[0]).toMatchObject({ reserved: '0', posted: '1050', remaining: '0' });
    const posts = (await k.entries(number)).filter((entry) => entry.kind === 'post');
    expect(posts).toHaveLength(35);
    expect(posts.every((entry) => entry.quantity === '30' && entry.actor === 'CUS')).toBe(true);
    await k.audit();
  });

  it('reserves, voids and write-offs racing on one line never pass its ceiling and never fail for anything but the balance', async () => {
    // 1000 PCE + 5 %: 20 declarations hold 600 of the 1050; 10 of them are voided and 10 written off while
    // 64 new holds of 30 race for what is left. The holds go straight to the guarded update, with no pre-check.
    const { number } = await k.issue({ tolerancePct: 5 });
    const quantity = 30 * MICRO;
    const held = Array.from({ length: 20 }, () => newId('sub'));
    for (const id of held) await k.hold(id, number, quantity);
    expect((await k.account(number)).lines[0]).toMatchObject({ reserved: '600', remaining: '450' });

    const racing = Array.from({ length: RACERS }, () => newId('sub'));
    const voids = held.slice(0, 10).map((id) => outcomeOf(k.inTransaction((trx) => k.ledger.voidReservations(trx, id, 'CUS', systemReason('SUBMISSION_REJECTED', { agency: 'CUS' }), nowIso()))));
    const writeOffs = held.slice(10).map((id) => outcomeOf(k.inTransaction((trx) => k.ledger.writeOff(trx, id, 'CUS', nowIso()))));
    const holds = racing.map((id) => outcomeOf(k.hold(id, number, quantity)));
    const [voided, written, holding] = await Promise.all([Promise.all(voids), Promise.all(writeOffs), Promise.all(holds)]);

    expect(voided.flat()).toEqual(Array.from({ length: 10 }, () => 'ok'));
    expect(written.flat()).toEqual(Array.from({ length: 10 }, () => 'ok'));
    const counts = tally(holding.flat());
    expect(Object.keys(counts).filter((code) => code !== 'ok' && code !== 'LEDGER_INSUFFICIENT_BALANCE'), JSON.stringify(counts)).toEqual([]);
    const succeeded = counts.ok ?? 0;
    // At least what was free before the race (450 / 30), at most that plus what the voids gave back (750 / 30).
    expect(succeeded).toBeGreaterThanOrEqual(15);
    expect(succeeded).toBeLessThanOrEqual(25);

    const line = (await k.account(number)).lines[0];
    expect(line).toMatchObject({ posted: '300', reserved: String(30 * succeeded) });
    expect(Number(line.reserved) + Number(line.posted)).toBeLessThanOrEqual(1050);
    // Written-off declarations keep their use, voided ones gave it back.
    expect((await k.account(number)).uses).toBe(10 + succeeded);
    await k.audit();
  });

  it('a thousand write-offs of 0.001 TNE leave exactly 1 TNE less, and the last 4 TNE fit exactly', async () => {
    const { number } = await k.issue({ type: 'tariff-quota-certificate', number: `TRQ-${kind.toUpperCase()}-WHEAT`, lines: [{ hsCode: '1001', quantity: 5, unit: 'TNE' }] });
    const thousandth = MICRO / 1000;
    let next = 0;
    // Sixteen callers share the thousand write-offs, each a reserve and a write-off in one transaction.
    const caller = async () => {
      while (next < 1000) {
        next += 1;
        const id = newId('sub');
        await k.inTransaction(async (trx) => {
          await k.ledger.reserve(trx, id, [{ accountNumber: number, lineNo: 1, path: '$', quantity: thousandth, side: 'credit' }], 'test', nowIso());
          await k.ledger.writeOff(trx, id, 'CUS', nowIso());
        });
      }
    };
    await Promise.all(Array.from({ length: 16 }, caller));

    expect((await k.account(number)).lines[0]).toMatchObject({ quantity: '5', reserved: '0', posted: '1', remaining: '4' });
    const history = await k.entries(number);
    expect(history.filter((entry) => entry.kind === 'post')).toHaveLength(1000);
    expect(history.every((entry) => entry.quantity === null || entry.quantity === '0.001')).toBe(true);

    // The balance is 4 TNE exactly, not 3.999999 or 4.000001: one millionth more is refused, 4 fits.
    const tooMuch = await k.declare({ type: 'tariff-quota-certificate', number }, { ...WHEAT, quantity: '4.000001' });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json<Json>().errors).toContainEqual(expect.objectContaining({ code: 'LEDGER_INSUFFICIENT_BALANCE' }));
    const rest = await k.declare({ type: 'tariff-quota-certificate', number }, { ...WHEAT, quantity: '4' });
    expect(rest.statusCode, rest.body).toBe(201);
    expect((await k.release(rest.json<Json>().id as string)).statusCode).toBe(200);
    expect((await k.account(number)).lines[0]).toMatchObject({ reserved: '0', posted: '5', remaining: '0' });
    await k.audit();
  });

  it('a retried write-off, a void or an expiry after the write-off, and a duplicate entry id change nothing', async () => {
    const { number } = await k.issue();
    const first = newId('sub');
    await k.inTransaction(async (trx) => {
      await k.ledger.reserve(trx, first, [{ accountNumber: number, lineNo: 1, path: '$', quantity: 10 * MICRO, side: 'credit' }], 'test', nowIso());
      await k.ledger.writeOff(trx, first, 'CUS', nowIso());
    });
    const before = { account: await k.account(number), entries: await k.entries(number) };
    expect(before.account.lines[0]).toMatchObject({ reserved: '0', posted: '10' });

    await k.inTransaction((trx) => k.ledger.writeOff(trx, first, 'CUS', nowIso()));
    await k.inTransaction((trx) => k.ledger.voidReservations(trx, first, 'CUS', systemReason('SUBMISSION_REJECTED', { agency: 'CUS' }), nowIso()));
    // Far in the future every hold is due; a written-off one is no longer a hold.
    await k.ledger.expireDue(new Date(Date.now() + 10 * 365 * 24 * 3600_000));
    expect(await k.account(number)).toEqual(before.account);
    expect(await k.entries(number)).toEqual(before.entries);

    // Eight write-offs of one declaration at once, as retries racing the first try: it is written off once.
    const second = newId('sub');
    await k.hold(second, number, 20 * MICRO);
    const retries = await Promise.all(Array.from({ length: 8 }, () => outcomeOf(k.inTransaction((trx) => k.ledger.writeOff(trx, second, 'CUS', nowIso())))));
    expect(retries.flat()).toEqual(Array.from({ length: 8 }, () => 'ok'));
    expect((await k.account(number)).lines[0]).toMatchObject({ reserved: '0', posted: '30' });
    expect((await k.entries(number)).filter((entry) => entry.submissionId === second).map((entry) => entry.kind)).toEqual(['reserve', 'post']);

    // The entry id is the idempotency key: a second entry with it is never stored.
    const { db } = k.store;
    const stored = await db.selectFrom('ledger_entries').selectAll().where('account_number', '=', number).where('kind', '=', 'post').orderBy('seq').executeTakeFirstOrThrow();
    const { seq: _seq, ...again } = stored;
    const retried = await db.insertInto('ledger_entries').values({ ...again, quantity: 999 * MICRO }).onConflict((conflict) => conflict.column('entry_id').doNothing()).executeTakeFirst();
    expect(retried.numInsertedOrUpdatedRows ?? 0n).toBe(0n);
    await expect(db.insertInto('ledger_entries').values({ ...again, quantity: 999 * MICRO }).execute()).rejects.toThrow(/unique|UNIQUE/);
    expect(await db.selectFrom('ledger_entries').selectAll().where('entry_id', '=', stored.entry_id).execute()).toEqual([stored]);
    await k.audit();
  });

  it('a release that loses the race against an expiry is refused with LEDGER_RESERVATION_LAPSED and writes off nothing', async () => {
    const { number } = await k.issue();
    const submitted = await k.declare({ type: 'automatic-import-licence', number }, { ...LAPTOPS, quantity: 100 });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json<Json>().id as string;
    expect((await k.decide(id, 'accepted')).statusCode).toBe(200);

    // The expiry sweep does not lock the submission: customs' release reads the hold as pending while the sweep,
    // not yet committed, is giving it back. (The sweep's transaction is held open here to make that certain.)
    let release: Promise<LightMyRequestResponse> | undefined;
    await k.inTransaction(async (trx) => {
      await k.ledger.voidReservations(trx, id, 'kouan', systemReason('HOLD_EXPIRED'), nowIso());
      release = k.decide(id, 'released');
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    const lapsed = await release;
    expect(lapsed?.statusCode, lapsed?.body).toBe(409);
    expect(lapsed?.json<Json>().code).toBe('LEDGER_RESERVATION_LAPSED');
    expect((await k.account(number)).lines[0]).toMatchObject({ reserved: '0', posted: '0', remaining: '1000' });
    expect((await k.entries(number)).map((entry) => entry.kind)).toEqual(['issue', 'reserve', 'void']);
    await k.audit();
  });

  it('the database itself refuses to change or delete an entry', async () => {
    const { number } = await k.issue();
    const id = newId('sub');
    await k.hold(id, number, 5 * MICRO);
    const { db } = k.store;
    const reserve = await db.selectFrom('ledger_entries').selectAll().where('submission_id', '=', id).executeTakeFirstOrThrow();
    await expect(db.updateTable('ledger_entries').set({ quantity: 1 }).where('entry_id', '=', reserve.entry_id).execute()).rejects.toThrow(/immutable/);
    await expect(db.updateTable('ledger_entries').set({ actor: 'someone else' }).execute()).rejects.toThrow(/immutable/);
    await expect(db.deleteFrom('ledger_entries').where('entry_id', '=', reserve.entry_id).execute()).rejects.toThrow(/immutable/);
    await expect(db.deleteFrom('ledger_entries').execute()).rejects.toThrow(/immutable/);
    expect(await db.selectFrom('ledger_entries').selectAll().where('entry_id', '=', reserve.entry_id).executeTakeFirst()).toEqual(reserve);
    await k.audit();
  });
});

describe.each(kinds)('reservation expiry on %s', (kind) => {
  let k: LedgerKouan;

  beforeAll(async () => {
    k = await ledgerKouan(kind, { KOUAN_LEDGER_RESERVATION_HOURS: '1' });
  });
  afterAll(async () => {
    await k.t.close();
  });

  it('a hold with no decision within the hour is given back, and the declaration can no longer be written off', async () => {
    const { number } = await k.issue({ maxUses: 2 });
    const submitted = await k.declare({ type: 'automatic-import-licence', number }, { ...LAPTOPS, quantity: 400 });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json<Json>().id as string;
    expect(await k.account(number)).toMatchObject({ uses: 1, lines: [{ reserved: '400', remaining: '600' }] });

    expect(await k.ledger.expireDue(new Date())).toBe(0);
    expect(await k.ledger.expireDue(new Date(Date.now() + 30 * 60_000))).toBe(0);
    expect((await k.account(number)).lines[0].reserved).toBe('400');

    expect(await k.ledger.expireDue(new Date(Date.now() + 2 * 3600_000))).toBe(1);
    expect(await k.account(number)).toMatchObject({ uses: 0, lines: [{ reserved: '0', posted: '0', remaining: '1000' }] });
    expect((await k.entries(number)).filter((entry) => entry.kind === 'expire')).toEqual([
      expect.objectContaining({ quantity: '400', submissionId: id, actor: 'kouan', lineNo: 1 }),
    ]);
    expect(await k.ledger.expireDue(new Date(Date.now() + 2 * 3600_000))).toBe(0);

    const lapsed = await k.release(id);
    expect(lapsed.statusCode).toBe(409);
    expect(lapsed.json<Json>()).toMatchObject({ code: 'LEDGER_RESERVATION_LAPSED', account: number, state: 'expired' });
    expect(lapsed.json<Json>().title).toContain(number);
    expect((await k.account(number)).lines[0]).toMatchObject({ reserved: '0', posted: '0' });

    // What came back can be declared again, uses included.
    const again = await k.declare({ type: 'automatic-import-licence', number }, { ...LAPTOPS, quantity: 1000 });
    expect(again.statusCode, again.body).toBe(201);
    expect(await k.account(number)).toMatchObject({ uses: 1, lines: [{ reserved: '1000', remaining: '0' }] });
    await k.audit();
  });
});
