/**
 * The latency figure: submissions offered at a constant rate (BENCH_RATE, 1,000/s by default) over HTTP, and how
 * soon an agency sees each one.
 *
 * A `kouan serve` child on a fresh store; customs (CUS) has a webhook on a receiver in this process and also pulls
 * its inbox (`GET /api/v1/inbox`, a page as soon as the last one came back). bench/paced.ts offers the rate whatever
 * the answers' speed (one request every 1/rate seconds, each counted from when it was due, so a late answer counts
 * the time it was waited for), after a warm-up of 100 submissions that is not counted, and notes the moment of each
 * 201. The figures: the rate achieved, the 201's p50 and p99, and
 * for the customs part of each submission answered 201, the time from the 201 to the part in the inbox (pull) and
 * to its push at the webhook (a part seen before its 201 came back counts 0), and the server's peak memory.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServices } from '../src/main.js';
import { openStore } from '../src/store/store.js';
import { BROKER, IMPORTER } from '../test/support/fixtures.js';
import { delegateGoods } from '../test/support/kouan.js';
import { LOCAL_WEBHOOKS } from '../test/support/net.js';
import { stopServer } from '../test/support/serve.js';
import { postgresUnavailable, type StoreKind } from '../test/support/stores.js';
import { pacedLoad } from './paced.js';
import { benchServerEnv, peakRssMiB, percentile, positiveInteger, round, sleep, startBenchServer, storeConfig, throwawayStore } from './support.js';

/** Submissions offered per second, from every connection together. */
export const RATE = positiveInteger('BENCH_RATE', 1000);
const SECONDS = positiveInteger('BENCH_SECONDS', 10);
/** Connections the requests go out on (each has one request out; beyond them, requests wait for one). */
const CONNECTIONS = positiveInteger('BENCH_RATE_CONNECTIONS', 128);
/** The warm-up before the measured load, at a rate every store keeps up with; its submissions' numbers. */
const WARM_UP_RATE = 50;
const WARM_UP_SECONDS = 2;
const WARM_UP_FIRST = 900_000;
/** How long after the load ends a part may still arrive before it counts as missing. */
const SETTLE_MS = 15_000;
const AGENCY = 'CUS';

export interface LatencyFigure {
  readonly store: StoreKind;
  readonly offeredPerSecond: number;
  readonly achievedPerSecond: number;
  readonly answered: number;
  readonly non2xx: number;
  readonly errors: number;
  /** The 201's latency at the offered rate (corrected for coordinated omission). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** From the 201 to the customs part in the inbox, pulled. */
  readonly inboxP50Ms: number;
  readonly inboxP99Ms: number;
  /** From the 201 to its push at the webhook. */
  readonly webhookP50Ms: number;
  readonly webhookP99Ms: number;
  /** Submissions answered 201 whose part was not pulled, or not pushed, SETTLE_MS after the load ended. */
  readonly inboxMissing: number;
  readonly webhookMissing: number;
  readonly rssPeakMiB?: number;
  readonly skipped?: string;
}

/** The store with the broker (declarant) and a customs key; returns both keys. */
async function prepare(kind: StoreKind) {
  const store = await throwawayStore(kind);
  const opened = await openStore(storeConfig(store).store);
  try {
    const services = createServices(storeConfig(store), opened, { error: (object, message) => console.error(message, object) });
    await services.parties.seedAgencies();
    await services.parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Bench Broker', roles: ['declarant', 'broker'] });
    await services.parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Bench Importer' });
    await delegateGoods(services, IMPORTER, BROKER);
    return { store, brokerKey: (await services.parties.createKey(BROKER)).key, agencyKey: (await services.parties.createKey(AGENCY)).key };
  } finally {
    await opened.close();
  }
}

/** Where each submission was seen first, by id, in performance.now() milliseconds. */
type Seen = Map<string, number>;

async function startReceiver(seen: Seen) {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const at = performance.now();
      const id = submissionOf(body);
      if (id !== undefined && !seen.has(id)) seen.set(id, at);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kouan`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function submissionOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { submissionId?: unknown; kind?: unknown };
    return parsed.kind === 'part.submitted' && typeof parsed.submissionId === 'string' ? parsed.submissionId : undefined;
  } catch {
    return undefined;
  }
}

/** Pulls the agency's inbox page after page until `stop()`, noting when each submission's part first shows. */
async function pull(base: string, key: string, seen: Seen, stop: () => boolean): Promise<void> {
  let after = 0;
  while (!stop()) {
    const response = await fetch(`${base}/api/v1/inbox?after=${after}&limit=500`, { headers: { authorization: `Bearer ${key}` } });
    const at = performance.now();
    if (!response.ok) throw new Error(`inbox: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { messages: { submissionId: string; kind: string }[]; next: number };
    for (const message of page.messages) if (message.kind === 'part.submitted' && !seen.has(message.submissionId)) seen.set(message.submissionId, at);
    after = page.next;
    if (page.messages.length === 0) await sleep(1);
  }
}

function delays(answered: ReadonlyMap<string, number>, seen: Seen): { sorted: number[]; missing: number } {
  const found: number[] = [];
  let missing = 0;
  for (const [id, at] of answered) {
    const arrived = seen.get(id);
    if (arrived === undefined) missing += 1;
    else found.push(Math.max(0, arrived - at));
  }
  return { sorted: found.sort((a, b) => a - b), missing };
}

export async function benchLatency(kind: StoreKind): Promise<LatencyFigure> {
  const empty = { store: kind, offeredPerSecond: RATE, achievedPerSecond: 0, answered: 0, non2xx: 0, errors: 0, p50Ms: 0, p99Ms: 0, inboxP50Ms: 0, inboxP99Ms: 0, webhookP50Ms: 0, webhookP99Ms: 0, inboxMissing: 0, webhookMissing: 0 };
  if (kind === 'postgres') {
    const unavailable = await postgresUnavailable();
    if (unavailable !== undefined) return { ...empty, skipped: unavailable };
  }
  const { store, brokerKey, agencyKey } = await prepare(kind);
  const pushed: Seen = new Map();
  const pulled: Seen = new Map();
  const receiver = await startReceiver(pushed);
  try {
    const server = await startBenchServer(store, { ...benchServerEnv(), ...LOCAL_WEBHOOKS });
    try {
      const registered = await fetch(`${server.base}/api/v1/webhook`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${agencyKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url }),
      });
      if (!registered.ok) throw new Error(`webhook: ${registered.status} ${await registered.text()}`);

      let stopped = false;
      const puller = pull(server.base, agencyKey, pulled, () => stopped);
      // Warm-up, not counted: the server's first requests compile its code and statements (100 to 160 ms each).
      const common = { url: `${server.base}/api/v1/submissions`, connections: CONNECTIONS };
      const authorization = `Bearer ${brokerKey}`;
      await pacedLoad({ ...common, rate: WARM_UP_RATE, seconds: WARM_UP_SECONDS, request: { authorization, idempotencyPrefix: 'latency-warm-up-', firstDeclaration: WARM_UP_FIRST, lines: 10 } });
      await sleep(1000);
      const answered = new Map<string, number>();
      const result = await pacedLoad({ ...common, rate: RATE, seconds: SECONDS, request: { authorization, idempotencyPrefix: 'latency-', firstDeclaration: 1, lines: 10 } }, (status, id, at) => {
        if (status === 201 && id !== undefined) answered.set(id, at);
      });
      const rssPeakMiB = peakRssMiB(server.child.pid);
      const settleBy = performance.now() + SETTLE_MS;
      while (performance.now() < settleBy && [...answered.keys()].some((id) => !pulled.has(id) || !pushed.has(id))) await sleep(50);
      stopped = true;
      await puller;
      const inbox = delays(answered, pulled);
      const webhook = delays(answered, pushed);
      return {
        store: kind,
        offeredPerSecond: RATE,
        achievedPerSecond: result.achievedPerSecond,
        answered: answered.size,
        non2xx: result.non2xx,
        errors: result.errors,
        p50Ms: round(percentile(result.latencies, 0.5)),
        p99Ms: round(percentile(result.latencies, 0.99)),
        inboxP50Ms: round(percentile(inbox.sorted, 0.5)),
        inboxP99Ms: round(percentile(inbox.sorted, 0.99)),
        webhookP50Ms: round(percentile(webhook.sorted, 0.5)),
        webhookP99Ms: round(percentile(webhook.sorted, 0.99)),
        inboxMissing: inbox.missing,
        webhookMissing: webhook.missing,
        ...(rssPeakMiB === undefined ? {} : { rssPeakMiB }),
      };
    } finally {
      await stopServer(server, 'SIGTERM');
    }
  } finally {
    await receiver.close();
    await store.drop();
  }
}
