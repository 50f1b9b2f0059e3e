import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY, StoreUnreachableError, storeFault } from './faults.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('storeFault', () => {
  it.each([
    ['a PostgreSQL serialization failure', withCode('40001'), 'contention'],
    ['a PostgreSQL deadlock', withCode('40P01'), 'contention'],
    ['a busy SQLite file', withCode('SQLITE_BUSY'), 'contention'],
    ['a stale SQLite snapshot', withCode('SQLITE_BUSY_SNAPSHOT'), 'contention'],
    ['a statement past its timeout', withCode('57014'), 'timeout'],
    ['a terminated backend', withCode('57P01', 'terminating connection due to administrator command'), 'unavailable'],
    ['a crash shutdown', withCode('57P02'), 'unavailable'],
    ['a server starting up', withCode('57P03'), 'unavailable'],
    ['a connection exception', withCode('08006'), 'unavailable'],
    ['a refused connection', withCode('ECONNREFUSED'), 'unavailable'],
    ['a reset socket', withCode('ECONNRESET'), 'unavailable'],
    ['a dropped connection', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['a pool that waited too long', new Error('timeout exceeded when trying to connect'), 'unavailable'],
    ['a failing SQLite disk', withCode('SQLITE_IOERR_WRITE'), 'unavailable'],
    ['no connection to be had, whatever the cause', new StoreUnreachableError(withCode('55000', 'database "k" is not currently accepting connections')), 'unavailable'],
    ['a fault wrapped as a cause', new Error('outer', { cause: withCode('40P01') }), 'contention'],
  ])('classifies %s', (_name, error, fault) => {
    expect(storeFault(error)).toBe(fault);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a check violation', withCode('23514')],
    ['a SQLite constraint', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a plain bug', new TypeError('undefined is not a function')],
    ['a string', 'boom'],
    ['nothing', undefined],
  ])('leaves %s to the caller', (_name, error) => {
    expect(storeFault(error)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles up to the ceiling, with full jitter', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffMs(DEFAULT_RETRY, attempt, top))).toEqual([5, 10, 20, 40, 80, 160, 250, 250]);
    expect(backoffMs(DEFAULT_RETRY, 4, () => 0)).toBe(0);
  });
});
