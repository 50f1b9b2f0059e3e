/**
 * The paced sender, run in a worker thread of its own by bench/paced.ts, so that the bench process's other work
 * (the webhook receiver, the inbox puller and their garbage) does not delay its sends or its clock.
 *
 * An open-loop load at a constant rate, for the latency figure. Request n is due at start + n / rate, whatever
 * the answers' speed; it goes out on one of `connections` kept-alive connections, or waits for one when all are
 * busy; its latency counts from when it was due, so the wait a slow answer caused is counted too (no coordinated
 * omission).
 *
 * Why not autocannon's `overallRate`: it is a quota per connection per second. Each connection sends its share as
 * fast as it can at the start of every second and then waits for the next, so 1,000/s over 128 connections is a
 * burst of 1,000 requests once a second, and a server that could answer each request in a millisecond shows a
 * p50 of a few hundred milliseconds.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { benchDeclaration } from './support.js';

/** What the sender is told (it must cross to the worker: data only). */
export interface PacedOptions {
  readonly url: string;
  readonly rate: number;
  readonly seconds: number;
  readonly connections: number;
  /** Request n declares benchDeclaration(firstDeclaration + n, lines) with the idempotency key `<prefix><n>`. */
  readonly request: { readonly authorization: string; readonly idempotencyPrefix: string; readonly firstDeclaration: number; readonly lines: number };
}

export interface PacedResult {
  readonly sent: number;
  readonly answered: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Answers per second from the first request's due time to the last answer. */
  readonly achievedPerSecond: number;
  /** Each request's time from when it was due to its answer (or failure), ascending, in milliseconds. */
  readonly latencies: readonly number[];
}

/** What the sender posts: each answer (the submission's id when it was a 201, the moment as epoch milliseconds), then its result. */
export type PacedMessage = { readonly kind: 'answer'; readonly status: number; readonly id: string | undefined; readonly at: number } | { readonly kind: 'done'; readonly result: PacedResult };

/** Offers `rate` POSTs a second for `seconds`, then waits for every answer. */
async function pacedLoad(options: PacedOptions, onAnswer: (status: number, body: string, at: number) => void): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const start = performance.now() + 20;
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let answered = 0;
  let non2xx = 0;
  let errors = 0;
  let last = start;

  const fire = (n: number, due: number): Promise<void> =>
    new Promise((resolve) => {
      const body = JSON.stringify(benchDeclaration(options.request.firstDeclaration + n, options.request.lines));
      const headers = { authorization: options.request.authorization, 'idempotency-key': `${options.request.idempotencyPrefix}${String(n)}` };
      const outgoing = request(options.url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const at = performance.now();
          last = Math.max(last, at);
          latencies.push(at - due);
          const status = response.statusCode ?? 0;
          answered += 1;
          if (status < 200 || status >= 300) non2xx += 1;
          onAnswer(status, Buffer.concat(chunks).toString('utf8'), at);
          resolve();
        });
        response.on('error', () => {
          errors += 1;
          resolve();
        });
      });
      outgoing.on('error', () => {
        errors += 1;
        latencies.push(performance.now() - due);
        resolve();
      });
      outgoing.end(body);
    });

  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      for (; next < total && start + next * interval <= now; next += 1) pending.push(fire(next, start + next * interval));
      if (next >= total) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  await Promise.all(pending);
  agent.destroy();
  return {
    sent: total,
    answered,
    non2xx,
    errors,
    achievedPerSecond: Math.round(((answered - non2xx) * 1000 * 10) / Math.max(1, last - start)) / 10,
    latencies: latencies.sort((a, b) => a - b),
  };
}

if (parentPort !== null) {
  const port = parentPort;
  const idOf = (status: number, body: string): string | undefined => (status === 201 ? (JSON.parse(body) as { id?: string }).id : undefined);
  const result = await pacedLoad(workerData as PacedOptions, (status, body, at) => {
    const message: PacedMessage = { kind: 'answer', status, id: idOf(status, body), at: performance.timeOrigin + at };
    port.postMessage(message);
  });
  const done: PacedMessage = { kind: 'done', result };
  port.postMessage(done);
}
