/** Parties and API keys on both stores. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KouanError } from '../src/shared/errors.js';
import { BROKER } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();

describe.each(kinds)('parties on %s', (kind) => {
  let t: TestKouan;
  beforeAll(async () => {
    t = await startTestKouan(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  const problem = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(KouanError);
    return error as KouanError;
  };

  it('seeds every agency of DESIGN.md once', async () => {
    await t.kouan.services.parties.seedAgencies();
    const agencies = await t.kouan.services.parties.listParties('agency');
    expect(agencies.map((agency) => agency.id).sort()).toEqual(
      ['BOR', 'CAAC', 'CIQ', 'CITES', 'CUS', 'MEE', 'MOA', 'MOC', 'MOT', 'MPS', 'MSA', 'NMPA', 'OSCCA', 'PBC', 'RAIL', 'SAFE', 'SAIC', 'TAX'].sort(),
    );
    expect(agencies.every((agency) => agency.tenant === 'central')).toBe(true);
  });

  it('creates an enterprise with a valid unified social credit code, once', async () => {
    const party = await t.kouan.services.parties.createParty({ id: BROKER, kind: 'enterprise', name: ' Example Customs Broker ', roles: ['declarant', 'broker'] });
    expect(party).toMatchObject({ id: BROKER, kind: 'enterprise', name: 'Example Customs Broker', tenant: 'central', roles: ['declarant', 'broker'] });
    expect((await problem(t.kouan.services.parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Again' }))).code).toBe('PARTY_EXISTS');
  });

  it('refuses a bad identifier, kind, role or tenant with every problem listed', async () => {
    const error = await problem(t.kouan.services.parties.createParty({ id: '91310115MA1H7L0Q2J', kind: 'enterprise', name: '', roles: ['agency'], tenant: 'nowhere' }));
    expect(error.code).toBe('PARTY_INVALID');
    expect(error.errors.map((fieldError) => `${fieldError.path}:${fieldError.code}`)).toEqual([
      '$.id:USCC_INVALID',
      '$.name:FIELD_RANGE',
      '$.roles[0]:FIELD_NOT_ALLOWED',
      '$.tenant:FIELD_NOT_ALLOWED',
    ]);
    expect((await problem(t.kouan.services.parties.createParty({ id: 'customs', kind: 'agency', name: 'x' }))).errors[0]?.code).toBe('FIELD_FORMAT');
    expect((await problem(t.kouan.services.parties.createParty({ id: 'x', kind: 'bank', name: 'x' }))).errors[0]?.code).toBe('FIELD_NOT_ALLOWED');
  });

  it('keeps only a hash of each key, authenticates it, and forgets it once revoked', async () => {
    const created = await t.kouan.services.parties.createKey('CUS', 'inbox reader');
    expect(created.key).toMatch(/^kouan\.key_[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);
    const stored = await t.kouan.services.store.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(created.key.split('.')[2]);

    expect(await t.kouan.services.parties.authenticate(created.key)).toMatchObject({ partyId: 'CUS', kind: 'agency', roles: ['agency'], keyId: created.id });
    expect(await t.kouan.services.parties.authenticate(`${created.key.slice(0, -1)}${created.key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await t.kouan.services.parties.authenticate('Bearer nonsense')).toBeUndefined();
    await t.kouan.services.parties.revokeKey(created.id);
    expect(await t.kouan.services.parties.authenticate(created.key)).toBeUndefined();
    expect((await t.kouan.services.parties.listKeys('CUS')).find((key) => key.id === created.id)?.revokedAt).toEqual(expect.any(String));
    expect((await problem(t.kouan.services.parties.createKey('NOPE'))).code).toBe('PARTY_UNKNOWN');
  });
});
