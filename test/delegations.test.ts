/**
 * Delegations (委托报关) on both stores, at the service level: an enterprise authorises a broker for a period,
 * document types and directions; `authorizes` answers the submissions pipeline; revocation takes effect at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDelegationsModule, type DelegationsService, type GrantDelegation } from '../src/modules/delegations/index.js';
import { createPartiesModule, type PartiesService, type Principal } from '../src/modules/parties/index.js';
import { KouanError } from '../src/shared/errors.js';
import { up } from '../src/store/migrations/0005-delegations.js';
import { knownMigrations, openStore, type Store } from '../src/store/store.js';
import { BROKER, EXPORTER, IMPORTER, OTHER_ENTERPRISE } from './support/fixtures.js';
import { createTestStore, storeKinds, type TestStore } from './support/stores.js';

const kinds = await storeKinds();
const DAY_MS = 86_400_000;
/** The UTC day `offset` days from today. */
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const today = day(0);
const GOODS = 'goods-declaration';
/** A second document type the delegations module is told about, so that "another type" can be tested. */
const MANIFEST = 'cargo-manifest';
/** Enterprises registered by one test each, so that what they granted is all a test sees of them. */
const SHENZHEN = '91440300MA5FA5XK3A';
const BEIJING = '91110108MA01RGNE60';
const NINGBO = '91330200MA2CL3PQ1U';

async function refusal(attempt: Promise<unknown>): Promise<KouanError> {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof KouanError) return error;
    throw error;
  }
  throw new Error('expected a refusal, got an answer');
}

describe.each(kinds)('delegations on %s', (kind) => {
  let testStore: TestStore;
  let store: Store;
  let parties: PartiesService;
  let delegations: DelegationsService;
  let importer: Principal;
  let broker: Principal;
  let other: Principal;
  let customs: Principal;

  const principalOf = async (id: string) => {
    const principal = await parties.authenticate((await parties.createKey(id)).key);
    if (principal === undefined) throw new Error(`no principal for ${id}`);
    return principal;
  };
  const enterprise = async (id: string) => {
    await parties.createParty({ id, kind: 'enterprise', name: `Enterprise ${id}` });
    return principalOf(id);
  };

  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config);
    // Until the migration is registered in store.ts, the test applies it itself.
    if (!knownMigrations().includes('0005-delegations')) await up(store.db, store.dialect);
    parties = createPartiesModule(store.db, 'central');
    await parties.seedAgencies();
    delegations = createDelegationsModule(store.db, store.dialect, parties, [GOODS, MANIFEST]);
    await parties.createParty({ id: IMPORTER, kind: 'enterprise', name: 'Shanghai Example Trading Co., Ltd.' });
    await parties.createParty({ id: BROKER, kind: 'enterprise', name: 'Example Customs Brokerage Co., Ltd.', roles: ['declarant', 'broker'] });
    await parties.createParty({ id: OTHER_ENTERPRISE, kind: 'enterprise', name: 'Another Trading Co., Ltd.' });
    importer = await principalOf(IMPORTER);
    broker = await principalOf(BROKER);
    other = await principalOf(OTHER_ENTERPRISE);
    customs = await principalOf('CUS');
  });
  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  /** Import goods declarations for a year from today. */
  const request = (overrides: Partial<GrantDelegation> = {}): GrantDelegation => ({
    agent: BROKER,
    docTypes: [GOODS],
    directions: ['import'],
    validFrom: today,
    validTo: day(365),
    ...overrides,
  });
  const count = async () => Number((await store.db.selectFrom('delegations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('granting', () => {
    it('stores what the principal authorised, with itself as principal', async () => {
      const granted = await delegations.grant(importer, request({ docTypes: [MANIFEST, GOODS, GOODS], directions: ['export', 'import'] }));
      expect(granted).toEqual({
        id: expect.stringMatching(/^dlg_[0-9A-Z]{26}$/),
        principal: IMPORTER,
        agent: BROKER,
        docTypes: [MANIFEST, GOODS].sort(),
        directions: ['import', 'export'],
        validFrom: today,
        validTo: day(365),
        status: 'active',
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        revokedAt: null,
        revokedBy: null,
      });
      expect(await delegations.get(importer, granted.id)).toEqual(granted);
      expect(await delegations.get(broker, granted.id)).toEqual(granted);
    });

    it('accepts a delegation that starts later, as pending', async () => {
      const granted = await delegations.grant(importer, request({ validFrom: day(10), validTo: day(20) }));
      expect(granted.status).toBe('pending');
    });

    it('refuses an agent without the broker role, an unknown one, a malformed one and the principal itself', async () => {
      const before = await count();
      const cases: [string, { path: string; code: string; params?: Record<string, unknown> }][] = [
        [OTHER_ENTERPRISE, { path: '$.agent', code: 'DELEGATION_AGENT_NOT_BROKER', params: { agent: OTHER_ENTERPRISE } }],
        [EXPORTER, { path: '$.agent', code: 'DELEGATION_AGENT_UNKNOWN', params: { agent: EXPORTER } }],
        ['CUS', { path: '$.agent', code: 'USCC_INVALID', params: { value: 'CUS' } }],
        ['91310115MA1H7L0Q2X', { path: '$.agent', code: 'USCC_INVALID', params: { value: '91310115MA1H7L0Q2X' } }],
        [IMPORTER, { path: '$.agent', code: 'DELEGATION_SELF' }],
      ];
      for (const [agent, expected] of cases) {
        const error = await refusal(delegations.grant(importer, request({ agent })));
        expect(error.code).toBe('DELEGATION_INVALID');
        expect(error.status).toBe(422);
        expect(error.errors).toEqual([expected]);
      }
      expect(await count()).toBe(before);
    });

    it('makes granting for someone else impossible', async () => {
      const before = await count();
      // An enterprise naming another principal, the broker trying to authorise itself, an agency: all forbidden.
      expect((await refusal(delegations.grant(other, request({ principal: IMPORTER })))).code).toBe('FORBIDDEN');
      expect((await refusal(delegations.grant(broker, request({ principal: IMPORTER })))).code).toBe('FORBIDDEN');
      expect((await refusal(delegations.grant(customs, request()))).code).toBe('FORBIDDEN');
      expect(await count()).toBe(before);
      // Naming oneself is allowed: the principal is the caller either way.
      const own = await delegations.grant(other, request({ principal: OTHER_ENTERPRISE }));
      expect(own.principal).toBe(OTHER_ENTERPRISE);
    });

    it('validates the dates: real calendar days, validFrom <= validTo, not already over', async () => {
      const before = await count();
      const shapes = await refusal(delegations.grant(importer, request({ validFrom: '2026-02-30', validTo: '2026-13-01' })));
      expect(shapes.code).toBe('DELEGATION_INVALID');
      expect(shapes.errors).toEqual([
        { path: '$.validFrom', code: 'FIELD_FORMAT', params: { format: 'YYYY-MM-DD (a calendar date)' } },
        { path: '$.validTo', code: 'FIELD_FORMAT', params: { format: 'YYYY-MM-DD (a calendar date)' } },
      ]);
      const reversed = await refusal(delegations.grant(importer, request({ validFrom: day(30), validTo: day(29) })));
      expect(reversed.errors).toEqual([{ path: '$.validTo', code: 'DELEGATION_PERIOD_INVALID', params: { validFrom: day(30), validTo: day(29) } }]);
      const over = await refusal(delegations.grant(importer, request({ validFrom: day(-30), validTo: day(-1) })));
      expect(over.errors).toEqual([{ path: '$.validTo', code: 'DELEGATION_PERIOD_ENDED', params: { validTo: day(-1), today } }]);
      // A single day, today, is a valid period; so is one that began in the past.
      expect((await delegations.grant(importer, request({ validFrom: today, validTo: today }))).status).toBe('active');
      expect((await delegations.grant(importer, request({ validFrom: day(-30), validTo: today }))).status).toBe('active');
      expect(await count()).toBe(before + 2);
    });

    it('refuses unknown document types and directions, and empty lists, reporting every problem at once', async () => {
      const error = await refusal(
        delegations.grant(importer, { agent: OTHER_ENTERPRISE, docTypes: [GOODS, 'gods-declaration'], directions: ['import', 'transit' as 'import'], validFrom: day(1), validTo: day(0) }),
      );
      expect(error.params).toEqual({ count: 4 });
      expect(error.errors).toEqual([
        { path: '$.agent', code: 'DELEGATION_AGENT_NOT_BROKER', params: { agent: OTHER_ENTERPRISE } },
        { path: '$.docTypes[1]', code: 'FIELD_NOT_ALLOWED', params: { allowed: `${GOODS}, ${MANIFEST}` } },
        { path: '$.directions[1]', code: 'FIELD_NOT_ALLOWED', params: { allowed: 'import, export' } },
        { path: '$.validTo', code: 'DELEGATION_PERIOD_INVALID', params: { validFrom: day(1), validTo: day(0) } },
      ]);
      const empty = await refusal(delegations.grant(importer, request({ docTypes: [], directions: [] })));
      expect(empty.errors).toEqual([
        { path: '$.docTypes', code: 'FIELD_ITEMS', params: { limit: 'at least 1' } },
        { path: '$.directions', code: 'FIELD_ITEMS', params: { limit: 'at least 1' } },
      ]);
    });

    it('keeps a period that ends before it starts out of the table itself', async () => {
      const insert = store.db
        .insertInto('delegations')
        .values({ id: 'dlg_bad', principal: IMPORTER, agent: BROKER, doc_types: '[]', directions: '[]', valid_from: day(2), valid_to: day(1), created_at: new Date().toISOString(), revoked_at: null, revoked_by: null })
        .execute();
      await expect(insert).rejects.toThrow(/check/i);
    });
  });

  describe('listing', () => {
    it('shows each side its own: granted to the principal, received to the broker, nothing to a third party', async () => {
      const granted = await delegations.grant(importer, request());
      const mine = await delegations.list(importer, { role: 'granted' });
      expect(mine.delegations.map((delegation) => delegation.id)).toContain(granted.id);
      expect(mine.delegations.every((delegation) => delegation.principal === IMPORTER)).toBe(true);
      const received = await delegations.list(broker, { role: 'received' });
      expect(received.delegations).toContainEqual(granted);
      expect(received.delegations.every((delegation) => delegation.agent === BROKER)).toBe(true);
      // The broker granted nothing; the importer received nothing.
      expect((await delegations.list(broker, { role: 'granted' })).delegations).toEqual([]);
      expect((await delegations.list(importer, { role: 'received' })).delegations).toEqual([]);
      // A third party sees neither side of it.
      expect((await delegations.list(other, { role: 'granted' })).delegations.map((delegation) => delegation.id)).not.toContain(granted.id);
      expect((await delegations.list(other, { role: 'received' })).delegations).toEqual([]);
      expect((await refusal(delegations.get(other, granted.id))).code).toBe('NOT_FOUND');
      expect((await refusal(delegations.list(customs, { role: 'received' }))).code).toBe('FORBIDDEN');
    });

    it('filters on whether a delegation is in force today, newest first, a page at a time', async () => {
      const active = await delegations.grant(importer, request());
      const pending = await delegations.grant(importer, request({ validFrom: day(5) }));
      const revoked = await delegations.grant(importer, request());
      await delegations.revoke(importer, revoked.id);

      const inForce = (await delegations.list(importer, { role: 'granted', active: true })).delegations;
      expect(inForce.map((delegation) => delegation.id)).toContain(active.id);
      expect(inForce.every((delegation) => delegation.status === 'active')).toBe(true);
      const notInForce = (await delegations.list(importer, { role: 'granted', active: false })).delegations;
      expect(notInForce.map((delegation) => delegation.id)).toEqual(expect.arrayContaining([pending.id, revoked.id]));
      expect(notInForce.map((delegation) => delegation.id)).not.toContain(active.id);
      expect(new Set(notInForce.map((delegation) => delegation.status))).toEqual(new Set(['pending', 'revoked']));

      const all = (await delegations.list(importer, { role: 'granted', limit: 200 })).delegations.map((delegation) => delegation.id);
      expect(all).toEqual([...all].sort().reverse());
      const pages: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await delegations.list(importer, { role: 'granted', limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(...page.delegations.map((delegation) => delegation.id));
        if (page.next === null) break;
        cursor = page.next;
      }
      expect(pages).toEqual(all);
    });
  });

  describe('authorizes', () => {
    it('is true within the period, the document types and the directions, and false outside each', async () => {
      await delegations.grant(await enterprise(SHENZHEN), request({ docTypes: [GOODS], directions: ['export'], validFrom: day(-3), validTo: day(3) }));
      const ask = (overrides: { agent?: string; principal?: string; docType?: string; direction?: string; date?: string } = {}) =>
        delegations.authorizes(overrides.agent ?? BROKER, overrides.principal ?? SHENZHEN, overrides.docType ?? GOODS, overrides.direction ?? 'export', overrides.date ?? today);

      expect(await ask()).toBe(true);
      expect(await ask({ date: day(-3) })).toBe(true);
      expect(await ask({ date: day(3) })).toBe(true);
      expect(await ask({ date: new Date().toISOString() })).toBe(true);

      expect(await ask({ date: day(-4) })).toBe(false);
      expect(await ask({ date: day(4) })).toBe(false);
      expect(await ask({ docType: MANIFEST })).toBe(false);
      expect(await ask({ docType: 'unknown-type' })).toBe(false);
      expect(await ask({ direction: 'import' })).toBe(false);
      // Not for another principal, not for another agent, and not the other way round.
      expect(await ask({ principal: OTHER_ENTERPRISE })).toBe(false);
      expect(await ask({ agent: OTHER_ENTERPRISE })).toBe(false);
      expect(await ask({ agent: SHENZHEN, principal: BROKER })).toBe(false);
    });

    it('lists the mandates a broker holds for a document type on a day, one per principal', async () => {
      await delegations.grant(importer, request({ docTypes: [MANIFEST], directions: ['import'] }));
      await delegations.grant(importer, request({ docTypes: [MANIFEST, GOODS], directions: ['export'] }));
      await delegations.grant(other, request({ docTypes: [MANIFEST], directions: ['export'], validFrom: day(1) }));
      const revoked = await delegations.grant(other, request({ docTypes: [MANIFEST], directions: ['import'] }));
      await delegations.revoke(other, revoked.id);

      expect(await delegations.mandates(BROKER, MANIFEST, today)).toEqual([{ principal: IMPORTER, directions: ['import', 'export'] }]);
      expect(await delegations.mandates(BROKER, MANIFEST, day(1))).toEqual(
        [
          { principal: IMPORTER, directions: ['import', 'export'] },
          { principal: OTHER_ENTERPRISE, directions: ['export'] },
        ].sort((a, b) => (a.principal < b.principal ? -1 : 1)),
      );
      expect(await delegations.mandates(OTHER_ENTERPRISE, MANIFEST, today)).toEqual([]);
    });
  });

  describe('revoking', () => {
    it('takes effect at once: authorizes is false right after the principal revokes', async () => {
      const principal = await enterprise(BEIJING);
      const granted = await delegations.grant(principal, request());
      expect(await delegations.authorizes(BROKER, BEIJING, GOODS, 'import', today)).toBe(true);

      const revoked = await delegations.revoke(principal, granted.id);
      expect(revoked).toMatchObject({ id: granted.id, status: 'revoked', revokedBy: BEIJING, revokedAt: expect.any(String) });
      expect(await delegations.authorizes(BROKER, BEIJING, GOODS, 'import', today)).toBe(false);
      expect(await delegations.get(broker, granted.id)).toEqual(revoked);
      expect(await delegations.mandates(BROKER, GOODS, today)).not.toContainEqual(expect.objectContaining({ principal: BEIJING }));

      const again = await refusal(delegations.revoke(principal, granted.id));
      expect(again.code).toBe('DELEGATION_REVOKED');
      expect(again.status).toBe(409);
      expect(again.params).toEqual({ id: granted.id, revokedAt: revoked.revokedAt });
    });

    it('lets the broker renounce a delegation it received', async () => {
      const granted = await delegations.grant(importer, request({ docTypes: [MANIFEST], directions: ['export'], validFrom: today, validTo: day(1) }));
      const renounced = await delegations.revoke(broker, granted.id);
      expect(renounced).toMatchObject({ status: 'revoked', revokedBy: BROKER });
      expect((await refusal(delegations.revoke(importer, granted.id))).code).toBe('DELEGATION_REVOKED');
    });

    it('answers NOT_FOUND to other enterprises, FORBIDDEN to agencies, and leaves the delegation in force', async () => {
      const granted = await delegations.grant(importer, request({ docTypes: [GOODS], directions: ['export'] }));
      expect((await refusal(delegations.revoke(other, granted.id))).code).toBe('NOT_FOUND');
      expect((await refusal(delegations.revoke(customs, granted.id))).code).toBe('FORBIDDEN');
      expect((await refusal(delegations.revoke(importer, 'dlg_00000000000000000000000000'))).code).toBe('NOT_FOUND');
      expect((await delegations.get(importer, granted.id)).status).toBe('active');
      expect(await delegations.authorizes(BROKER, IMPORTER, GOODS, 'export', today)).toBe(true);
    });

    it('waits for a transaction that relies on the delegation, so what it stored came first', async () => {
      const principal = await enterprise(NINGBO);
      const granted = await delegations.grant(principal, request({ docTypes: [MANIFEST], directions: ['import'], validTo: day(2) }));
      let revocation: Promise<unknown> | undefined;
      let revokedDuringTransaction = false;
      await store.db.transaction().execute(async (trx) => {
        expect(await delegations.authorizes(BROKER, NINGBO, MANIFEST, 'import', today, trx)).toBe(true);
        revocation = delegations.revoke(principal, granted.id).then(() => {
          revokedDuringTransaction = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(revokedDuringTransaction).toBe(false);
      });
      await revocation;
      expect(revokedDuringTransaction).toBe(true);
      expect(await delegations.authorizes(BROKER, NINGBO, MANIFEST, 'import', today)).toBe(false);
    });
  });
});
