import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded store in ./data on port 8080', () => {
    const config = loadConfig({}, {});
    expect(config.port).toBe(8080);
    expect(config.store.databaseUrl).toBeUndefined();
    expect(config.store.dataDir).toMatch(/\/data$/);
    expect(config.store.sqliteSynchronous).toBe('FULL');
    expect(config.ciqHsPrefixes).toBeUndefined();
  });

  it('lets flags win over the environment', () => {
    const config = loadConfig({ port: 9000, dataDir: '/tmp/x' }, { PORT: '7000', KOUAN_DATA_DIR: '/tmp/y' });
    expect(config.port).toBe(9000);
    expect(config.store.dataDir).toBe('/tmp/x');
  });

  it('reads the inspection table and PostgreSQL from the environment', () => {
    const config = loadConfig({}, { KOUAN_CIQ_HS_PREFIXES: '01, 0808,4403', KOUAN_DATABASE_URL: 'postgres://u@h/db' });
    expect(config.ciqHsPrefixes).toEqual(['01', '0808', '4403']);
    expect(config.store.databaseUrl).toBe('postgres://u@h/db');
  });

  it('refuses bad settings with the setting named', () => {
    expect(() => loadConfig({}, { PORT: 'eighty' })).toThrow(new ConfigError('PORT', 'must be an integer from 0 to 65535, got "eighty"'));
    expect(() => loadConfig({}, { KOUAN_DATABASE_URL: 'mysql://x' })).toThrow(/KOUAN_DATABASE_URL/);
    expect(() => loadConfig({}, { KOUAN_CIQ_HS_PREFIXES: '01,8' })).toThrow(/"8" is not 2 to 10 digits/);
    expect(() => loadConfig({}, { KOUAN_SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/FULL or NORMAL/);
  });

  it('limits slow and greedy clients by default, and keeps the request timeout no shorter than the headers one', () => {
    expect(loadConfig({}, {}).connections).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 72_000, idleTimeoutMs: 120_000, maxPerAddress: 64 });
    expect(loadConfig({}, { KOUAN_MAX_CONNECTIONS_PER_ADDRESS: '0', KOUAN_IDLE_TIMEOUT_MS: '0' }).connections).toMatchObject({ maxPerAddress: 0, idleTimeoutMs: 0 });
    expect(() => loadConfig({}, { KOUAN_HEADERS_TIMEOUT_MS: '5000', KOUAN_REQUEST_TIMEOUT_MS: '1000' })).toThrow(/KOUAN_REQUEST_TIMEOUT_MS: must be at least KOUAN_HEADERS_TIMEOUT_MS/);
    expect(() => loadConfig({}, { KOUAN_HEADERS_TIMEOUT_MS: '10' })).toThrow(/KOUAN_HEADERS_TIMEOUT_MS/);
  });
  it('takes the platform country and time zone, China and Asia/Shanghai by default, and refuses unknown ones', () => {
    expect(loadConfig({}, {})).toMatchObject({ country: 'CN', timeZone: 'Asia/Shanghai' });
    expect(loadConfig({}, { KOUAN_COUNTRY: 'sg', KOUAN_TIME_ZONE: 'Asia/Singapore' })).toMatchObject({ country: 'SG', timeZone: 'Asia/Singapore' });
    expect(() => loadConfig({}, { KOUAN_COUNTRY: 'CHN' })).toThrow(/KOUAN_COUNTRY/);
    expect(loadConfig({}, {}).commerceApproval).toBe(true);
    expect(loadConfig({}, { KOUAN_COMMERCE_APPROVAL: 'false' }).commerceApproval).toBe(false);
    expect(() => loadConfig({}, { KOUAN_COMMERCE_APPROVAL: 'sometimes' })).toThrow(/KOUAN_COMMERCE_APPROVAL/);
    expect(() => loadConfig({}, { KOUAN_TIME_ZONE: 'Mars/Olympus' })).toThrow(/KOUAN_TIME_ZONE/);
  });
});
