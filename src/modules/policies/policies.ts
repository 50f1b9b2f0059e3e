/**
 * Who may do what to which resource, in one place. `authorize` answers for an action (the table in actions.ts);
 * the viewers say which rows of a resource a caller may see, and repositories turn them into SQL; the resource
 * rules say whether a caller may act on one resource it can see. A caller that may not see a resource gets
 * 404 from the module that looked it up, never 403, so that it learns nothing about it.
 */
import type { PartyKind, Role } from '../parties/parties.schema.js';
import type { KeyScope } from '../users/users.schema.js';
import { KouanError } from '../../shared/errors.js';
import { ACTION_IDS, ACTIONS, type Action, type ActionId } from './actions.js';

/** The caller as policies see it: a `Principal` of the parties module, or the users module's `Caller`. */
export interface Subject {
  readonly partyId: string;
  readonly tenant: string;
  readonly kind: PartyKind;
  readonly roles?: readonly Role[] | undefined;
  /** The person behind a portal session; undefined for an API key. */
  readonly userId?: string | undefined;
  readonly userRoles?: readonly string[] | undefined;
  /** The API key's scopes; undefined: all the party's rights. */
  readonly scopes?: readonly string[] | undefined;
  /** The operator at the `kouan admin` command line, who may manage every tenant. */
  readonly console?: boolean | undefined;
}

/** The agency that verifies declarations against every account, and so sees them all: customs. */
export const VERIFYING_AGENCY = 'CUS';

/** Whether a caller's credential carries a scope; sessions and unscoped keys carry all of their party's. */
export function hasScope(caller: Subject, scope: KeyScope): boolean {
  if (caller.console === true) return true;
  // A person acts with every right of the party except managing it, which needs the admin role.
  if (caller.userId !== undefined) return scope !== 'admin' || caller.userRoles?.includes('admin') === true;
  return caller.scopes === undefined || caller.scopes.includes(scope);
}

/** Why the caller may not take the action, or undefined when it may (on resources it can see). */
export function refusal(caller: Subject, id: ActionId): KouanError | undefined {
  const action: Action = ACTIONS[id];
  // The scope first: a key limited to other scopes is told which one it lacks, whatever its party may do.
  if (action.scope !== undefined && !hasScope(caller, action.scope)) {
    return caller.userId === undefined && caller.console !== true ? new KouanError('SCOPE_MISSING', { params: { scope: action.scope } }) : new KouanError('FORBIDDEN');
  }
  if (!action.kinds.includes(caller.kind)) return new KouanError('FORBIDDEN');
  const roles = action.enterpriseRoles;
  if (caller.kind === 'enterprise' && roles !== undefined && !roles.some((role) => caller.roles?.includes(role) === true)) return new KouanError(action.refusal ?? 'FORBIDDEN');
  return undefined;
}

/** Whether the caller may take the action at all. */
export function permits(caller: Subject, id: ActionId): boolean {
  return refusal(caller, id) === undefined;
}

/** Throws the problem that refuses the action (403), if any. */
export function authorize(caller: Subject, id: ActionId): void {
  const refused = refusal(caller, id);
  if (refused !== undefined) throw refused;
}

/** Every action the caller may take, in the table's order. */
export function permittedActions(caller: Subject): ActionId[] {
  return ACTION_IDS.filter((id) => permits(caller, id));
}

// ---------------------------------------------------------------- what a caller sees

/** Whose documents a caller sees: an enterprise those it is party to, an agency the parts routed to it, an operator its tenant's. */
export type SubmissionViewer =
  | { readonly kind: 'enterprise'; readonly party: string }
  | { readonly kind: 'agency'; readonly party: string }
  | { readonly kind: 'operator'; readonly tenant: string };

export function submissionViewer(caller: Subject): SubmissionViewer {
  switch (caller.kind) {
    case 'enterprise':
      return { kind: 'enterprise', party: caller.partyId };
    case 'agency':
      return { kind: 'agency', party: caller.partyId };
    case 'operator':
      return { kind: 'operator', tenant: caller.tenant };
  }
}

/** The agency whose part alone a caller sees of a document; undefined for the parties and operators, who see it whole. */
export function partAgency(viewer: SubmissionViewer): string | undefined {
  return viewer.kind === 'agency' ? viewer.party : undefined;
}

/** Whose ledger accounts a caller sees: what it holds or issued, what its agency issued (customs: all), its tenant's. */
export type LedgerViewer =
  | { readonly kind: 'holder'; readonly party: string }
  | { readonly kind: 'issuer'; readonly party: string }
  | { readonly kind: 'all'; readonly tenant?: string };

export function ledgerViewer(caller: Subject): LedgerViewer {
  switch (caller.kind) {
    case 'enterprise':
      return { kind: 'holder', party: caller.partyId };
    case 'agency':
      return caller.partyId === VERIFYING_AGENCY ? { kind: 'all' } : { kind: 'issuer', party: caller.partyId };
    case 'operator':
      return { kind: 'all', tenant: caller.tenant };
  }
}

/** Whether a caller sees one account (its holder and issuer named, and its tenant). */
export function seesAccount(caller: Subject, account: { readonly holder: string; readonly issuer: string; readonly tenant: string }): boolean {
  const viewer = ledgerViewer(caller);
  switch (viewer.kind) {
    case 'holder':
      return account.holder === viewer.party || account.issuer === viewer.party;
    case 'issuer':
      return account.issuer === viewer.party;
    case 'all':
      return viewer.tenant === undefined || account.tenant === viewer.tenant;
  }
}

/** Who a caller issues accounts as: an agency by its code, a carrier for its bills. */
export type CallerIssuer = { readonly kind: 'agency'; readonly party: string } | { readonly kind: 'carrier'; readonly party: string };

/** The issuer the caller is; the refusal of `ledger.issue` when it may issue nothing. */
export function issuingParty(caller: Subject): CallerIssuer {
  authorize(caller, 'ledger.issue');
  return caller.kind === 'agency' ? { kind: 'agency', party: caller.partyId } : { kind: 'carrier', party: caller.partyId };
}

/**
 * Whether a caller that may manage users and keys manages this party's: its own, or (an operator) any party
 * of its tenant; the command line's operator manages every party. `party` undefined: asked before looking it
 * up, so that a refusal says nothing about whether it exists.
 */
export function managesParty(caller: Subject, partyId: string, party?: { readonly id: string; readonly tenant: string }): boolean {
  if (!permits(caller, 'users.manage')) return false;
  if (caller.console === true || caller.partyId === partyId) return true;
  if (caller.kind !== 'operator') return false;
  return party === undefined || party.tenant === caller.tenant;
}
