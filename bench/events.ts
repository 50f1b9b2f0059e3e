/**
 * Domain event appends per second (`node --import tsx bench/events.ts`), on SQLite and on PostgreSQL: 16
 * concurrent callers, each appending in transactions of its own, one event per transaction (what one status
 * change costs the log) and 100 per transaction (a batch of tracking events). On PostgreSQL every append takes
 * the log's advisory lock until its commit, which is what keeps seqs in commit order: this measures its price.
 * Settings: KOUAN_BENCH_APPENDS (events per run, default 20,000).
 */
import { createEventsModule, type NewEvent } from '../src/modules/events/index.js';
import { newId } from '../src/shared/ids.js';
import { openStore } from '../src/store/store.js';
import { postgresUnavailable, type StoreKind } from '../test/support/stores.js';
import { cleanUpStores, positiveInteger, round, storeConfig, table, throwawayStore } from './support.js';

const APPENDS = positiveInteger('KOUAN_BENCH_APPENDS', 20_000);
const CALLERS = 16;

function event(): NewEvent {
  const id = newId('sub');
  return { type: 'submission.status-changed', tenant: 'central', subject: { kind: 'submission', id }, docType: 'goods-declaration', at: new Date().toISOString(), payload: { submissionId: id, from: 'submitted', to: 'delivered', actor: 'CUS' } };
}

async function measure(kind: StoreKind, perTransaction: number): Promise<number> {
  const testStore = await throwawayStore(kind);
  const store = await openStore(storeConfig(testStore).store, { poolSize: CALLERS });
  try {
    const log = createEventsModule(store.db, store.dialect);
    const transactions = Math.ceil(APPENDS / perTransaction);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        while (next < transactions) {
          next += 1;
          await store.db.transaction().execute((trx) => log.append(trx, Array.from({ length: perTransaction }, event)));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if ((await log.head()) !== transactions * perTransaction) throw new Error('appends lost');
    return (transactions * perTransaction) / seconds;
  } finally {
    await store.close();
    await testStore.drop();
  }
}

const kinds: StoreKind[] = (await postgresUnavailable()) === undefined ? ['sqlite', 'postgres'] : ['sqlite'];
const rows: (string | number)[][] = [];
for (const kind of kinds) {
  for (const perTransaction of [1, 100]) rows.push([kind, perTransaction, round(await measure(kind, perTransaction), 0)]);
}
await cleanUpStores();
console.log(table(['store', 'events per transaction', 'appends/s'], rows));
