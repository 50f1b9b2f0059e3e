/**
 * The live-stream fan-out figure: many server-sent-event streams on one busy container, then a small batch posted.
 *
 * A `kouan serve` child holds a container with a long history (10,000 events) that many enterprises may see (each
 * declared goods in it); each of them follows it on several streams. Five new events are then posted, and the
 * figure is how long until every stream has all five, how /healthz answered meanwhile and how much the server's
 * resident memory grew. The server runs in its own process, so its memory and its event loop are its own.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createServices } from '../src/main.js';
import { isValidUscc } from '../src/modules/codes/index.js';
import { openStore } from '../src/store/store.js';
import { importDeclaration } from '../test/support/fixtures.js';
import { stopServer } from '../test/support/serve.js';
import { postgresUnavailable, type StoreKind } from '../test/support/stores.js';
import { benchServerEnv, percentile, startBenchServer, positiveInteger, round, sleep, storeConfig, throwawayStore } from './support.js';

/** Streams open at once, spread over the viewers. */
const STREAMS = positiveInteger('KOUAN_BENCH_STREAMS', 500);
/** Distinct enterprises following the container, each on STREAMS / VIEWERS streams. */
const VIEWERS = positiveInteger('KOUAN_BENCH_STREAM_VIEWERS', 50);
/** Events already in the container's history. */
const HISTORY = positiveInteger('KOUAN_BENCH_STREAM_HISTORY', 10_000);
/** The new events whose delivery is timed, per batch, and the batches. */
const NEW_EVENTS = 5;
const ROUNDS = 2;
/** How long to wait for every stream to have them before giving up (the figure then says so). */
const DELIVERY_TIMEOUT_MS = positiveInteger('KOUAN_BENCH_STREAM_TIMEOUT_MS', 120_000);
const HEALTH_EVERY_MS = 50;
const CONTAINER = 'MSKU1234565';
const OPERATOR = 'bench-operator';
const MOVES = ['GTIN', 'LOAD', 'DISC', 'GTOT', 'STRP', 'STUF', 'INSP'] as const;

export interface FanoutFigure {
  readonly store: StoreKind;
  readonly streams: number;
  readonly viewers: number;
  readonly history: number;
  readonly newEvents: number;
  /** Streams the server refused (a cap) or that broke before the post. */
  readonly refused: number;
  /** From the POST until every open stream had all the new events; null when they did not within the timeout. */
  readonly deliveryMs: number | null;
  /** The same for a second batch posted right after the first was delivered. */
  readonly secondDeliveryMs: number | null;
  /** Streams that had every new event at the end. */
  readonly complete: number;
  readonly healthP50Ms: number;
  readonly healthP99Ms: number;
  readonly healthMaxMs: number;
  readonly healthChecks: number;
  /** The server's resident memory with the streams open, and its peak from the POST until delivery (MiB). */
  readonly rssIdleMiB: number;
  readonly rssPeakMiB: number;
  readonly rssBeforeStreamsMiB: number;
  readonly skipped?: string;
}

/** A valid unified social credit code per viewer number. */
function viewerId(index: number): string {
  const first17 = `91310000MA1${String(100_000 + index).padStart(6, '0')}`;
  const id = [...'0123456789ABCDEFGHJKLMNPQRTUWXY'].map((check) => `${first17}${check}`).find(isValidUscc);
  if (id === undefined) throw new Error(`no check character for ${first17}`);
  return id;
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? 0 : round(Number(match[1]) / 1024);
}

/** The store with the viewers (each with a declaration naming the container), the operator and the history. */
async function prepare(kind: StoreKind) {
  const store = await throwawayStore(kind);
  const config = storeConfig(store);
  const opened = await openStore(config.store);
  try {
    const services = createServices(config, opened, { error: (object, message) => console.error(message, object) });
    await services.parties.seedAgencies();
    await services.parties.createParty({ id: OPERATOR, kind: 'operator', name: 'Bench operator' });
    const operatorKey = (await services.parties.createKey(OPERATOR)).key;
    const viewerKeys: string[] = [];
    for (let index = 0; index < VIEWERS; index += 1) {
      const id = viewerId(index);
      await services.parties.createParty({ id, kind: 'enterprise', name: `Bench importer ${index}` });
      const key = (await services.parties.createKey(id)).key;
      const caller = await services.parties.authenticate(key);
      if (caller === undefined) throw new Error(`no principal for ${id}`);
      const data = importDeclaration({ declarant: id, consignee: { id, name: `Bench importer ${index}` }, transport: { mode: 'sea', vesselImo: '9321483', voyage: '012E', containers: [CONTAINER] } });
      await services.submissions.submit(caller, { docType: 'goods-declaration', data }, undefined);
      viewerKeys.push(key);
    }
    const operator = await services.parties.authenticate(operatorKey);
    if (operator === undefined) throw new Error('no operator principal');
    // The history spreads over the last 40 days, inside every viewer's window around its declaration.
    const now = Date.now();
    for (let start = 0; start < HISTORY; start += 1000) {
      const events = Array.from({ length: Math.min(1000, HISTORY - start) }, (_, offset) => historyEvent(start + offset, now));
      const answer = await services.tracking.ingest(operator, events);
      if (answer.stored !== events.length) throw new Error(`history: ${answer.rejected} rejected ${JSON.stringify(answer.results.find((result) => result.status === 'rejected'))}`);
    }
    return { store, operatorKey, viewerKeys };
  } finally {
    await opened.close();
  }
}

function historyEvent(index: number, now: number) {
  return {
    eventId: `history-${index}`,
    eventType: 'EQUIPMENT',
    code: MOVES[index % MOVES.length] ?? 'GTIN',
    classifier: 'ACT',
    eventTime: new Date(now - 40 * 86_400_000 + index * Math.floor((39 * 86_400_000) / HISTORY)).toISOString(),
    location: 'CNSHA',
    references: { container: CONTAINER },
  };
}

interface Follower {
  readonly response: IncomingMessage | undefined;
  readonly status: number;
  received: Set<string>;
  close(): void;
}

function follow(base: string, key: string, wanted: ReadonlySet<string>, onEvent: () => void): Promise<Follower> {
  return new Promise((resolve) => {
    const request = httpRequest(`${base}/api/v1/tracking/stream?container=${CONTAINER}`, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } });
    request.on('error', () => resolve({ response: undefined, status: 0, received: new Set(), close: () => undefined }));
    request.on('response', (response) => {
      const follower: Follower = { response, status: response.statusCode ?? 0, received: new Set(), close: () => request.destroy() };
      if (follower.status !== 200) {
        response.resume();
        request.destroy();
        resolve(follower);
        return;
      }
      let pending = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        pending += chunk;
        const blocks = pending.split('\n\n');
        pending = blocks.pop() ?? '';
        for (const block of blocks) {
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data === undefined) continue;
          const eventId = (JSON.parse(data.slice(6)) as { eventId?: string }).eventId;
          if (eventId !== undefined && wanted.has(eventId) && !follower.received.has(eventId)) {
            follower.received.add(eventId);
            onEvent();
          }
        }
      });
      response.on('error', () => undefined);
      resolve(follower);
    });
    request.end();
  });
}

async function timedHealth(base: string): Promise<number> {
  const started = performance.now();
  try {
    await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(30_000) }).then((response) => response.arrayBuffer());
  } catch {
    // a timeout counts as its full wait
  }
  return performance.now() - started;
}

export async function benchFanout(kind: StoreKind): Promise<FanoutFigure> {
  const empty = { store: kind, streams: STREAMS, viewers: VIEWERS, history: HISTORY, newEvents: NEW_EVENTS, refused: 0, deliveryMs: null, secondDeliveryMs: null, complete: 0, healthP50Ms: 0, healthP99Ms: 0, healthMaxMs: 0, healthChecks: 0, rssIdleMiB: 0, rssPeakMiB: 0, rssBeforeStreamsMiB: 0 };
  if (kind === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable !== undefined) return { ...empty, skipped: unavailable };
  }
  const { store, operatorKey, viewerKeys } = await prepare(kind);
  const server = await startBenchServer(store, benchServerEnv());
  const pid = server.child.pid ?? 0;
  const followers: Follower[] = [];
  try {
    const rssBeforeStreamsMiB = rssMiB(pid);
    // Two batches: the first after the streams sat idle, the second right behind it (what a busy reference sees).
    const batches = Array.from({ length: ROUNDS }, (_, batchIndex) =>
      Array.from({ length: NEW_EVENTS }, (_, index) => ({ ...historyEvent(HISTORY + batchIndex * NEW_EVENTS + index, Date.now()), eventId: `new-${batchIndex}-${index}`, eventTime: new Date(Date.now() - (NEW_EVENTS - index) * 60_000).toISOString() })),
    );
    const wanted = new Set(batches.flat().map((event) => event.eventId));
    let deliveries = 0;
    let target = Number.POSITIVE_INFINITY;
    let allDelivered: () => void = () => undefined;
    const onEvent = () => {
      deliveries += 1;
      if (deliveries >= target) allDelivered();
    };
    for (let index = 0; index < STREAMS; index += 1) followers.push(await follow(server.base, viewerKeys[index % viewerKeys.length] ?? '', wanted, onEvent));
    const open = followers.filter((follower) => follower.status === 200);
    // Let the streams settle into their idle state (first reads done, polling) before measuring.
    await sleep(2000);
    const rssIdleMiB = rssMiB(pid);

    let rssPeakMiB = rssIdleMiB;
    let watching = true;
    const health: number[] = [];
    const healthLoop = (async () => {
      while (watching) {
        health.push(await timedHealth(server.base));
        await sleep(HEALTH_EVERY_MS);
      }
    })();
    const rssLoop = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, rssMiB(pid))), 100);
    const deliveryMs: (number | null)[] = [];
    for (const [batchIndex, batch] of batches.entries()) {
      target = open.length * NEW_EVENTS * (batchIndex + 1);
      const delivered = new Promise<void>((resolve) => (allDelivered = resolve));
      if (deliveries >= target) allDelivered();
      const started = performance.now();
      const posted = await fetch(`${server.base}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: batch }) });
      if (!posted.ok) throw new Error(`the new events were refused: ${posted.status} ${await posted.text()}`);
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([delivered.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DELIVERY_TIMEOUT_MS)))]);
      clearTimeout(timer);
      deliveryMs.push(finished ? round(performance.now() - started) : null);
      if (!finished) break;
    }
    watching = false;
    clearInterval(rssLoop);
    await healthLoop;
    health.sort((a, b) => a - b);
    return {
      ...empty,
      refused: STREAMS - open.length,
      deliveryMs: deliveryMs[0] ?? null,
      secondDeliveryMs: deliveryMs[1] ?? null,
      complete: open.filter((follower) => follower.received.size === NEW_EVENTS * ROUNDS).length,
      healthP50Ms: round(percentile(health, 0.5)),
      healthP99Ms: round(percentile(health, 0.99)),
      healthMaxMs: round(health.at(-1) ?? 0),
      healthChecks: health.length,
      rssIdleMiB,
      rssPeakMiB,
      rssBeforeStreamsMiB,
    };
  } finally {
    for (const follower of followers) follower.close();
    await stopServer(server, 'SIGTERM');
    await store.drop();
  }
}

/** Why a fan-out figure is wrong (a stream refused or missing events), or undefined. */
export function fanoutWrong(figure: FanoutFigure): string | undefined {
  if (figure.skipped !== undefined) return undefined;
  if (figure.refused > 0) return `${figure.refused} of ${figure.streams} streams were refused`;
  if (figure.deliveryMs === null || figure.secondDeliveryMs === null) return `only ${figure.complete} of ${figure.streams - figure.refused} streams had all ${figure.newEvents * ROUNDS} events after ${DELIVERY_TIMEOUT_MS} ms`;
  return undefined;
}
