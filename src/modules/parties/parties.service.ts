import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isValidUscc } from '../codes/index.js';
import { KouanError, type FieldError } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import { SEEDED_AGENCIES } from './agencies.js';
import { UNLIMITED, type KeyTerms, type KeyTermsRecord, type PartiesRepository } from './parties.repository.js';
import { DEFAULT_ROLES, holdsAny, LOCATED_ROLES, PARTY_KINDS, ROLES, type Party, type PartyKind, type Principal, type Role } from './parties.schema.js';
import { authorize } from '../policies/index.js';

const KEY_PREFIX = 'kouan';
const KEY_PATTERN = /^kouan\.(key_[0-9A-Z]{26})\.([A-Za-z0-9_-]{43})$/;

export interface NewParty {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly roles?: readonly string[] | undefined;
  /** UN/LOCODEs where a terminal or port operates. */
  readonly locations?: readonly string[] | undefined;
  readonly tenant?: string | undefined;
}

const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;

export class PartiesService {
  constructor(
    private readonly repository: PartiesRepository,
    private readonly defaultTenant: string,
  ) {}

  /** Seeds the agencies of DESIGN.md; safe to run on every start. */
  async seedAgencies(): Promise<void> {
    const createdAt = nowIso();
    for (const agency of SEEDED_AGENCIES) {
      await this.repository.insertParty({ id: agency.id, tenant: 'central', kind: 'agency', name: agency.en, roles: ['agency'], locations: [], createdAt });
    }
  }

  /** Registers a tenant: a local e-port whose parties and submissions its operators manage. */
  async createTenant(input: { id: string; name: string }): Promise<{ id: string; name: string; createdAt: string }> {
    const errors: FieldError[] = [];
    if (!/^[a-z][a-z0-9-]{1,62}$/.test(input.id)) errors.push({ path: '$.id', code: 'FIELD_FORMAT', params: { format: 'lower-case letters, digits and -' } });
    if (input.name.trim() === '' || input.name.length > 255) errors.push({ path: '$.name', code: 'FIELD_RANGE', params: { limit: '1 to 255 characters' } });
    if (errors.length > 0) throw new KouanError('PARTY_INVALID', { errors });
    const tenant = { id: input.id, name: input.name.trim(), createdAt: nowIso() };
    if (!(await this.repository.insertTenant(tenant))) throw new KouanError('PARTY_EXISTS', { params: { id: input.id } });
    return tenant;
  }

  listTenants(): Promise<{ id: string; name: string; createdAt: string }[]> {
    return this.repository.listTenants();
  }

  /** Agencies by code prefix or name, for the `agency` code list. */
  async searchAgencies(query: string, limit: number): Promise<{ code: string; en: string; zh?: string }[]> {
    const needle = query.trim().toLowerCase();
    const seeded = new Map(SEEDED_AGENCIES.map((agency) => [agency.id, agency.zh]));
    return (await this.repository.listParties({ kind: 'agency' }))
      .filter((agency) => needle === '' || agency.id.toLowerCase().startsWith(needle) || agency.name.toLowerCase().includes(needle) || (seeded.get(agency.id) ?? '').includes(query.trim()))
      .slice(0, limit)
      .map((agency) => {
        const zh = seeded.get(agency.id);
        return zh === undefined ? { code: agency.id, en: agency.name } : { code: agency.id, en: agency.name, zh };
      });
  }

  /** Registers a party after checking its identifier for its kind. */
  async createParty(input: NewParty): Promise<Party> {
    const errors: FieldError[] = [];
    const kind = PARTY_KINDS.find((candidate) => candidate === input.kind);
    if (kind === undefined) errors.push({ path: '$.kind', code: 'FIELD_NOT_ALLOWED', params: { allowed: PARTY_KINDS.join(', ') } });
    if (kind === 'enterprise' && !isValidUscc(input.id)) errors.push({ path: '$.id', code: 'USCC_INVALID', params: { value: input.id } });
    if (kind === 'agency' && !/^[A-Z]{2,8}$/.test(input.id)) errors.push({ path: '$.id', code: 'FIELD_FORMAT', params: { format: '2 to 8 capital letters' } });
    if (kind === 'operator' && !/^[a-z][a-z0-9-]{1,62}$/.test(input.id)) errors.push({ path: '$.id', code: 'FIELD_FORMAT', params: { format: 'lower-case letters, digits and -' } });
    if (input.name.trim() === '' || input.name.length > 255) errors.push({ path: '$.name', code: 'FIELD_RANGE', params: { limit: '1 to 255 characters' } });
    const roles = [...new Set(input.roles ?? (kind === undefined ? [] : DEFAULT_ROLES[kind]))];
    const locations = [...new Set(input.locations ?? [])];
    if (kind !== undefined) errors.push(...roleProblems(kind, roles, locations));
    const tenant = input.tenant ?? this.defaultTenant;
    if (!(await this.repository.tenantExists(tenant))) errors.push({ path: '$.tenant', code: 'FIELD_NOT_ALLOWED', params: { allowed: 'an existing tenant' } });
    if (errors.length > 0 || kind === undefined) throw new KouanError('PARTY_INVALID', { errors });

    const party: Party = { id: input.id, tenant, kind, name: input.name.trim(), roles: roles as Role[], locations, createdAt: nowIso() };
    if (!(await this.repository.insertParty(party))) throw new KouanError('PARTY_EXISTS', { params: { id: input.id } });
    return party;
  }

  /**
   * Gives a party more roles (an operator's act: `kouan admin party grant`), and for a terminal or port the places
   * it operates, which replace the ones it had when given.
   */
  async grantRoles(id: string, grant: { roles: readonly string[]; locations?: readonly string[] | undefined }): Promise<Party> {
    const party = await this.getParty(id);
    const roles = [...new Set([...party.roles, ...grant.roles])];
    const locations = [...new Set(grant.locations ?? party.locations)];
    const errors = roleProblems(party.kind, grant.roles, locations, roles);
    if (errors.length > 0) throw new KouanError('PARTY_INVALID', { errors });
    return this.updateRoles(party, roles as Role[], locations);
  }

  /** Takes roles away from a party (`kouan admin party revoke`); a party keeps at least one role. */
  async revokeRoles(id: string, revoked: readonly string[]): Promise<Party> {
    const party = await this.getParty(id);
    const roles = party.roles.filter((role) => !revoked.includes(role));
    const errors: FieldError[] = [];
    revoked.forEach((role, index) => {
      if (!party.roles.includes(role as Role)) errors.push({ path: `$.roles[${index}]`, code: 'FIELD_NOT_ALLOWED', params: { allowed: party.roles.join(', ') } });
    });
    if (roles.length === 0) errors.push({ path: '$.roles', code: 'FIELD_ITEMS', params: { limit: 'a party keeps at least one role' } });
    if (errors.length > 0) throw new KouanError('PARTY_INVALID', { errors });
    const located = holdsAny(roles, LOCATED_ROLES);
    return this.updateRoles(party, roles, located ? party.locations : []);
  }

  private async updateRoles(party: Party, roles: readonly Role[], locations: readonly string[]): Promise<Party> {
    if (!(await this.repository.updateRoles(party.id, roles, locations))) throw new KouanError('PARTY_UNKNOWN', { params: { id: party.id } });
    return { ...party, roles: [...roles], locations: [...locations] };
  }

  async getParty(id: string): Promise<Party> {
    const party = await this.repository.findParty(id);
    if (party === undefined) throw new KouanError('PARTY_UNKNOWN', { params: { id } });
    return party;
  }

  listParties(kind?: PartyKind): Promise<Party[]> {
    return this.repository.listParties({ kind });
  }

  /** The parties of an operator's tenant, for finding whose users and keys to manage; anyone else is FORBIDDEN. */
  async directory(caller: Principal, filter: { kind?: PartyKind | undefined; q?: string | undefined; limit?: number | undefined }): Promise<Party[]> {
    authorize(caller, 'party.directory');
    return this.repository.listParties({ kind: filter.kind, q: filter.q, tenants: [caller.tenant], limit: filter.limit ?? 100 });
  }

  /** Issues an API key for a party, with its terms; the returned secret is shown once and stored only as a hash. */
  async createKey(partyId: string, label?: string, terms: KeyTerms = UNLIMITED): Promise<{ id: string; key: string; party: string }> {
    await this.getParty(partyId);
    const id = newId('key');
    const secret = randomBytes(32).toString('base64url');
    await this.repository.insertKey({ id, partyId, secretHash: hashSecret(secret), label: label ?? null, createdAt: nowIso(), terms });
    return { id, key: `${KEY_PREFIX}.${id}.${secret}`, party: partyId };
  }

  async revokeKey(keyId: string): Promise<void> {
    if (!(await this.repository.revokeKey(keyId, nowIso()))) throw new KouanError('NOT_FOUND');
  }

  listKeys(partyId: string): Promise<{ id: string; label: string | null; createdAt: string; revokedAt: string | null }[]> {
    return this.repository.listKeys(partyId);
  }

  /** A key's terms (users module: scopes, expiry, rotation); undefined for an unknown key. */
  keyTerms(id: string): Promise<KeyTermsRecord | undefined> {
    return this.repository.findKeyTerms(id);
  }

  /** The terms of all the party's keys, oldest first. */
  keyTermsOf(partyId: string): Promise<KeyTermsRecord[]> {
    return this.repository.listKeyTerms(partyId);
  }

  /** Brings a live key's expiry forward (a rotated key's grace period); never later than it was. */
  shortenKeyExpiry(id: string, expiresAt: string): Promise<boolean> {
    return this.repository.shortenKeyExpiry(id, expiresAt);
  }

  /** The principal behind an API key, or undefined when the key is malformed, unknown or revoked. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const match = KEY_PATTERN.exec(token);
    if (match === null) return undefined;
    const [, keyId = '', secret = ''] = match;
    const record = await this.repository.findKey(keyId);
    if (record === undefined || record.revoked) return undefined;
    const expected = Buffer.from(record.secretHash, 'hex');
    const actual = Buffer.from(hashSecret(secret), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    return { partyId: record.party.id, tenant: record.party.tenant, kind: record.party.kind, roles: record.party.roles, keyId };
  }
}

/** What is wrong with these roles (asked for) and locations for a party of this kind that will hold `held`. */
function roleProblems(kind: PartyKind, roles: readonly string[], locations: readonly string[], held: readonly string[] = roles): FieldError[] {
  const errors: FieldError[] = [];
  roles.forEach((role, index) => {
    if (!ROLES.includes(role as Role)) errors.push({ path: `$.roles[${index}]`, code: 'FIELD_NOT_ALLOWED', params: { allowed: ROLES.join(', ') } });
    else if (!rolesFor(kind).includes(role as Role)) errors.push({ path: `$.roles[${index}]`, code: 'FIELD_NOT_ALLOWED', params: { allowed: rolesFor(kind).join(', ') } });
  });
  locations.forEach((location, index) => {
    if (!LOCODE.test(location)) errors.push({ path: `$.locations[${index}]`, code: 'LOCODE_FORMAT', params: { value: location } });
  });
  const located = holdsAny(held, LOCATED_ROLES);
  // A terminal or a port publishes at its own places only: without any it could publish nothing.
  if (located && locations.length === 0) errors.push({ path: '$.locations', code: 'FIELD_REQUIRED' });
  if (!located && locations.length > 0) errors.push({ path: '$.locations', code: 'FIELD_NOT_ALLOWED', params: { allowed: 'locations only with the terminal or port role' } });
  return errors;
}

function rolesFor(kind: PartyKind): readonly Role[] {
  switch (kind) {
    case 'enterprise':
      return ['declarant', 'broker', 'carrier', 'terminal', 'port'];
    case 'agency':
      return ['agency'];
    case 'operator':
      return ['operator'];
  }
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
