/**
 * The tracking figures: a log of a million events built through `services.tracking.ingest` in batches of the API's
 * maximum, then timeline latencies with the whole log in place, then a stored batch sent again.
 *
 * The log is a year of ocean voyages by one carrier (an enterprise publishing its own movements). Each voyage is a
 * vessel's departure and arrival (estimated and actual), bills of lading (booking confirmed, issued) and their
 * containers (stuffed, gate-in, load, discharge, gate-out; estimated and actual but for stuffing). A voyage's
 * events are sent in the order they would be reported (estimates days ahead, actuals minutes to hours after), and
 * pass through a shuffle window one batch wide, so that events arrive partly out of order as they do from EDI.
 * Every voyage is generated from its number alone, so nothing but a voyage and a batch is held at a time, and
 * the timelines sampled afterwards know how many events they must show.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createServices } from '../src/main.js';
import { isValidContainerNumber, isValidImoNumber } from '../src/modules/codes/index.js';
import type { Principal } from '../src/modules/parties/index.js';
import { IngestRequestSchema, TIMELINE_LIMIT, type TimelineQuery, type TrackingEvent } from '../src/modules/tracking/index.js';
import { openStore, type Store } from '../src/store/store.js';
import { EXPORTER } from '../test/support/fixtures.js';
import { postgresUnavailable, type StoreKind, type TestStore } from '../test/support/stores.js';
import { percentile, positiveInteger, round, storeConfig, throwawayStore } from './support.js';

/** Events in the log per store. */
export const TRACKING_EVENTS = positiveInteger('KOUAN_BENCH_EVENTS', 1_000_000);
/**
 * Concurrent ingest callers on PostgreSQL, each sending the voyages of its own vessels, as several terminals would.
 * SQLite takes one caller: it runs one transaction at a time anyway.
 */
export const POSTGRES_INGEST_CALLERS = positiveInteger('KOUAN_BENCH_INGEST_CALLERS', 1);
/** Sequential timeline queries per kind for containers and bills of lading; vessel kinds get a tenth. */
const TIMELINE_QUERIES = positiveInteger('KOUAN_BENCH_TIMELINES', 2000);
/** On a PostgreSQL server without autovacuum, ANALYZE the log during the load as autovacuum would; 0 measures it bare. */
const EMULATE_AUTOVACUUM = process.env.KOUAN_BENCH_EMULATE_AUTOVACUUM !== '0';
/** Voyage timelines read before PostgreSQL has statistics on the log (when it has none). */
const NO_STATISTICS_QUERIES = 20;
/** Callers in the concurrent container-timeline figure. */
const TIMELINE_CONCURRENCY = 16;
/** The API's largest batch (POST /api/v1/events), read from its schema. */
const BATCH = apiBatchLimit();
/** Events wait in a window this wide, leaving it in random order. */
const SHUFFLE_WINDOW = BATCH;
/** Rates over the first and the last this many events show whether ingest slows down as the log grows. */
const RATE_WINDOW = Math.min(100_000, Math.max(BATCH, Math.floor(TRACKING_EVENTS / 10)));

const VESSELS = 500;
const BILLS_PER_VOYAGE = 17;
const CONTAINERS_PER_BILL = 3;
const CONTAINERS_PER_VOYAGE = BILLS_PER_VOYAGE * CONTAINERS_PER_BILL;
/** Stuffed (actual), gate-in, load, discharge, gate-out (each estimated and actual). */
const EVENTS_PER_CONTAINER = 9;
/** Booking confirmed, bill of lading issued. */
const EVENTS_PER_BILL = 2;
/** The vessel's departure and arrival, estimated and actual. */
const VESSEL_EVENTS_PER_VOYAGE = 4;
const EVENTS_PER_VOYAGE = VESSEL_EVENTS_PER_VOYAGE + BILLS_PER_VOYAGE * (EVENTS_PER_BILL + CONTAINERS_PER_BILL * EVENTS_PER_CONTAINER);
/** Events naming a voyage: its vessel's four and each container's load and discharge, estimated and actual. */
const EVENTS_PER_VOYAGE_TIMELINE = VESSEL_EVENTS_PER_VOYAGE + CONTAINERS_PER_VOYAGE * 4;

const PORTS: readonly { locode: string; facility: string }[] = [
  { locode: 'CNSHA', facility: 'Yangshan Phase IV' },
  { locode: 'CNNGB', facility: 'Beilun Phase II' },
  { locode: 'SGSIN', facility: 'Pasir Panjang' },
  { locode: 'NLRTM', facility: 'ECT Delta' },
  { locode: 'DEHAM', facility: 'Burchardkai' },
  { locode: 'BEANR', facility: 'Deurganck' },
  { locode: 'USLAX', facility: 'Pier 400' },
  { locode: 'KRPUS', facility: 'Busan New Port' },
  { locode: 'JPTYO', facility: 'Oi' },
  { locode: 'AEJEA', facility: 'Jebel Ali T2' },
];
/** The first six digits of the first vessel's IMO number. */
const FIRST_IMO = 930_000;
const CONTAINER_OWNERS = ['MSK', 'MSC', 'CMA', 'HLX', 'OOL', 'EGH', 'CSN', 'ONE'];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface TimelineFigure {
  readonly kind: string;
  readonly queries: number;
  readonly concurrency: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly eventsPerTimeline: number;
  /** Timelines whose event count was not what the log holds; must be 0. */
  readonly wrong: number;
}

export interface TrackingFigure {
  readonly store: StoreKind;
  readonly events: number;
  readonly batchSize: number;
  /** Concurrent ingest callers, each sending the voyages of its own vessels. */
  readonly callers: number;
  readonly ingestSeconds: number;
  readonly eventsPerSecond: number;
  readonly rateWindow: number;
  readonly firstWindowEventsPerSecond: number;
  readonly lastWindowEventsPerSecond: number;
  /** The rate over each successive rateWindow events, from the first to the last. */
  readonly windowsEventsPerSecond: readonly number[];
  readonly batchP50Ms: number;
  readonly batchP99Ms: number;
  readonly rejected: number;
  readonly firstRejection?: string;
  /** Rows in tracking_events afterwards; must equal events. */
  readonly stored: number;
  readonly containers: number;
  readonly billsOfLading: number;
  readonly voyages: number;
  readonly vessels: number;
  readonly storeMiB: number;
  /**
   * PostgreSQL: the server's autovacuum setting, the ANALYZEs the bench ran during the load in its place when it is
   * off, and how long the ANALYZE before the timelines took.
   */
  readonly postgresStatistics?: { readonly autovacuum: string; readonly emulatedAnalyzes: number; readonly analyzeSeconds: number };
  readonly timelines: readonly TimelineFigure[];
  readonly duplicate: DuplicateFigure;
  readonly skipped?: string;
}

export interface DuplicateFigure {
  readonly resubmitted: number;
  readonly duplicates: number;
  /** Results other than duplicate (stored or rejected); must be 0. */
  readonly others: number;
  readonly countBefore: number;
  readonly countAfter: number;
  readonly ms: number;
}

/** The first failure of the tracking figure, or undefined when the log, the timelines and the resubmission are right. */
export function trackingWrong(figure: TrackingFigure): string | undefined {
  if (figure.skipped !== undefined) return undefined;
  if (figure.rejected > 0) return `${figure.rejected} events rejected, the first: ${figure.firstRejection ?? ''}`;
  if (figure.stored !== figure.events) return `${figure.stored} events in the log after ingesting ${figure.events}`;
  const wrongTimelines = figure.timelines.filter((timeline) => timeline.wrong > 0);
  if (wrongTimelines.length > 0) return `timelines with the wrong events: ${wrongTimelines.map((timeline) => `${timeline.kind} ${timeline.wrong}`).join(', ')}`;
  const { duplicate } = figure;
  if (duplicate.others > 0 || duplicate.duplicates !== duplicate.resubmitted || duplicate.countAfter !== duplicate.countBefore) {
    return `resubmitting ${duplicate.resubmitted} stored events gave ${duplicate.duplicates} duplicates and ${duplicate.others} other results, the log went from ${duplicate.countBefore} to ${duplicate.countAfter}`;
  }
  return undefined;
}

function apiBatchLimit(): number {
  const { maxItems } = IngestRequestSchema.properties.events as { maxItems?: unknown };
  if (typeof maxItems !== 'number') throw new Error('IngestRequestSchema no longer limits the batch size');
  return maxItems;
}

/** A small seeded generator (mulberry32), so that every run sends the same log. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** ISO 6346: owner code, U, six-digit serial and the one check digit isValidContainerNumber accepts. */
function containerNumber(index: number): string {
  const owner = CONTAINER_OWNERS[index % CONTAINER_OWNERS.length] ?? 'MSK';
  const serial = Math.floor(index / CONTAINER_OWNERS.length);
  if (serial > 999_999) throw new Error(`container ${index} is past the serials of ${CONTAINER_OWNERS.length} owner codes`);
  const first10 = `${owner}U${String(serial).padStart(6, '0')}`;
  for (let digit = 0; digit <= 9; digit += 1) if (isValidContainerNumber(`${first10}${digit}`)) return `${first10}${digit}`;
  throw new Error(`no check digit makes ${first10} valid`);
}

/** IMO number: six digits and their weighted sum (7, 6, 5, 4, 3, 2) modulo 10. */
function imoNumber(vessel: number): string {
  const first6 = String(FIRST_IMO + vessel);
  const sum = [...first6].reduce((total, digit, position) => total + Number(digit) * (7 - position), 0);
  const imo = `${first6}${sum % 10}`;
  if (!isValidImoNumber(imo)) throw new Error(`${imo} is not a valid IMO number`);
  return imo;
}

const billOfLading = (index: number) => `BENCH${String(index).padStart(7, '0')}`;
const vesselOf = (voyage: number) => voyage % VESSELS;
/** The carrier's voyage number: the vessel's nth voyage, eastbound and westbound in turn. */
const voyageNumber = (voyage: number) => {
  const nth = Math.floor(voyage / VESSELS);
  return `${101 + nth}${nth % 2 === 0 ? 'E' : 'W'}`;
};
const isoMinute = (ms: number) => `${new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS).toISOString().slice(0, 16)}:00Z`;

/** The shape of the log: how many voyages make the events, and when they sail. */
interface LogPlan {
  readonly events: number;
  readonly voyages: number;
  /** Voyages with every event in the log (the last one is cut short when the count does not divide). */
  readonly complete: number;
  readonly firstDepartureMs: number;
  readonly stepMs: number;
}

function logPlan(events: number, now: Date): LogPlan {
  const voyages = Math.ceil(events / EVENTS_PER_VOYAGE);
  // Departures over a year ending two months ago: the latest gate-out (arrival + 30 days' transit + 6) is past.
  const lastDepartureMs = now.getTime() - 60 * DAY_MS;
  const span = 365 * DAY_MS;
  return { events, voyages, complete: events % EVENTS_PER_VOYAGE === 0 ? voyages : voyages - 1, firstDepartureMs: lastDepartureMs - span, stepMs: span / voyages };
}

interface Reported {
  readonly reportedAtMs: number;
  readonly event: TrackingEvent;
}

/** Every event of one voyage in the order it is reported; the plan's last voyage is cut to the event count. */
function voyageEvents(plan: LogPlan, voyage: number): TrackingEvent[] {
  const random = seeded(0x6b6f75 ^ Math.imul(voyage + 1, 0x9e3779b1));
  const origin = pick(PORTS, random);
  const destination = pick(PORTS.filter((port) => port !== origin), random);
  const departure = plan.firstDepartureMs + voyage * plan.stepMs + random() * 6 * HOUR_MS;
  const arrival = departure + (7 + random() * 23) * DAY_MS;
  const vessel = { vesselImo: imoNumber(vesselOf(voyage)), voyage: voyageNumber(voyage) };
  const reported: Reported[] = [];
  // An estimate is published days before the time it names, an actual minutes to hours after.
  const add = (event: Omit<TrackingEvent, 'classifier' | 'eventTime'>, classifier: 'EST' | 'ACT', atMs: number) => {
    const reportedAtMs = classifier === 'EST' ? atMs - (2 + random() * 8) * DAY_MS : atMs + (5 + random() * 115) * MINUTE_MS;
    reported.push({ reportedAtMs, event: { ...event, classifier, eventTime: isoMinute(atMs) } });
  };
  const estimatedAndActual = (event: Omit<TrackingEvent, 'classifier' | 'eventTime' | 'eventId'>, id: string, estimateMs: number, actualMs: number) => {
    add({ ...event, eventId: `${id}-EST` }, 'EST', estimateMs);
    add({ ...event, eventId: `${id}-ACT` }, 'ACT', actualMs);
  };
  const voyageId = `${vessel.vesselImo}-${vessel.voyage}`;
  estimatedAndActual({ eventType: 'TRANSPORT', code: 'DEPA', location: origin.locode, facility: origin.facility, references: vessel }, `${voyageId}-DEPA`, departure, departure + random() * 12 * HOUR_MS);
  estimatedAndActual({ eventType: 'TRANSPORT', code: 'ARRI', location: destination.locode, facility: destination.facility, references: vessel }, `${voyageId}-ARRI`, arrival, arrival + random() * 12 * HOUR_MS);

  for (let bill = 0; bill < BILLS_PER_VOYAGE; bill += 1) {
    const bl = billOfLading(voyage * BILLS_PER_VOYAGE + bill);
    add({ eventId: `${bl}-CONF`, eventType: 'SHIPMENT', code: 'CONF', location: origin.locode, references: { billOfLading: bl } }, 'ACT', departure - (11 + random() * 3) * DAY_MS);
    add({ eventId: `${bl}-ISSU`, eventType: 'SHIPMENT', code: 'ISSU', location: origin.locode, references: { billOfLading: bl } }, 'ACT', departure + random() * DAY_MS);
    for (let slot = 0; slot < CONTAINERS_PER_BILL; slot += 1) {
      const container = containerNumber((voyage * BILLS_PER_VOYAGE + bill) * CONTAINERS_PER_BILL + slot);
      const onShore = { billOfLading: bl, container };
      const onBoard = { ...onShore, ...vessel };
      add({ eventId: `${container}-${bl}-STUF-ACT`, eventType: 'EQUIPMENT', code: 'STUF', location: origin.locode, references: onShore }, 'ACT', departure - (6 + random()) * DAY_MS);
      const atOrigin = { eventType: 'EQUIPMENT', location: origin.locode, facility: origin.facility } as const;
      const atDestination = { eventType: 'EQUIPMENT', location: destination.locode, facility: destination.facility } as const;
      estimatedAndActual({ ...atOrigin, code: 'GTIN', references: onShore }, `${container}-${bl}-GTIN`, departure - 4 * DAY_MS, departure - (4 - 2 * random()) * DAY_MS);
      estimatedAndActual({ ...atOrigin, code: 'LOAD', references: onBoard }, `${container}-${bl}-LOAD`, departure - 12 * HOUR_MS, departure - (2 + 8 * random()) * HOUR_MS);
      estimatedAndActual({ ...atDestination, code: 'DISC', references: onBoard }, `${container}-${bl}-DISC`, arrival + 6 * HOUR_MS, arrival + (2 + 20 * random()) * HOUR_MS);
      estimatedAndActual({ ...atDestination, code: 'GTOT', references: onShore }, `${container}-${bl}-GTOT`, arrival + 3 * DAY_MS, arrival + (1 + 5 * random()) * DAY_MS);
    }
  }
  const events = reported.sort((a, b) => a.reportedAtMs - b.reportedAtMs).map(({ event }) => event);
  if (events.length !== EVENTS_PER_VOYAGE) throw new Error(`voyage ${voyage} has ${events.length} events, not ${EVENTS_PER_VOYAGE}`);
  return voyage === plan.voyages - 1 ? events.slice(0, plan.events - voyage * EVENTS_PER_VOYAGE) : events;
}

/**
 * The batches of one sender: the voyages of the vessels numbered `part` modulo `parts`, in sailing order, through
 * the shuffle window. Senders with different parts name disjoint containers, bills and vessels.
 */
function* batchesOf(plan: LogPlan, part: number, parts: number): Generator<TrackingEvent[]> {
  const random = seeded(0x5eed + part);
  const window: TrackingEvent[] = [];
  let batch: TrackingEvent[] = [];
  const takeOne = () => {
    const index = Math.floor(random() * window.length);
    const last = window.pop();
    if (last === undefined) return;
    if (index < window.length) {
      const taken = window[index];
      window[index] = last;
      if (taken !== undefined) batch.push(taken);
    } else {
      batch.push(last);
    }
  };
  for (let voyage = 0; voyage < plan.voyages; voyage += 1) {
    if (vesselOf(voyage) % parts !== part) continue;
    for (const event of voyageEvents(plan, voyage)) {
      window.push(event);
      if (window.length > SHUFFLE_WINDOW) takeOne();
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  while (window.length > 0) {
    takeOne();
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function countEvents(store: Store): Promise<number> {
  const row = await store.db.selectFrom('tracking_events').select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

async function storeMiB(store: Store, test: TestStore): Promise<number> {
  if (store.dialect === 'postgres') {
    const { rows } = await sql<{ bytes: number | string }>`select pg_database_size(current_database()) as bytes`.execute(store.db);
    return round(Number(rows[0]?.bytes ?? 0) / 1024 ** 2);
  }
  const file = join(test.config.dataDir, 'kouan.db');
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return round((size(file) + size(`${file}-wal`)) / 1024 ** 2);
}

/** Runs `queries` timeline reads from `concurrency` callers; each query must show exactly `expected(query)` events. */
async function timedTimelines(
  kind: string,
  queries: readonly TimelineQuery[],
  concurrency: number,
  read: (query: TimelineQuery) => Promise<number>,
  expected: (query: TimelineQuery) => number,
): Promise<TimelineFigure> {
  const latencies: number[] = [];
  let wrong = 0;
  let next = 0;
  let events = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < queries.length; index = next++) {
        const query = queries[index];
        if (query === undefined) continue;
        const queryStarted = performance.now();
        const shown = await read(query);
        latencies.push(performance.now() - queryStarted);
        events += shown;
        if (shown !== expected(query)) wrong += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    kind,
    queries: queries.length,
    concurrency,
    perSecond: round(queries.length / seconds),
    p50Ms: round(percentile(latencies, 0.5), 2),
    p99Ms: round(percentile(latencies, 0.99), 2),
    maxMs: round(latencies.at(-1) ?? 0, 2),
    eventsPerTimeline: round(events / Math.max(1, queries.length)),
    wrong,
  };
}

interface TimelineSample {
  readonly containers: readonly TimelineQuery[];
  readonly bills: readonly TimelineQuery[];
  readonly voyages: readonly TimelineQuery[];
  readonly vessels: readonly TimelineQuery[];
  /** How many events the timeline of a query must show. */
  readonly expected: (query: TimelineQuery) => number;
}

/** Random references of the complete voyages, the same every run. */
function timelineSample(plan: LogPlan): TimelineSample {
  const random = seeded(0x71e);
  const voyage = () => Math.floor(random() * plan.complete);
  const bill = () => voyage() * BILLS_PER_VOYAGE + Math.floor(random() * BILLS_PER_VOYAGE);
  const containers = Array.from({ length: TIMELINE_QUERIES }, (): TimelineQuery => ({ container: containerNumber(bill() * CONTAINERS_PER_BILL + Math.floor(random() * CONTAINERS_PER_BILL)) }));
  const bills = Array.from({ length: TIMELINE_QUERIES }, (): TimelineQuery => ({ billOfLading: billOfLading(bill()) }));
  const voyages = Array.from({ length: Math.max(1, Math.floor(TIMELINE_QUERIES / 10)) }, (): TimelineQuery => {
    const sailed = voyage();
    return { vesselImo: imoNumber(vesselOf(sailed)), voyage: voyageNumber(sailed) };
  });
  // Vessel v sails voyages v, v + VESSELS, ...; one whose last voyage was cut short is not sampled.
  const vesselEvents = (vessel: number): number | undefined => {
    let voyages = 0;
    for (let sailed = vessel; sailed < plan.voyages; sailed += VESSELS) {
      if (sailed >= plan.complete) return undefined;
      voyages += 1;
    }
    return voyages * EVENTS_PER_VOYAGE_TIMELINE;
  };
  const complete = Array.from({ length: Math.min(VESSELS, plan.complete) }, (_, vessel) => vessel).filter((vessel) => vesselEvents(vessel) !== undefined);
  const vessels = Array.from({ length: Math.max(1, Math.floor(TIMELINE_QUERIES / 40)) }, (): TimelineQuery => ({ vesselImo: imoNumber(pick(complete, random)) }));
  const expected = (query: TimelineQuery): number => {
    if ('container' in query) return EVENTS_PER_CONTAINER;
    if ('billOfLading' in query) return EVENTS_PER_BILL + CONTAINERS_PER_BILL * EVENTS_PER_CONTAINER;
    if ('vesselImo' in query && query.voyage !== undefined) return EVENTS_PER_VOYAGE_TIMELINE;
    if ('vesselImo' in query) return Math.min(TIMELINE_LIMIT.default, vesselEvents(Number(query.vesselImo.slice(0, 6)) - FIRST_IMO) ?? 0);
    return 0;
  };
  return { containers, bills, voyages, vessels, expected };
}

async function benchTimelines(sample: TimelineSample, read: (query: TimelineQuery) => Promise<number>): Promise<TimelineFigure[]> {
  return [
    await timedTimelines('container', sample.containers, 1, read, sample.expected),
    await timedTimelines('bill of lading', sample.bills, 1, read, sample.expected),
    await timedTimelines('vessel + voyage', sample.voyages, 1, read, sample.expected),
    await timedTimelines('vessel, all voyages', sample.vessels, 1, read, sample.expected),
    await timedTimelines('container', sample.containers, TIMELINE_CONCURRENCY, read, sample.expected),
  ];
}

/**
 * Whether PostgreSQL has statistics on the log. Without them the entitlement query (anchorsOf: the events of a
 * timeline's containers or bills, `container in (...)`) is planned as a parallel sequential scan of the whole log
 * as soon as the list holds a few dozen values: a voyage's timeline then takes half a second instead of a few ms.
 */
async function hasStatistics(store: Store): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`select exists (select 1 from pg_stats where tablename = 'tracking_events') as present`.execute(store.db);
  return rows[0]?.present === true;
}

async function autovacuumSetting(store: Store): Promise<string> {
  const { rows } = await sql<{ autovacuum: string }>`select current_setting('autovacuum') as autovacuum`.execute(store.db);
  return rows[0]?.autovacuum ?? 'unknown';
}

async function analyzeLog(store: Store, tables: readonly LogTable[] = LOG_TABLES): Promise<void> {
  for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(store.db);
}

const LOG_TABLES = ['tracking_events', 'tracking_current'] as const;
type LogTable = (typeof LOG_TABLES)[number];
/** autovacuum's defaults: each database looked at once a minute, a table analyzed once 50 rows and a tenth of it changed. */
const AUTOANALYZE = { naptimeMs: 60_000, threshold: 50, scaleFactor: 0.1 } as const;

/**
 * PostgreSQL plans from table statistics, which autovacuum keeps up as tables grow. Without them the batched reads
 * of ingest (current states by `reference in (...)`) are planned on (tenant, kind) alone and read every reference
 * of the kind, so ingest slows down as the log grows. On a server without autovacuum (test servers may run so),
 * this does what autovacuum would do for the log's tables during the load, with its default settings.
 */
function emulateAutoanalyze(store: Store): { stop(): Promise<number> } {
  let stopped = false;
  let analyzes = 0;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const loop = (async () => {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, AUTOANALYZE.naptimeMs);
      });
      if (stopped) break;
      const { rows } = await sql<{ relname: string; changed: number | string; tuples: number | string }>`
        select s.relname, s.n_mod_since_analyze as changed, greatest(c.reltuples, 0) as tuples
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.relname in (${sql.join([...LOG_TABLES])})`.execute(store.db);
      const due = LOG_TABLES.filter((table) => rows.some((row) => row.relname === table && Number(row.changed) > AUTOANALYZE.threshold + AUTOANALYZE.scaleFactor * Number(row.tuples)));
      await analyzeLog(store, due);
      analyzes += due.length;
    }
  })();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
      return analyzes;
    },
  };
}

export async function benchTracking(kind: StoreKind): Promise<TrackingFigure> {
  const callers = kind === 'postgres' ? POSTGRES_INGEST_CALLERS : 1;
  const plan = logPlan(TRACKING_EVENTS, new Date());
  const empty = {
    store: kind, events: 0, batchSize: BATCH, callers, ingestSeconds: 0, eventsPerSecond: 0, rateWindow: RATE_WINDOW, firstWindowEventsPerSecond: 0, lastWindowEventsPerSecond: 0, windowsEventsPerSecond: [],
    batchP50Ms: 0, batchP99Ms: 0, rejected: 0, stored: 0, containers: 0, billsOfLading: 0, voyages: 0, vessels: 0, storeMiB: 0, timelines: [],
    duplicate: { resubmitted: 0, duplicates: 0, others: 0, countBefore: 0, countAfter: 0, ms: 0 },
  };
  if (kind === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable !== undefined) return { ...empty, skipped: unavailable };
  }
  const test = await throwawayStore(kind);
  try {
    const config = storeConfig(test);
    // One connection per ingest caller, and room for the concurrent timeline readers.
    const opened = await openStore(config.store, { poolSize: Math.max(10, callers + 2) });
    try {
      const services = createServices(config, opened, { error: (object, message) => console.error(message, object) });
      await services.parties.seedAgencies();
      // The carrier publishes on its own bills, and its vessels' arrivals and departures as the port of each call would.
      await services.parties.createParty({ id: EXPORTER, kind: 'enterprise', name: 'Bench Carrier', roles: ['carrier', 'port'], locations: PORTS.map((port) => port.locode) });
      const carrier: Principal | undefined = await services.parties.authenticate((await services.parties.createKey(EXPORTER)).key);
      if (carrier === undefined) throw new Error('the carrier key does not authenticate');

      // Ingest: each caller sends its own vessels' voyages, batch after batch.
      const completions: { events: number; atMs: number }[] = [];
      const batchMs: number[] = [];
      let ingested = 0;
      let rejected = 0;
      let firstRejection: string | undefined;
      let resubmit: TrackingEvent[] | undefined;
      const resubmitAt = Math.floor(plan.events / BATCH / callers / 2);
      let reported = 0;
      const autovacuum = opened.dialect === 'postgres' ? await autovacuumSetting(opened) : undefined;
      const autoanalyze = autovacuum === 'off' && EMULATE_AUTOVACUUM ? emulateAutoanalyze(opened) : undefined;
      const started = performance.now();
      let ingestSeconds = 0;
      let emulatedAnalyzes = 0;
      try {
        await Promise.all(
          Array.from({ length: callers }, async (_, part) => {
            let sent = 0;
            for (const batch of batchesOf(plan, part, callers)) {
              const batchStarted = performance.now();
              const response = await services.tracking.ingest(carrier, batch);
              const now = performance.now();
              batchMs.push(now - batchStarted);
              ingested += batch.length;
              completions.push({ events: ingested, atMs: now - started });
              rejected += response.rejected;
              if (firstRejection === undefined && response.rejected > 0) firstRejection = JSON.stringify(response.results.find((result) => result.status === 'rejected'));
              if (part === 0 && (sent === resubmitAt || resubmit === undefined)) resubmit = batch;
              sent += 1;
              if (ingested - reported >= 100_000) {
                reported = ingested;
                console.log(`  tracking on ${kind}: ${ingested} events in ${round((now - started) / 1000)} s`);
              }
            }
          }),
        );
        ingestSeconds = (performance.now() - started) / 1000;
      } finally {
        emulatedAnalyzes = (await autoanalyze?.stop()) ?? 0;
      }
      // The rate between the batch that completed the `from`th event and the one that completed the `to`th.
      const windowRate = (from: number, to: number) => {
        const first = from === 0 ? { events: 0, atMs: 0 } : completions.find((completion) => completion.events >= from);
        const last = completions.find((completion) => completion.events >= to);
        if (first === undefined || last === undefined || last.atMs <= first.atMs) return 0;
        return round((last.events - first.events) / ((last.atMs - first.atMs) / 1000));
      };
      batchMs.sort((a, b) => a - b);
      const stored = await countEvents(opened);

      // Timelines by the carrier that published them, with the whole log in place and, on PostgreSQL, its
      // statistics: a few voyages first without them when the server has none yet, to show what they are worth.
      const read = async (query: TimelineQuery) => (await services.tracking.timeline(carrier, query)).events.length;
      const sample = timelineSample(plan);
      const timelines: TimelineFigure[] = [];
      let statistics: TrackingFigure['postgresStatistics'];
      if (autovacuum !== undefined) {
        if (!(await hasStatistics(opened))) timelines.push(await timedTimelines('vessel + voyage, no statistics', sample.voyages.slice(0, NO_STATISTICS_QUERIES), 1, read, sample.expected));
        const analyzeStarted = performance.now();
        await analyzeLog(opened);
        statistics = { autovacuum, emulatedAnalyzes, analyzeSeconds: round((performance.now() - analyzeStarted) / 1000, 2) };
      }
      timelines.push(...(await benchTimelines(sample, read)));

      // A batch already in the log, sent again: every event a duplicate, the log unchanged.
      const again = resubmit ?? [];
      const countBefore = await countEvents(opened);
      const duplicateStarted = performance.now();
      const response = await services.tracking.ingest(carrier, again);
      const duplicateMs = performance.now() - duplicateStarted;
      const countAfter = await countEvents(opened);

      return {
        store: kind,
        events: ingested,
        batchSize: BATCH,
        callers,
        ingestSeconds: round(ingestSeconds),
        eventsPerSecond: round(ingested / ingestSeconds),
        rateWindow: RATE_WINDOW,
        firstWindowEventsPerSecond: windowRate(0, RATE_WINDOW),
        lastWindowEventsPerSecond: windowRate(ingested - RATE_WINDOW, ingested),
        windowsEventsPerSecond: Array.from({ length: Math.floor(ingested / RATE_WINDOW) }, (_, window) => windowRate(window * RATE_WINDOW, (window + 1) * RATE_WINDOW)),
        batchP50Ms: round(percentile(batchMs, 0.5)),
        batchP99Ms: round(percentile(batchMs, 0.99)),
        rejected,
        ...(firstRejection === undefined ? {} : { firstRejection }),
        stored,
        containers: plan.voyages * CONTAINERS_PER_VOYAGE,
        billsOfLading: plan.voyages * BILLS_PER_VOYAGE,
        voyages: plan.voyages,
        vessels: Math.min(VESSELS, plan.voyages),
        storeMiB: await storeMiB(opened, test),
        ...(statistics === undefined ? {} : { postgresStatistics: statistics }),
        timelines,
        duplicate: {
          resubmitted: again.length,
          duplicates: response.results.filter((result) => result.status === 'duplicate').length,
          others: response.results.filter((result) => result.status !== 'duplicate').length,
          countBefore,
          countAfter,
          ms: round(duplicateMs),
        },
      };
    } finally {
      await opened.close();
    }
  } finally {
    await test.drop();
  }
}
