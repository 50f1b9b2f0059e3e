/** Operators find the parties of their tenant (to manage their users and keys); nobody else may list parties. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, IMPORTER, OTHER_ENTERPRISE } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();

describe.each(kinds)('the party directory on %s', (kind) => {
  let t: TestKouan;
  let operator: string;
  let otherOperator: string;
  let importer: string;
  const list = async (key: string, query = '') => t.request('GET', `/api/v1/parties${query}`, { key });
  const ids = async (key: string, query = '') => (await list(key, query)).json<{ parties: { id: string }[] }>().parties.map((party) => party.id);

  beforeAll(async () => {
    t = await startTestKouan(kind);
    const { parties } = t.kouan.services;
    importer = await t.enterprise(IMPORTER);
    await t.enterprise(BROKER, ['declarant', 'broker']);
    await parties.createTenant({ id: 'shenzhen', name: 'Shenzhen e-port' });
    await parties.createParty({ id: OTHER_ENTERPRISE, kind: 'enterprise', name: 'Shenzhen 100% Trading_Co', tenant: 'shenzhen' });
    await parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    await parties.createParty({ id: 'ops-sz', kind: 'operator', name: 'Shenzhen operations', tenant: 'shenzhen' });
    operator = (await parties.createKey('ops')).key;
    otherOperator = (await parties.createKey('ops-sz')).key;
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists the operator's tenant only, filtered by kind and by part of the id or name", async () => {
    const central = await ids(operator, '?kind=enterprise');
    expect(central).toEqual([BROKER, IMPORTER].sort());
    expect(await ids(operator, '?q=cus')).toEqual(['CUS']);
    expect(await ids(operator, `?q=${IMPORTER.slice(4, 10).toLowerCase()}`)).toEqual([IMPORTER]);
    expect(await ids(otherOperator, '?kind=enterprise')).toEqual([OTHER_ENTERPRISE]);
    // % and _ are matched as themselves, not as wildcards.
    expect(await ids(otherOperator, `?q=${encodeURIComponent('100%')}`)).toEqual([OTHER_ENTERPRISE]);
    expect(await ids(otherOperator, `?q=${encodeURIComponent('0_t')}`)).toEqual([]);
    expect((await ids(operator, '?limit=2')).length).toBe(2);
  });

  it('refuses everyone but operators, and a bad query with its path', async () => {
    const refused = await list(importer);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    const bad = await list(operator, '?kind=bank');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ path: 'querystring:$.kind' }] });
  });
});
