/**
 * The composition root: config ▶ store ▶ modules ▶ http ▶ exchange worker. The CLI and the tests build Kouan
 * through here, so that what runs is what is tested.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import type { Config } from './config.js';
import { buildApp, type App, type Services } from './http/app.js';
import { createAuditModule } from './modules/audit/index.js';
import { createCodesModule } from './modules/codes/index.js';
import { createDelegationsModule } from './modules/delegations/index.js';
import { createDocTypeRegistry } from './doctypes/index.js';
import { createAttachmentsModule } from './modules/attachments/index.js';
import { createDraftsModule } from './modules/drafts/index.js';
import { createDeliveryEngine } from './modules/delivery/index.js';
import { createEventsModule } from './modules/events/index.js';
import { createExchangeModule } from './modules/exchange/index.js';
import { createLedgerModule } from './modules/ledger/index.js';
import { createPartiesModule } from './modules/parties/index.js';
import { createSignaturesModule } from './modules/signatures/index.js';
import { createStatsModule } from './modules/stats/index.js';
import { createSubmissionsModule } from './modules/submissions/index.js';
import { createTrackingModule } from './modules/tracking/index.js';
import { createUsersModule } from './modules/users/index.js';
import { storeFault } from './store/faults.js';
import { openStore, type Store } from './store/store.js';

export interface Kouan {
  readonly config: Config;
  readonly services: Services;
  readonly app: App;
  /** Stops taking requests, drains the exchange, closes the store. */
  close(): Promise<void>;
}

/** Wires the modules over an open store (the store is the caller's to close). */
export function createServices(config: Config, store: Store, logger: { error(object: object, message: string): void }): Services {
  const parties = createPartiesModule(store.db, config.tenant);
  const codes = createCodesModule(store.db);
  const doctypes = createDocTypeRegistry({ inspectionHsPrefixes: config.ciqHsPrefixes, country: config.country, commerceApproval: config.commerceApproval });
  const events = createEventsModule(store.db, store.dialect);
  // The one delivery engine: agency webhooks and tracking subscriptions push through it.
  // Its leases and settlements, and the exchange's dispatcher, on the store's background connections.
  const delivery = createDeliveryEngine(store.db, store.dialect, { logger, policy: config.webhooks }, store.background);
  const exchange = createExchangeModule(store.db, store.dialect, logger, config.exchangePollMs, { policy: config.webhooks }, { delivery, events, background: store.background });
  const signatures = createSignaturesModule(store.db, config.signingAlgs);
  const ledger = createLedgerModule(store.db, store.dialect, signatures.platformSigner, { reservationTtlMs: config.ledgerReservationTtlMs }, logger, events);
  const delegations = createDelegationsModule(store.db, store.dialect, parties, doctypes.ids());
  // Timelines never show events about a submission the caller may not see: the submissions module decides.
  const { tracking, subscriptions: trackingSubscriptions, streams: trackingStreams } = createTrackingModule(store.db, store.dialect, (caller, ids) => submissions.visibleIds(caller, ids), {
    logger,
    pollMs: config.exchangePollMs,
    webhooks: { policy: config.webhooks },
    delivery,
    // Locations are checked against the imported UN/LOCODE list when there is one, by shape otherwise.
    locodes: async (locode) => (await codes.resolve({ hs: [], locode })).locode,
    // A terminal or port publishes at the places an operator gave it with the role.
    locationsOf: async (partyId) => (await parties.getParty(partyId)).locations,
    streams: config.trackingStreams,
    events,
  });
  const attachments = createAttachmentsModule(store.db, { maxBytes: config.attachmentMaxBytes });
  const submissions = createSubmissionsModule(store.db, store.dialect, doctypes, codes, exchange, ledger, delegations, signatures, tracking, { timeZone: config.timeZone, events, attachments });
  const audit = createAuditModule(store.db, { onError: (error) => logger.error({ err: error }, 'chaining pending audit records failed; will retry') });
  // Write requests get their audit record in the transaction of their write.
  store.db.join(audit);
  const users = createUsersModule(store.db, parties);
  const drafts = createDraftsModule(store.db, store.dialect, doctypes.ids());
  const stats = createStatsModule(store.db, events, logger, config.exchangePollMs);
  return { store, parties, users, codes, doctypes, exchange, signatures, ledger, delegations, submissions, tracking, trackingSubscriptions, trackingStreams, audit, drafts, attachments, stats, events, platform: { country: config.country, timeZone: config.timeZone } };
}

/** Opens the store, seeds the agencies and builds the HTTP app; `startExchange` runs the background dispatcher. */
export async function createKouan(config: Config, options: { startExchange?: boolean } = {}): Promise<Kouan> {
  const logger = pino({ level: config.logLevel === 'silent' ? 'silent' : config.logLevel });
  // A lost connection is survived: pg drops the client and the next query connects anew; it is only logged here.
  const store = await openStoreWhenReachable(config, logger);
  const services = createServices(config, store, logger);
  try {
    await services.parties.seedAgencies();
    await services.signatures.ensurePlatformKeys();
    const app = await buildApp({ services, bodyLimit: config.bodyLimit, logLevel: config.logLevel, version: packageVersion(), rateLimits: config.rateLimits, tenant: config.tenant, cookieSecure: config.cookieSecure, trustProxy: config.trustProxy, connections: config.connections });
    let housekeeping: NodeJS.Timeout | undefined;
    if (options.startExchange ?? true) {
      services.exchange.start();
      services.ledger.start();
      services.trackingSubscriptions.start();
      services.audit.start();
      services.stats.start();
      // Sessions ended more than their retention ago are deleted hourly.
      housekeeping = setInterval(() => {
        services.users.pruneSessions().catch((error: unknown) => logger.error({ err: error }, 'pruning sessions failed; will retry'));
      }, 3_600_000);
      housekeeping.unref();
    }
    return {
      config,
      services,
      app,
      async close() {
        if (housekeeping !== undefined) clearInterval(housekeeping);
        await app.close();
        await services.audit.stop();
        await services.stats.stop();
        await services.ledger.stop();
        await services.trackingSubscriptions.stop();
        await services.exchange.stop();
        // Move what is pending into the inboxes now; if that fails the rows stay in the outbox for the next start.
        await services.exchange.dispatchPending().catch((error: unknown) => logger.error({ err: error }, 'exchange drain at shutdown failed; rows stay pending'));
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** How long Kouan waits at start for a store that is not reachable yet (a database still starting, a failover). */
const STORE_START_WAIT_MS = 60_000;

/** Opens the store, waiting (with a log line per attempt) while it is unreachable rather than exiting at once. */
async function openStoreWhenReachable(config: Config, logger: pino.Logger): Promise<Store> {
  const deadline = Date.now() + STORE_START_WAIT_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openStore(config.store, {
        timeouts: config.storeTimeouts,
        // A lost connection is survived: pg drops the client and the next query connects anew; it is only logged here.
        onConnectionError: (error) => logger.warn({ err: error }, 'store connection lost; reconnecting on the next query'),
      });
    } catch (error) {
      if (storeFault(error) !== 'unavailable' || Date.now() >= deadline) throw error;
      logger.warn({ err: error, attempt }, 'the store is not reachable yet; trying again');
      await sleep(Math.min(2000, 250 * attempt));
    }
  }
}

/** Kouan's version, from package.json. */
export function packageVersion(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
