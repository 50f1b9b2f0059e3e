/**
 * Every setting Kouan reads, from the environment and the command line, validated once at start.
 * No other file reads process.env.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

export interface StoreConfig {
  /** `postgres://...` selects PostgreSQL; otherwise the embedded SQLite file in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly sqliteSynchronous: SqliteSynchronous;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly store: StoreConfig;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number;
  /** The largest attachment POST /api/v1/attachments takes (KOUAN_ATTACHMENT_MAX_BYTES, 10 MiB). */
  readonly attachmentMaxBytes: number;
  /** How long clients may take and how many connections each address may hold, so that slow or greedy ones cannot tie the server up. */
  readonly connections: ConnectionLimits;
  /** HS prefixes (2 to 10 digits) whose goods are routed to inspection and quarantine (CIQ). */
  readonly ciqHsPrefixes: readonly string[] | undefined;
  /** How often the exchange looks for undelivered outbox rows, in milliseconds. */
  readonly exchangePollMs: number;
  /**
   * Live tracking streams (GET /api/v1/tracking/stream) a process holds open per API key (or portal user) and per
   * party, and how many events one stream may have waiting for a slow client before it is told to resume.
   */
  readonly trackingStreams: { readonly perKey: number; readonly perParty: number; readonly queue: number };
  readonly logLevel: string;
  readonly tenant: string;
  /** The algorithms Kouan countersigns receipts and decisions with: EdDSA always, SM2 as a second JWS when listed. */
  readonly signingAlgs: readonly ('EdDSA' | 'SM2')[];
  /** Requests per second (and twice that as a burst) allowed per API key and per client address; 0 turns a limit off. */
  readonly rateLimits: { readonly perKey: number; readonly perAddress: number };
  /** How long a declaration's licence quantities stay reserved without a decision, in milliseconds. */
  readonly ledgerReservationTtlMs: number;
  /** PostgreSQL: how long to wait for a connection, and the longest a statement may run (0: no limit), in milliseconds. */
  readonly storeTimeouts: { readonly connectMs: number; readonly statementMs: number };
  /**
   * The portal's session cookie is Secure: 'auto' (the default) when the request came over https (directly, or
   * through a trusted proxy that says so); true or false always, whatever the scheme.
   */
  readonly cookieSecure: boolean | 'auto';
  /** The proxies whose Forwarded / X-Forwarded-* headers are believed: addresses, CIDRs or `loopback`; empty, none. */
  readonly trustProxy: readonly string[];
  /** Where webhooks and subscriptions may push: plain http:// and private or loopback targets are for tests and labs only. */
  readonly webhooks: { readonly allowHttp: boolean; readonly allowPrivate: boolean };
  /** The country whose single window this is (ISO 3166-1 alpha-2): an import's port of entry and an export's port of exit lie in it. */
  readonly country: string;
  /** Whether commerce approves processing-trade filings (加工贸易业务批准证) beside customs; on by default. */
  readonly commerceApproval: boolean;
  /** The IANA time zone times are shown in to people (API text and the portal), with its offset. */
  readonly timeZone: string;
}

export interface ConnectionLimits {
  /** A request's headers must have arrived this long after it began (a slowloris sends them a byte at a time). */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must have arrived this long after it began; at least headersTimeoutMs. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  readonly keepAliveTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed; 0 never (event streams send a heartbeat every 15 s). */
  readonly idleTimeoutMs: number;
  /** Open connections allowed per client address; 0 turns the cap off (behind a proxy that is the proxy's job). */
  readonly maxPerAddress: number;
}

export interface ConfigOverrides {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly databaseUrl?: string | undefined;
}

export class ConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; flags given on the command line win over the environment. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = overrides.databaseUrl ?? nonEmpty(env.KOUAN_DATABASE_URL);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('KOUAN_DATABASE_URL', 'must be a postgres:// URL');
  }
  const synchronous = (nonEmpty(env.KOUAN_SQLITE_SYNCHRONOUS) ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigError('KOUAN_SQLITE_SYNCHRONOUS', 'must be FULL or NORMAL');
  }
  return {
    port: overrides.port ?? integer('PORT', env.PORT, 8080, 0, 65535),
    host: overrides.host ?? nonEmpty(env.KOUAN_HOST) ?? '127.0.0.1',
    store: {
      databaseUrl,
      dataDir: resolve(overrides.dataDir ?? nonEmpty(env.KOUAN_DATA_DIR) ?? './data'),
      sqliteSynchronous: synchronous,
    },
    bodyLimit: integer('KOUAN_BODY_LIMIT', env.KOUAN_BODY_LIMIT, 5 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    attachmentMaxBytes: integer('KOUAN_ATTACHMENT_MAX_BYTES', env.KOUAN_ATTACHMENT_MAX_BYTES, 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    connections: connectionLimits(env),
    ciqHsPrefixes: hsPrefixes(env.KOUAN_CIQ_HS_PREFIXES),
    exchangePollMs: integer('KOUAN_EXCHANGE_POLL_MS', env.KOUAN_EXCHANGE_POLL_MS, 250, 10, 60_000),
    trackingStreams: {
      perKey: integer('KOUAN_STREAMS_PER_KEY', env.KOUAN_STREAMS_PER_KEY, 20, 1, 100_000),
      perParty: integer('KOUAN_STREAMS_PER_PARTY', env.KOUAN_STREAMS_PER_PARTY, 100, 1, 100_000),
      queue: integer('KOUAN_STREAM_QUEUE', env.KOUAN_STREAM_QUEUE, 1000, 1, 1_000_000),
    },
    logLevel: nonEmpty(env.KOUAN_LOG_LEVEL) ?? 'info',
    tenant: nonEmpty(env.KOUAN_TENANT) ?? 'central',
    // KOUAN_SIGNING_ALGS: EdDSA (the default) or EdDSA,SM2; EdDSA stays, so that existing verifiers keep working.
    signingAlgs: ((algs: readonly string[]): readonly ('EdDSA' | 'SM2')[] => {
      const bad = algs.find((alg) => alg !== 'EdDSA' && alg !== 'SM2');
      if (bad !== undefined) throw new ConfigError('KOUAN_SIGNING_ALGS', `"${bad}" is not EdDSA or SM2`);
      if (!algs.includes('EdDSA')) throw new ConfigError('KOUAN_SIGNING_ALGS', 'must list EdDSA (SM2 is added beside it: EdDSA,SM2)');
      return algs.includes('SM2') ? ['EdDSA', 'SM2'] : ['EdDSA'];
    })((nonEmpty(env.KOUAN_SIGNING_ALGS) ?? 'EdDSA').split(',').map((alg) => alg.trim()).filter((alg) => alg !== '')),
    rateLimits: {
      perKey: integer('KOUAN_RATE_LIMIT_PER_KEY', env.KOUAN_RATE_LIMIT_PER_KEY, 50, 0, 1_000_000),
      perAddress: integer('KOUAN_RATE_LIMIT_PER_ADDRESS', env.KOUAN_RATE_LIMIT_PER_ADDRESS, 100, 0, 1_000_000),
    },
    ledgerReservationTtlMs: integer('KOUAN_LEDGER_RESERVATION_HOURS', env.KOUAN_LEDGER_RESERVATION_HOURS, 72, 1, 24 * 365) * 3_600_000,
    storeTimeouts: {
      connectMs: integer('KOUAN_STORE_CONNECT_TIMEOUT_MS', env.KOUAN_STORE_CONNECT_TIMEOUT_MS, 5000, 100, 600_000),
      statementMs: integer('KOUAN_STORE_STATEMENT_TIMEOUT_MS', env.KOUAN_STORE_STATEMENT_TIMEOUT_MS, 60_000, 0, 3_600_000),
    },
    cookieSecure: nonEmpty(env.KOUAN_COOKIE_SECURE)?.toLowerCase() === 'auto' ? 'auto' : boolean('KOUAN_COOKIE_SECURE', env.KOUAN_COOKIE_SECURE, 'auto'),
    trustProxy: trustedProxies(env.KOUAN_TRUST_PROXY),
    webhooks: {
      allowHttp: boolean('KOUAN_WEBHOOK_ALLOW_HTTP', env.KOUAN_WEBHOOK_ALLOW_HTTP, false),
      allowPrivate: boolean('KOUAN_WEBHOOK_ALLOW_PRIVATE', env.KOUAN_WEBHOOK_ALLOW_PRIVATE, false),
    },
    country: country(env.KOUAN_COUNTRY),
    commerceApproval: boolean('KOUAN_COMMERCE_APPROVAL', env.KOUAN_COMMERCE_APPROVAL, true),
    timeZone: timeZone(env.KOUAN_TIME_ZONE),
  };
}

function connectionLimits(env: NodeJS.ProcessEnv): ConnectionLimits {
  const headersTimeoutMs = integer('KOUAN_HEADERS_TIMEOUT_MS', env.KOUAN_HEADERS_TIMEOUT_MS, 10_000, 100, 600_000);
  const requestTimeoutMs = integer('KOUAN_REQUEST_TIMEOUT_MS', env.KOUAN_REQUEST_TIMEOUT_MS, 60_000, 100, 3_600_000);
  if (requestTimeoutMs < headersTimeoutMs) throw new ConfigError('KOUAN_REQUEST_TIMEOUT_MS', `must be at least KOUAN_HEADERS_TIMEOUT_MS (${headersTimeoutMs}), got ${requestTimeoutMs}`);
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer('KOUAN_KEEP_ALIVE_TIMEOUT_MS', env.KOUAN_KEEP_ALIVE_TIMEOUT_MS, 72_000, 100, 3_600_000),
    idleTimeoutMs: integer('KOUAN_IDLE_TIMEOUT_MS', env.KOUAN_IDLE_TIMEOUT_MS, 120_000, 0, 3_600_000),
    maxPerAddress: integer('KOUAN_MAX_CONNECTIONS_PER_ADDRESS', env.KOUAN_MAX_CONNECTIONS_PER_ADDRESS, 64, 0, 1_000_000),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const text = nonEmpty(raw);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function boolean<T extends boolean | 'auto'>(name: string, raw: string | undefined, fallback: T): boolean | T {
  const text = nonEmpty(raw)?.toLowerCase();
  if (text === undefined) return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${text}"`);
}

/** KOUAN_TRUST_PROXY: off (the default, also `false`/`off`), or addresses and CIDRs (and `loopback`), comma-separated. */
function trustedProxies(raw: string | undefined): readonly string[] {
  const text = nonEmpty(raw);
  if (text === undefined || ['false', 'off', '0', 'none'].includes(text.toLowerCase())) return [];
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry === 'loopback') continue;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    if (family === 0 || extra !== undefined || (bits !== undefined && (!Number.isInteger(bits) || prefix !== String(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)))) {
      throw new ConfigError('KOUAN_TRUST_PROXY', `"${entry}" is not an IP address, a CIDR (10.0.0.0/8) or loopback; true is not taken (name the proxies)`);
    }
  }
  return entries;
}

function hsPrefixes(raw: string | undefined): readonly string[] | undefined {
  const text = nonEmpty(raw);
  if (text === undefined) return undefined;
  const prefixes = text.split(',').map((prefix) => prefix.trim()).filter((prefix) => prefix !== '');
  const bad = prefixes.find((prefix) => !/^\d{2,10}$/.test(prefix));
  if (bad !== undefined) throw new ConfigError('KOUAN_CIQ_HS_PREFIXES', `"${bad}" is not 2 to 10 digits`);
  return prefixes;
}

function country(raw: string | undefined): string {
  const text = nonEmpty(raw)?.toUpperCase() ?? 'CN';
  if (!/^[A-Z]{2}$/.test(text)) throw new ConfigError('KOUAN_COUNTRY', `must be an ISO 3166-1 alpha-2 code such as CN, got "${text}"`);
  return text;
}

function timeZone(raw: string | undefined): string {
  const text = nonEmpty(raw) ?? 'Asia/Shanghai';
  try {
    return new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError('KOUAN_TIME_ZONE', `"${text}" is not an IANA time zone such as Asia/Shanghai`);
  }
}
