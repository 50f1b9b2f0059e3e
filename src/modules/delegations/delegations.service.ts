import type { Transaction } from 'kysely';
import { isValidUscc } from '../codes/index.js';
import type { Principal } from '../parties/index.js';
import type { Database } from '../../store/schema.js';
import { KouanError, type FieldError } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { DelegationRow, DelegationsRepository } from './delegations.repository.js';
import { authorize } from '../policies/index.js';
import {
  DELEGATION_DIRECTIONS,
  type Delegation,
  type DelegationDirection,
  type DelegationPage,
  type DelegationStatus,
  type GrantDelegation,
  type ListDelegationsQuery,
  type Mandate,
} from './delegations.schema.js';

/** What the delegations module needs to know of a party: an agent must be an enterprise with the broker role. */
export type FindParty = (id: string) => Promise<{ readonly kind: string; readonly roles: readonly string[] } | undefined>;

export interface DelegationsOptions {
  /** The document type ids a delegation may name (the registry's). */
  readonly docTypes: readonly string[];
  readonly findParty: FindParty;
}

const BROKER_ROLE = 'broker';
const DEFAULT_PAGE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Delegations (委托报关): an enterprise authorises a customs broker to declare for it, for some document types and
 * directions, over a period of UTC days. Revocation is a guarded update read by every later check, so it takes
 * effect at once; nothing is cached.
 */
export class DelegationsService {
  constructor(
    private readonly repository: DelegationsRepository,
    private readonly options: DelegationsOptions,
  ) {}

  /** An enterprise authorises a broker to declare for it; answers the stored delegation or DELEGATION_INVALID. */
  async grant(caller: Principal, request: GrantDelegation): Promise<Delegation> {
    authorize(caller, 'delegation.grant');
    if (request.principal !== undefined && request.principal !== caller.partyId) throw new KouanError('FORBIDDEN');
    const today = utcToday();
    const errors: FieldError[] = [...(await this.agentProblems(caller, request.agent))];

    const docTypes = [...new Set(request.docTypes)].sort();
    if (docTypes.length === 0) errors.push({ path: '$.docTypes', code: 'FIELD_ITEMS', params: { limit: 'at least 1' } });
    request.docTypes.forEach((docType, index) => {
      if (!this.options.docTypes.includes(docType)) errors.push({ path: `$.docTypes[${index}]`, code: 'FIELD_NOT_ALLOWED', params: { allowed: this.options.docTypes.join(', ') } });
    });

    const directions = DELEGATION_DIRECTIONS.filter((direction) => request.directions.includes(direction));
    if (request.directions.length === 0) errors.push({ path: '$.directions', code: 'FIELD_ITEMS', params: { limit: 'at least 1' } });
    request.directions.forEach((direction, index) => {
      if (!isDirection(direction)) errors.push({ path: `$.directions[${index}]`, code: 'FIELD_NOT_ALLOWED', params: { allowed: DELEGATION_DIRECTIONS.join(', ') } });
    });

    const fromValid = isDay(request.validFrom);
    const toValid = isDay(request.validTo);
    if (!fromValid) errors.push({ path: '$.validFrom', code: 'FIELD_FORMAT', params: { format: 'YYYY-MM-DD (a calendar date)' } });
    if (!toValid) errors.push({ path: '$.validTo', code: 'FIELD_FORMAT', params: { format: 'YYYY-MM-DD (a calendar date)' } });
    if (fromValid && toValid && request.validTo < request.validFrom) {
      errors.push({ path: '$.validTo', code: 'DELEGATION_PERIOD_INVALID', params: { validFrom: request.validFrom, validTo: request.validTo } });
    } else if (toValid && request.validTo < today) {
      errors.push({ path: '$.validTo', code: 'DELEGATION_PERIOD_ENDED', params: { validTo: request.validTo, today } });
    }
    if (errors.length > 0) throw new KouanError('DELEGATION_INVALID', { params: { count: errors.length }, errors });

    const row: DelegationRow = {
      id: newId('dlg'),
      principal: caller.partyId,
      agent: request.agent,
      doc_types: JSON.stringify(docTypes),
      directions: JSON.stringify(directions),
      valid_from: request.validFrom,
      valid_to: request.validTo,
      created_at: nowIso(),
      revoked_at: null,
      revoked_by: null,
    };
    await this.repository.insert(row);
    return toView(row, today);
  }

  /** A delegation, for its principal or its agent; NOT_FOUND for anyone else. */
  async get(caller: Principal, id: string): Promise<Delegation> {
    authorize(caller, 'delegation.read');
    const row = await this.repository.find(id);
    if (row === undefined || (row.principal !== caller.partyId && row.agent !== caller.partyId)) throw new KouanError('NOT_FOUND');
    return toView(row, utcToday());
  }

  /**
   * Ends a delegation at once: by its principal, or by its agent renouncing it. NOT_FOUND for anyone else,
   * DELEGATION_REVOKED when it already was.
   */
  async revoke(caller: Principal, id: string): Promise<Delegation> {
    authorize(caller, 'delegation.grant');
    const outcome = await this.repository.revoke(id, caller.partyId, nowIso());
    if (outcome === undefined) throw new KouanError('NOT_FOUND');
    if (!outcome.revokedNow) throw new KouanError('DELEGATION_REVOKED', { params: { id, revokedAt: outcome.row.revoked_at ?? '' } });
    return toView(outcome.row, utcToday());
  }

  /** The delegations the caller granted (as principal) or received (as broker), newest first, a page at a time. */
  async list(caller: Principal, query: ListDelegationsQuery): Promise<DelegationPage> {
    authorize(caller, 'delegation.read');
    const today = utcToday();
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.repository.list({
      side: query.role === 'granted' ? 'principal' : 'agent',
      party: caller.partyId,
      active: query.active,
      day: today,
      before: query.cursor,
      limit,
    });
    return { delegations: rows.map((row) => toView(row, today)), next: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
  }

  /**
   * True when an unrevoked delegation from `principal` lets `agent` declare `docType` in `direction` on `date`
   * (a UTC day, YYYY-MM-DD; a timestamp counts as its UTC day). Whether the agent still holds the broker role is
   * the caller's check. Inside a transaction on PostgreSQL the delegation stays share-locked until it ends, so
   * a concurrent revocation waits for whatever the transaction stores relying on it.
   */
  async authorizes(agent: string, principal: string, docType: string, direction: string, date: string, trx?: Transaction<Database>): Promise<boolean> {
    const rows = await this.repository.inForce(agent, principal, utcDay(date), trx);
    return rows.some((row) => covers(row, docType, direction));
  }

  /**
   * Every principal that lets `agent` declare `docType` on `date`, with the directions it allows: what a
   * document's rules need to check a broker's declaration for any of its principals, in one query.
   */
  async mandates(agent: string, docType: string, date: string): Promise<Mandate[]> {
    const byPrincipal = new Map<string, Set<DelegationDirection>>();
    for (const row of await this.repository.inForce(agent, undefined, utcDay(date))) {
      if (!parseStrings(row.doc_types).includes(docType)) continue;
      const directions = byPrincipal.get(row.principal) ?? new Set<DelegationDirection>();
      for (const direction of parseStrings(row.directions)) if (isDirection(direction)) directions.add(direction);
      byPrincipal.set(row.principal, directions);
    }
    return [...byPrincipal]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([principal, directions]) => ({ principal, directions: DELEGATION_DIRECTIONS.filter((direction) => directions.has(direction)) }));
  }

  private async agentProblems(caller: Principal, agent: string): Promise<FieldError[]> {
    if (!isValidUscc(agent)) return [{ path: '$.agent', code: 'USCC_INVALID', params: { value: agent } }];
    if (agent === caller.partyId) return [{ path: '$.agent', code: 'DELEGATION_SELF' }];
    const party = await this.options.findParty(agent);
    if (party?.kind !== 'enterprise') return [{ path: '$.agent', code: 'DELEGATION_AGENT_UNKNOWN', params: { agent } }];
    if (!party.roles.includes(BROKER_ROLE)) return [{ path: '$.agent', code: 'DELEGATION_AGENT_NOT_BROKER', params: { agent } }];
    return [];
  }
}

function covers(row: DelegationRow, docType: string, direction: string): boolean {
  return parseStrings(row.doc_types).includes(docType) && parseStrings(row.directions).includes(direction);
}

function toView(row: DelegationRow, today: string): Delegation {
  return {
    id: row.id,
    principal: row.principal,
    agent: row.agent,
    docTypes: parseStrings(row.doc_types),
    directions: parseStrings(row.directions).filter(isDirection),
    validFrom: row.valid_from,
    validTo: row.valid_to,
    status: statusOn(row, today),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

function statusOn(row: DelegationRow, day: string): DelegationStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (day < row.valid_from) return 'pending';
  if (day > row.valid_to) return 'expired';
  return 'active';
}

function parseStrings(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isDirection(value: string): value is DelegationDirection {
  return (DELEGATION_DIRECTIONS as readonly string[]).includes(value);
}

/** A real calendar date written YYYY-MM-DD. */
function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function utcToday(): string {
  return nowIso().slice(0, 10);
}

/** The UTC day of a date or timestamp; a malformed one is a programming error, not a refusal. */
function utcDay(date: string): string {
  if (isDay(date)) return date;
  const time = DAY.test(date) ? Number.NaN : Date.parse(date);
  if (Number.isNaN(time)) throw new TypeError(`Not a date: ${date}`);
  return new Date(time).toISOString().slice(0, 10);
}
