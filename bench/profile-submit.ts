/**
 * `node --import tsx --cpu-prof bench/profile-submit.ts [sqlite|postgres] [seconds]`: the in-process submit loop of the
 * pipeline figure, alone, so that a CPU profile shows where a submission's time goes. With PROFILE_ACK=1, the
 * customs parts are then dispatched and customs acknowledges each (32 at once), as an agency's webhook answers do,
 * and the statements counted are the acknowledgements'.
 */
import SQLite from 'better-sqlite3';
import { createServices } from '../src/main.js';
import { newId } from '../src/shared/ids.js';
import { openStore } from '../src/store/store.js';
import { BROKER, IMPORTER } from '../test/support/fixtures.js';
import { delegateGoods } from '../test/support/kouan.js';
import type { StoreKind } from '../test/support/stores.js';
import { benchDeclaration, cleanUpStores, storeConfig, throwawayStore } from './support.js';

const kind = (process.argv[2] ?? 'sqlite') as StoreKind;

/**
 * With COUNT_SQL=1 (SQLite), the statements run, by their text, and the time SQLite took for them: every run, get
 * and all of a prepared statement counts.
 */
const statements = new Map<string, { count: number; ms: number }>();
if (process.env.COUNT_SQL === '1') {
  const probe = new SQLite(':memory:');
  const prototype = Object.getPrototypeOf(probe.prepare('select 1')) as Record<'run' | 'get' | 'all', (...args: unknown[]) => unknown> & { source?: string };
  for (const method of ['run', 'get', 'all'] as const) {
    const original = prototype[method];
    prototype[method] = function (this: { source: string }, ...args: unknown[]) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const seen = statements.get(this.source) ?? { count: 0, ms: 0 };
        seen.count += 1;
        seen.ms += performance.now() - started;
        statements.set(this.source, seen);
      }
    };
  }
  probe.close();
}
const seconds = Number(process.argv[3] ?? 10);
const store = await throwawayStore(kind);
const config = storeConfig(store);
const opened = await openStore(config.store);
const services = createServices(config, opened, { error: (object, message) => console.error(message, object) });
await services.parties.seedAgencies();
await services.parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Bench Broker', roles: ['declarant', 'broker'] });
await services.parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Bench Importer' });
await delegateGoods(services, IMPORTER, BROKER);
const principal = await services.parties.authenticate((await services.parties.createKey(BROKER)).key);
if (principal === undefined) throw new Error('no principal');
let sent = 0;
let submitted = 0;
const deadline = Date.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (Date.now() < deadline) {
      await services.submissions.submit(principal, benchDeclaration((sent += 1), 10), newId('bench'));
      submitted += 1;
    }
  }),
);
console.log(`${kind}: ${((submitted * 1000) / (performance.now() - started)).toFixed(1)} submissions/s`);
let counted = submitted;
if (process.env.PROFILE_ACK === '1') {
  await services.exchange.dispatchPending();
  const customs = await services.parties.authenticate((await services.parties.createKey('CUS')).key);
  if (customs === undefined) throw new Error('no customs principal');
  const ids: string[] = [];
  for (let after = 0; ; ) {
    const page = await services.exchange.readInbox(customs, after, 500, true);
    ids.push(...page.messages.map((message) => message.messageId));
    if (page.messages.length < 500) break;
    after = page.next;
  }
  statements.clear();
  const ackStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let id = ids[next++]; id !== undefined; id = ids[next++]) await services.exchange.ack(customs, id);
    }),
  );
  console.log(`${kind}: ${((ids.length * 1000) / (performance.now() - ackStarted)).toFixed(1)} acknowledgements/s (${String(ids.length)})`);
  counted = ids.length;
}
await opened.close();
await cleanUpStores();
if (statements.size > 0) {
  const all = [...statements.values()];
  const perSubmission = (value: number) => value / counted;
  console.log(
    `per ${process.env.PROFILE_ACK === '1' ? 'acknowledgement' : 'submission (setup included)'}: ${perSubmission(all.reduce((sum, seen) => sum + seen.count, 0)).toFixed(1)} statements, ${(perSubmission(all.reduce((sum, seen) => sum + seen.ms, 0)) * 1000).toFixed(0)} µs in SQLite`,
  );
  console.log('statements  µs  text');
  for (const [text, seen] of [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40)) {
    console.log(`${perSubmission(seen.count).toFixed(2).padStart(6)}  ${(perSubmission(seen.ms) * 1000).toFixed(1).padStart(6)}  ${text.slice(0, 150)}`);
  }
}
