/** A real Kouan (real store, real modules) for integration tests, driven through app.inject without a port. */
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.js';
import type { Services } from '../../src/http/app.js';
import { createKouan, type Kouan } from '../../src/main.js';
import { BROKER, IMPORTER, OTHER_ENTERPRISE } from './fixtures.js';
import { createTestStore, type StoreKind, type TestStore } from './stores.js';

/** Tests drive one key hard; test/hardening.test.ts turns the limits on where it tests them. */
export const NO_RATE_LIMITS = { KOUAN_RATE_LIMIT_PER_KEY: '0', KOUAN_RATE_LIMIT_PER_ADDRESS: '0' };

export interface TestKouan {
  readonly kouan: Kouan;
  readonly store: TestStore;
  /** Creates an enterprise (with the places it operates, for a terminal or port) and returns an API key for it. */
  enterprise(id: string, roles?: string[], locations?: string[]): Promise<string>;
  /** The principal authorises the broker (委托报关) to declare goods both ways for a year from today. */
  delegate(principal: string, agent: string): Promise<void>;
  /** Returns a new API key for a seeded agency (CUS, CIQ, ...). */
  agency(id: string): Promise<string>;
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options?: { key?: string | undefined; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestKouan(kind: StoreKind, env: Record<string, string> = {}): Promise<TestKouan> {
  const store = await createTestStore(kind);
  const config = loadConfig({ dataDir: store.config.dataDir, databaseUrl: store.config.databaseUrl }, { KOUAN_LOG_LEVEL: 'silent', KOUAN_SQLITE_SYNCHRONOUS: 'NORMAL', ...NO_RATE_LIMITS, ...env });
  const kouan = await createKouan(config, { startExchange: false });
  const { parties } = kouan.services;
  return {
    kouan,
    store,
    async enterprise(id, roles = ['declarant'], locations = undefined) {
      await parties.createParty({ id, kind: 'enterprise', name: `Enterprise ${id}`, roles, locations });
      return (await parties.createKey(id)).key;
    },
    delegate(principal, agent) {
      return delegateGoods(kouan.services, principal, agent);
    },
    async agency(id) {
      return (await parties.createKey(id)).key;
    },
    request(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
      return kouan.app.inject({ method, url, headers, ...(options.body === undefined ? {} : { payload: options.body as object }) });
    },
    async close() {
      await kouan.close();
      await store.drop();
    },
  };
}

/** The principal (registered here) authorises the broker (委托报关) to declare goods both ways for a year from today. */
export async function delegateGoods(services: Pick<Services, 'parties' | 'delegations'>, principal: string, agent: string): Promise<void> {
  const caller = await services.parties.authenticate((await services.parties.createKey(principal)).key);
  if (caller === undefined) throw new Error(`no principal ${principal}`);
  const today = new Date().toISOString().slice(0, 10);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 8)}01`;
  await services.delegations.grant(caller, { agent, docTypes: ['goods-declaration'], directions: ['import', 'export'], validFrom: today, validTo: nextYear });
}

/** The keys of the parties most integration tests act as. */
export interface Cast {
  readonly importer: string;
  readonly broker: string;
  readonly other: string;
  readonly cus: string;
  readonly ciq: string;
  readonly moc: string;
}

/** Registers the usual cast: the importer, its broker (with a delegation from it), another enterprise, CUS, CIQ, MOC. */
export async function cast(t: TestKouan): Promise<Cast> {
  const importer = await t.enterprise(IMPORTER);
  const broker = await t.enterprise(BROKER, ['declarant', 'broker']);
  await t.delegate(IMPORTER, BROKER);
  const other = await t.enterprise(OTHER_ENTERPRISE);
  return { importer, broker, other, cus: await t.agency('CUS'), ciq: await t.agency('CIQ'), moc: await t.agency('MOC') };
}
