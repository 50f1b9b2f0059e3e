import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import type { TrackingCurrentTable, TrackingEventTable } from './tracking.tables.js';

export type { TrackingCurrentTable, TrackingEventTable };
import { documentKey, resolveDocument, type DocumentMember } from './tracking.documents.js';
import type { DocumentFunction, ReferenceKind, TrackingEventView } from './tracking.schema.js';
import { InsertStatements } from '../../store/insert-statements.js';
import { listed, named, PreparedQueries } from '../../store/prepared-queries.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One reference of one tenant: a vessel's value is its IMO number, or "IMO/voyage" for one voyage. */
export interface ReferenceKey {
  readonly tenant: string;
  readonly kind: ReferenceKind;
  readonly value: string;
}

/** One group of events that may give a party standing on a container or bill of lading. */
export interface Anchor {
  readonly value: string;
  readonly submission: string | null;
  /** Published by the party itself. */
  readonly own: boolean;
  readonly first: string;
  readonly last: string;
}

/** Events appended per INSERT statement. */
const APPEND_CHUNK = 500;

/** The column of the log that names a reference of each kind but the vessel (whose key is its IMO number and voyage). */
const EVENT_COLUMN = { container: 'container', billOfLading: 'bill_of_lading', submission: 'submission_id' } as const;

export type NewTrackingEvent = Omit<TrackingEventTable, 'seq'>;
export type StoredTrackingEvent = Omit<TrackingEventTable, 'seq'> & { seq: number };

export class TrackingRepository {
  /** The hot inserts, compiled once per shape (store/insert-statements.ts). */
  private readonly inserts = new InsertStatements();
  /** Its hot reads, compiled once per shape (prepared-queries.ts). */
  private readonly prepared = new PreparedQueries();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Appends an event; undefined when its event id is already in the log. */
  async append(trx: Transaction<Database>, event: NewTrackingEvent): Promise<number | undefined> {
    return (await this.appendMany(trx, [event]))[0];
  }

  /**
   * Appends events in one statement per chunk, in order (so seqs follow it); for each, its seq, or undefined when
   * its event id was already in the log or earlier in the same call.
   */
  async appendMany(trx: Transaction<Database>, events: readonly NewTrackingEvent[]): Promise<(number | undefined)[]> {
    const seqs: (number | undefined)[] = [];
    // 18 parameters a row: well under SQLite's 32,766 and PostgreSQL's 65,535 per statement.
    for (const chunk of chunks(events, APPEND_CHUNK)) {
      const rows = await this.inserts.run(trx, 'tracking_events', chunk, () =>
        tables(trx).insertInto('tracking_events').values(chunk).onConflict((conflict) => conflict.column('event_id').doNothing()).returning(['seq', 'event_id']),
      );
      const inserted = new Map(rows.map((row) => [row.event_id, Number(row.seq)]));
      for (const event of chunk) {
        const seq = inserted.get(event.event_id);
        // The first row of an id in the chunk is the one inserted; a repeat of it is a duplicate.
        inserted.delete(event.event_id);
        seqs.push(seq);
      }
    }
    return seqs;
  }

  async findByEventIds(eventIds: readonly string[], db: Db = this.db): Promise<Map<string, StoredTrackingEvent>> {
    const found = new Map<string, StoredTrackingEvent>();
    for (const chunk of chunks(eventIds)) {
      const rows = await tables(db).selectFrom('tracking_events').selectAll().where('event_id', 'in', chunk).execute();
      for (const row of rows) found.set(row.event_id, { ...row, seq: Number(row.seq) });
    }
    return found;
  }

  /**
   * Serialises the writers of the same references (PostgreSQL; SQLite has one writer anyway), so that a
   * projection recomputed from the log includes every event committed before it. Keys in one order, taken by one
   * statement: no deadlock, one round trip.
   */
  async lockReferences(trx: Transaction<Database>, keys: readonly ReferenceKey[]): Promise<void> {
    if (this.dialect !== 'postgres' || keys.length === 0) return;
    const texts = [...new Set(keys.map((key) => `tracking:${keyText(key)}`))].sort();
    await sql`select count(pg_advisory_xact_lock(hashtext(k))) from (select unnest(${texts}::text[]) as k order by 1) as keys`.execute(trx);
  }

  /** Every event of a reference, in timeline order (event time, then seq). */
  async eventsOf(key: ReferenceKey, db: Db = this.db): Promise<TrackingEventView[]> {
    const rows = await whereReference(tables(db).selectFrom('tracking_events').selectAll(), key).orderBy('event_time').orderBy('seq').execute();
    return this.marked(key.tenant, rows.map(toView), db);
  }

  /**
   * Every event of each of these references, in timeline order, by keyText: containers, bills and submissions in
   * one statement per tenant and batch (an OR of the kinds' columns, each indexed), vessels one by one.
   */
  async eventsOfMany(keys: readonly ReferenceKey[], db: Db = this.db): Promise<Map<string, TrackingEventView[]>> {
    const found = new Map<string, TrackingEventView[]>(keys.map((key) => [keyText(key), []]));
    const views: { key: ReferenceKey; view: TrackingEventView }[] = [];
    for (const { tenant, kind, value } of keys) {
      if (kind === 'vessel') for (const view of await this.eventsOf({ tenant, kind, value }, db)) views.push({ key: { tenant, kind, value }, view });
    }
    for (const batch of keyBatches(keys.filter((key) => key.kind !== 'vessel'))) {
      for (const tenant of new Set(batch.map(([of]) => of))) {
        const groups = batch.flatMap(([of, kind, values]) => (of !== tenant || kind === 'vessel' ? [] : [{ kind, column: EVENT_COLUMN[kind], values: new Set(values) }]));
        // The tenant and each group's references (r{group}_0, ...) are the prepared read's values; which column each
        // group reads is its shape.
        const lists = groups.map(({ values: references }) => [...references]);
        const values = Object.assign({ tenant }, ...lists.map((references, group) => named(`r${group}_`, references))) as Record<string, string>;
        const shape = groups.map(({ kind }, group) => `${kind}:${lists[group]?.length ?? 0}`).join(',');
        const rows = await this.prepared.rows(db, `eventsOfMany:${shape}`, values, (given) =>
          tables(db)
            .selectFrom('tracking_events')
            .selectAll()
            .where('tenant_id', '=', given.tenant ?? '')
            .where((eb) => eb.or(groups.map(({ column }, group) => eb(column, 'in', listed(given, `r${group}_`, lists[group]?.length ?? 0)))))
            .orderBy('event_time')
            .orderBy('seq'),
        );
        // An event names several references (a clearance its container, bill and submission): it is each one's.
        for (const row of rows) {
          for (const { kind, column, values } of groups) {
            const value = row[column];
            if (value !== null && values.has(value)) views.push({ key: { tenant, kind, value }, view: toView({ ...row, seq: Number(row.seq) }) });
          }
        }
      }
    }
    for (const tenant of new Set(views.map(({ key }) => key.tenant))) await this.marked(tenant, views.filter(({ key }) => key.tenant === tenant).map(({ view }) => view), db);
    for (const { key, view } of views) found.get(keyText(key))?.push(view);
    return found;
  }

  /**
   * Adds what replacement and cancellation made of each event (supersededBy, retractedBy, replaces), from every
   * stored event of the documents they came in (tracking.documents.ts); changes the views in place and returns them.
   */
  async marked(tenant: string, views: TrackingEventView[], db: Db = this.db): Promise<TrackingEventView[]> {
    const wanted = new Map<string, { tenant: string; publisher: string; id: string }>();
    for (const view of views) {
      if (view.document === undefined) continue;
      wanted.set(documentKey(tenant, view.publisher, view.document.id), { tenant: tenant, publisher: view.publisher, id: view.document.id });
    }
    if (wanted.size === 0) return views;
    const members = await this.documentMembers([...wanted.values()], db);
    const marks = new Map<string, ReturnType<typeof resolveDocument>>();
    for (const [text, group] of members) marks.set(text, resolveDocument(group));
    for (const view of views) {
      if (view.document === undefined) continue;
      const found = marks.get(documentKey(tenant, view.publisher, view.document.id))?.get(view.eventId);
      if (found?.supersededBy !== undefined) view.supersededBy = found.supersededBy;
      if (found?.retractedBy !== undefined) view.retractedBy = found.retractedBy;
      if (found?.replaces !== undefined) view.replaces = found.replaces;
    }
    return views;
  }

  /** Every reference the stored events of these documents name (what a replacement or cancellation of them changes). */
  async referencesOfDocuments(db: Db, tenant: string, documents: readonly { publisher: string; id: string }[]): Promise<ReferenceKey[]> {
    const keys: ReferenceKey[] = [];
    const wanted = new Set(documents.map((document) => documentKey(tenant, document.publisher, document.id)));
    for (const chunk of chunks([...new Set(documents.map((document) => document.id))])) {
      const rows = await tables(db)
        .selectFrom('tracking_events')
        .select(['publisher', 'document_id', 'container', 'bill_of_lading', 'vessel_imo', 'voyage', 'submission_id'])
        .where('tenant_id', '=', tenant)
        .where('document_id', 'in', chunk)
        .execute();
      for (const row of rows) {
        if (!wanted.has(documentKey(tenant, row.publisher, row.document_id ?? ''))) continue;
        keys.push(...referencesOf(tenant, { container: row.container, billOfLading: row.bill_of_lading, vesselImo: row.vessel_imo, voyage: row.voyage, submission: row.submission_id }));
      }
    }
    return keys;
  }

  /** The stored events of these documents, by documentKey. */
  async documentMembers(documents: readonly { tenant: string; publisher: string; id: string }[], db: Db = this.db): Promise<Map<string, DocumentMember[]>> {
    const found = new Map<string, DocumentMember[]>();
    const byTenant = new Map<string, Set<string>>();
    for (const document of documents) byTenant.set(document.tenant, (byTenant.get(document.tenant) ?? new Set()).add(document.id));
    const wanted = new Set(documents.map((document) => documentKey(document.tenant, document.publisher, document.id)));
    for (const [tenant, ids] of byTenant) {
      for (const chunk of chunks([...ids])) {
        const rows = await tables(db)
          .selectFrom('tracking_events')
          .select(['event_id', 'seq', 'publisher', 'received_at', 'document_id', 'document_function'])
          .where('tenant_id', '=', tenant)
          .where('document_id', 'in', chunk)
          .execute();
        for (const row of rows) {
          const text = documentKey(tenant, row.publisher, row.document_id ?? '');
          if (!wanted.has(text)) continue;
          const group = found.get(text) ?? [];
          group.push({ eventId: row.event_id, seq: Number(row.seq), function: row.document_function as DocumentFunction, receivedAt: row.received_at });
          found.set(text, group);
        }
      }
    }
    return found;
  }

  /** The latest `limit` events of a reference in timeline order, and whether earlier ones were left out. */
  async latestEventsOf(key: ReferenceKey, limit: number): Promise<{ events: TrackingEventView[]; truncated: boolean }> {
    const rows = await whereReference(tables(this.db).selectFrom('tracking_events').selectAll(), key)
      .orderBy('event_time', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    return { events: await this.marked(key.tenant, rows.slice(0, limit).reverse().map(toView)), truncated: rows.length > limit };
  }

  /** Events of a reference after a seq, in log order (for deliveries: per reference, log order is commit order). */
  async eventsAfter(key: ReferenceKey, afterSeq: number, limit: number): Promise<TrackingEventView[]> {
    const rows = await whereReference(tables(this.db).selectFrom('tracking_events').selectAll(), key).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return this.marked(key.tenant, rows.map(toView));
  }

  /** The newest seq of a reference, 0 when it has no events. */
  async headOf(key: ReferenceKey, db: Db = this.db): Promise<number> {
    const row = await whereReference(tables(db).selectFrom('tracking_events').select((eb) => eb.fn.max('seq').as('head')), key).executeTakeFirst();
    return Number(row?.head ?? 0);
  }

  /**
   * What gives a party standing on containers and bills of lading: the events about them that name a submission
   * or that the party published, with the first and last time of each, per (reference, submission, own).
   */
  async anchorsOf(tenant: string, kind: 'container' | 'billOfLading', values: readonly string[], party: string): Promise<Anchor[]> {
    if (values.length === 0) return [];
    const column = kind === 'container' ? 'container' : 'bill_of_lading';
    const anchors: Anchor[] = [];
    for (const chunk of chunks(values)) {
      const rows = await tables(this.db)
        .selectFrom('tracking_events')
        .select((eb) => [
          eb.ref(column).as('value'),
          'submission_id',
          eb(eb.ref('publisher'), '=', party).as('own'),
          eb.fn.min('event_time').as('first'),
          eb.fn.max('event_time').as('last'),
        ])
        .where('tenant_id', '=', tenant)
        .where(column, 'in', chunk)
        .where((eb) => eb.or([eb('submission_id', 'is not', null), eb('publisher', '=', party)]))
        .groupBy([column, 'submission_id', 'own'])
        .execute();
      for (const row of rows) {
        anchors.push({ value: row.value ?? '', submission: row.submission_id, own: Boolean(row.own), first: row.first, last: row.last });
      }
    }
    return anchors;
  }

  /** The carrier each of these bills of lading belongs to (claimed by the first carrier to publish on it). */
  async carriersOf(db: Db, tenant: string, bills: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const chunk of chunks(bills)) {
      const rows = await tables(db)
        .selectFrom('tracking_bill_carriers')
        .select(['bill_of_lading', 'carrier'])
        .where('tenant_id', '=', tenant)
        .where('bill_of_lading', 'in', chunk)
        .execute();
      for (const row of rows) found.set(row.bill_of_lading, row.carrier);
    }
    return found;
  }

  /** Records the carrier of bills that have none yet (callers hold the bills' locks; a claimed bill stays its carrier's). */
  async claimBills(trx: Transaction<Database>, tenant: string, carrier: string, bills: readonly string[], at: string): Promise<void> {
    for (const chunk of chunks(bills)) {
      const rows = chunk.map((bill) => ({ tenant_id: tenant, bill_of_lading: bill, carrier, claimed_at: at }));
      await tables(trx).insertInto('tracking_bill_carriers').values(rows).onConflict((conflict) => conflict.columns(['tenant_id', 'bill_of_lading']).doNothing()).execute();
    }
  }

  /** Which of these containers (or vessels) some event puts on a bill of lading of this carrier. */
  async onBillsOf(db: Db, tenant: string, carrier: string, kind: 'container' | 'vessel', values: readonly string[]): Promise<Set<string>> {
    const column = kind === 'container' ? 'tracking_events.container' : 'tracking_events.vessel_imo';
    const found = new Set<string>();
    for (const chunk of chunks(values)) {
      const rows = await tables(db)
        .selectFrom('tracking_events')
        .innerJoin('tracking_bill_carriers', (join) =>
          join.onRef('tracking_bill_carriers.tenant_id', '=', 'tracking_events.tenant_id').onRef('tracking_bill_carriers.bill_of_lading', '=', 'tracking_events.bill_of_lading'),
        )
        .select((eb) => eb.ref(column).as('value'))
        .distinct()
        .where('tracking_events.tenant_id', '=', tenant)
        .where('tracking_bill_carriers.carrier', '=', carrier)
        .where(column, 'in', chunk)
        .execute();
      for (const row of rows) if (row.value !== null) found.add(row.value);
    }
    return found;
  }

  async writeCurrent(db: Db, key: ReferenceKey, summary: string, lastSeq: number): Promise<void> {
    await tables(db)
      .insertInto('tracking_current')
      .values({ tenant_id: key.tenant, reference_kind: key.kind, reference: key.value, summary, last_seq: lastSeq })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'reference_kind', 'reference']).doUpdateSet({ summary, last_seq: lastSeq }))
      .execute();
  }

  async readCurrent(key: ReferenceKey, db: Db = this.db): Promise<{ summary: string; lastSeq: number } | undefined> {
    return (await this.readCurrents([key], db)).get(keyText(key));
  }

  /** The stored current states of these references, by keyText. */
  async readCurrents(keys: readonly ReferenceKey[], db: Db = this.db): Promise<Map<string, { summary: string; lastSeq: number }>> {
    const found = new Map<string, { summary: string; lastSeq: number }>();
    // One statement for a batch of every kind (a submission's clearance names four or five kinds of reference).
    for (const batch of keyBatches(keys)) {
      const { shape, values } = batchValues(batch);
      const rows = await this.prepared.rows(db, `readCurrents:${shape}`, values, (given) =>
        tables(db)
          .selectFrom('tracking_current')
          .select(['tenant_id', 'reference_kind', 'reference', 'summary', 'last_seq'])
          .where((eb) => eb.or(givenBatch(batch, given).map(([tenant, kind, references]) => eb.and([eb('tenant_id', '=', tenant), eb('reference_kind', '=', kind), eb('reference', 'in', references)])))),
      );
      for (const row of rows) found.set(keyText({ tenant: row.tenant_id, kind: row.reference_kind, value: row.reference }), { summary: row.summary, lastSeq: Number(row.last_seq) });
    }
    return found;
  }

  /**
   * The newest seq of each of these references that has events, by keyText, from the projection: one cheap read
   * tells a follower of many references which have anything new (written in the transaction of each event).
   */
  async headsOf(keys: readonly ReferenceKey[]): Promise<Map<string, number>> {
    const heads = new Map<string, number>();
    for (const [tenant, kind, values] of groupKeys(keys)) {
      for (const chunk of chunks(values)) {
        const rows = await tables(this.db)
          .selectFrom('tracking_current')
          .select(['reference', 'last_seq'])
          .where('tenant_id', '=', tenant)
          .where('reference_kind', '=', kind)
          .where('reference', 'in', chunk)
          .execute();
        for (const row of rows) heads.set(keyText({ tenant, kind, value: row.reference }), Number(row.last_seq));
      }
    }
    return heads;
  }

  /** Writes the current states of several references (insert or replace), a few hundred per statement. */
  async writeCurrents(db: Db, states: readonly { key: ReferenceKey; summary: string; lastSeq: number }[]): Promise<void> {
    for (const chunk of chunks(states)) {
      const rows = chunk.map(({ key, summary, lastSeq }) => ({ tenant_id: key.tenant, reference_kind: key.kind, reference: key.value, summary, last_seq: lastSeq }));
      await this.inserts.run(db, 'tracking_current', rows, () =>
        tables(db)
          .insertInto('tracking_current')
          .values(rows)
          .onConflict((conflict) => conflict.columns(['tenant_id', 'reference_kind', 'reference']).doUpdateSet((eb) => ({ summary: eb.ref('excluded.summary'), last_seq: eb.ref('excluded.last_seq') }))),
      );
    }
  }

  /** The whole projection, in key order (what a rebuild must reproduce). */
  async allCurrent(db: Db = this.db): Promise<{ tenant: string; kind: string; reference: string; summary: string; lastSeq: number }[]> {
    const rows = await tables(db).selectFrom('tracking_current').selectAll().orderBy('tenant_id').orderBy('reference_kind').orderBy('reference').execute();
    return rows.map((row) => ({ tenant: row.tenant_id, kind: row.reference_kind, reference: row.reference, summary: row.summary, lastSeq: Number(row.last_seq) }));
  }

  async clearCurrent(trx: Transaction<Database>): Promise<void> {
    if (this.dialect === 'postgres') await sql`lock table tracking_current in share row exclusive mode`.execute(trx);
    await tables(trx).deleteFrom('tracking_current').execute();
  }

  /** Every reference the log mentions. */
  async allReferences(db: Db = this.db): Promise<ReferenceKey[]> {
    const t = tables(db);
    const [containers, bills, vessels, submissions] = await Promise.all([
      t.selectFrom('tracking_events').select(['tenant_id', 'container as value']).distinct().where('container', 'is not', null).execute(),
      t.selectFrom('tracking_events').select(['tenant_id', 'bill_of_lading as value']).distinct().where('bill_of_lading', 'is not', null).execute(),
      t.selectFrom('tracking_events').select(['tenant_id', 'vessel_imo', 'voyage']).distinct().where('vessel_imo', 'is not', null).execute(),
      t.selectFrom('tracking_events').select(['tenant_id', 'submission_id as value']).distinct().where('submission_id', 'is not', null).execute(),
    ]);
    const keys: ReferenceKey[] = [];
    for (const row of containers) keys.push({ tenant: row.tenant_id, kind: 'container', value: row.value ?? '' });
    for (const row of bills) keys.push({ tenant: row.tenant_id, kind: 'billOfLading', value: row.value ?? '' });
    for (const row of submissions) keys.push({ tenant: row.tenant_id, kind: 'submission', value: row.value ?? '' });
    const vesselKeys = new Set<string>();
    for (const row of vessels) {
      vesselKeys.add(`${row.tenant_id}\n${row.vessel_imo ?? ''}`);
      if (row.voyage !== null) vesselKeys.add(`${row.tenant_id}\n${row.vessel_imo ?? ''}/${row.voyage}`);
    }
    for (const text of vesselKeys) {
      const [tenant = '', value = ''] = text.split('\n');
      keys.push({ tenant, kind: 'vessel', value });
    }
    return keys;
  }

  async countEvents(db: Db = this.db): Promise<number> {
    const row = await tables(db).selectFrom('tracking_events').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

/** The references an event belongs to. */
export function referencesOf(tenant: string, event: { container?: string | null | undefined; billOfLading?: string | null | undefined; vesselImo?: string | null | undefined; voyage?: string | null | undefined; submission?: string | null | undefined }): ReferenceKey[] {
  const keys: ReferenceKey[] = [];
  if (typeof event.container === 'string') keys.push({ tenant, kind: 'container', value: event.container });
  if (typeof event.billOfLading === 'string') keys.push({ tenant, kind: 'billOfLading', value: event.billOfLading });
  if (typeof event.vesselImo === 'string') {
    keys.push({ tenant, kind: 'vessel', value: event.vesselImo });
    if (typeof event.voyage === 'string') keys.push({ tenant, kind: 'vessel', value: `${event.vesselImo}/${event.voyage}` });
  }
  if (typeof event.submission === 'string') keys.push({ tenant, kind: 'submission', value: event.submission });
  return keys;
}

/** Keys grouped by tenant and kind, for IN lists. */
export function groupKeys(keys: readonly ReferenceKey[]): [string, ReferenceKind, string[]][] {
  const groups = new Map<string, [string, ReferenceKind, string[]]>();
  for (const key of keys) {
    const group = groups.get(`${key.tenant}\n${key.kind}`) ?? [key.tenant, key.kind, []];
    group[2].push(key.value);
    groups.set(`${key.tenant}\n${key.kind}`, group);
  }
  return [...groups.values()];
}

/**
 * The keys grouped by tenant and kind (groupKeys), in batches of at most `size` values in all: a batch is read with
 * one statement, an OR of one `tenant, kind, reference IN (...)` per group, each of which the key's index serves.
 */
export function keyBatches(keys: readonly ReferenceKey[], size = 500): [string, ReferenceKind, string[]][][] {
  const batches: [string, ReferenceKind, string[]][][] = [];
  let batch: [string, ReferenceKind, string[]][] = [];
  let count = 0;
  for (const [tenant, kind, values] of groupKeys(keys)) {
    for (const run of chunks(values, size)) {
      if (count + run.length > size) {
        batches.push(batch);
        batch = [];
        count = 0;
      }
      batch.push([tenant, kind, run]);
      count += run.length;
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Values in runs of at most `size` (never an empty run), for IN lists and multi-row inserts within parameter limits. */
function* chunks<T>(values: readonly T[], size = 500): Generator<T[]> {
  for (let start = 0; start < values.length; start += size) yield values.slice(start, start + size);
}

/**
 * A batch of keyBatches as named values for a prepared query (prepared-queries.ts): the tenant of group i is t{i},
 * its references r{i}_0, r{i}_1, ...; the shape (each group's kind and count) names the query, so each group's
 * kind is written in it.
 */
export function batchValues(batch: readonly (readonly [string, ReferenceKind, readonly string[]])[]): { shape: string; values: Record<string, string> } {
  const values = Object.assign({}, ...batch.map(([tenant, , references], group) => ({ [`t${group}`]: tenant, ...named(`r${group}_`, references) }))) as Record<string, string>;
  return { shape: batch.map(([, kind, references]) => `${kind}:${references.length}`).join(','), values };
}

/** The batch again, its tenants and references those a prepared query's build was given (batchValues' names). */
export function givenBatch(batch: readonly (readonly [string, ReferenceKind, readonly string[]])[], given: Record<string, string>): [string, ReferenceKind, string[]][] {
  return batch.map(([, kind, references], group) => [given[`t${group}`] ?? '', kind, listed(given, `r${group}_`, references.length)]);
}

export function keyText(key: ReferenceKey): string {
  return `${key.tenant}\n${key.kind}\n${key.value}`;
}

/** The events of one reference. */
function whereReference<O>(query: SelectQueryBuilder<Database, 'tracking_events', O>, key: ReferenceKey): SelectQueryBuilder<Database, 'tracking_events', O> {
  const scoped = query.where('tenant_id', '=', key.tenant);
  switch (key.kind) {
    case 'container':
      return scoped.where('container', '=', key.value);
    case 'billOfLading':
      return scoped.where('bill_of_lading', '=', key.value);
    case 'submission':
      return scoped.where('submission_id', '=', key.value);
    case 'vessel': {
      const [imo = '', voyage] = splitVessel(key.value);
      const vessel = scoped.where('vessel_imo', '=', imo);
      return voyage === undefined ? vessel : vessel.where('voyage', '=', voyage);
    }
  }
}

function splitVessel(value: string): [string, string | undefined] {
  const slash = value.indexOf('/');
  return slash === -1 ? [value, undefined] : [value.slice(0, slash), value.slice(slash + 1)];
}

function tables(db: Db): Db {
  return db;
}

/** The parts of a stored payload (the event as accepted, canonical JSON) that have no column of their own. */
function storedPayload(text: string): { references?: { vesselCallSign?: unknown; vesselName?: unknown; bookingReference?: unknown }; timeZoneAssumed?: unknown } {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function toView(row: StoredTrackingEvent): TrackingEventView {
  const references: TrackingEventView['references'] = {};
  if (row.container !== null) references.container = row.container;
  if (row.bill_of_lading !== null) references.billOfLading = row.bill_of_lading;
  if (row.vessel_imo !== null) references.vesselImo = row.vessel_imo;
  if (row.voyage !== null) references.voyage = row.voyage;
  if (row.submission_id !== null) references.submission = row.submission_id;
  // Call sign and name are no lookup keys, so they have no column: they are read back from the stored payload.
  const payload = storedPayload(row.payload);
  if (typeof payload.references?.vesselCallSign === 'string') references.vesselCallSign = payload.references.vesselCallSign;
  if (typeof payload.references?.vesselName === 'string') references.vesselName = payload.references.vesselName;
  if (typeof payload.references?.bookingReference === 'string') references.bookingReference = payload.references.bookingReference;
  const view: TrackingEventView = {
    eventId: row.event_id,
    eventType: row.event_type,
    code: row.code,
    classifier: row.classifier,
    eventTime: row.event_time,
    references,
    seq: Number(row.seq),
    publisher: row.publisher,
    receivedAt: row.received_at,
  };
  if (row.location !== null) view.location = row.location;
  if (row.facility !== null) view.facility = row.facility;
  if (row.agency !== null) view.agency = row.agency;
  if (typeof payload.timeZoneAssumed === 'string') view.timeZoneAssumed = payload.timeZoneAssumed;
  if (row.document_id !== null && row.document_function !== null) view.document = { id: row.document_id, function: row.document_function as DocumentFunction };
  return view;
}
