import Type, { type Static } from 'typebox';

export const PARTY_KINDS = ['enterprise', 'agency', 'operator'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/**
 * Roles a party may hold. `declarant` enterprises declare their own goods; `broker`s may declare for others.
 * `carrier`, `terminal` and `port` enterprises publish movements (docs/tracking.md): an operator vouches for them,
 * because what they publish shows up in other parties' timelines.
 */
export const ROLES = ['declarant', 'broker', 'agency', 'operator', 'carrier', 'terminal', 'port'] as const;
export type Role = (typeof ROLES)[number];

/** The roles that publish movement events, and those of them that do so at their own locations only. */
export const PUBLISHER_ROLES = ['carrier', 'terminal', 'port'] as const satisfies readonly Role[];
export const LOCATED_ROLES = ['terminal', 'port'] as const satisfies readonly Role[];
export type PublisherRole = (typeof PUBLISHER_ROLES)[number];

/** Whether a role (as held, or as asked for in a request) is one of this set. */
export function isOneOf<R extends Role>(role: string, set: readonly R[]): role is R {
  return (set as readonly string[]).includes(role);
}

/** Whether any of these roles is one of this set. */
export function holdsAny(roles: readonly string[], set: readonly Role[]): boolean {
  return roles.some((role) => isOneOf(role, set));
}

export const DEFAULT_ROLES: Readonly<Record<PartyKind, readonly Role[]>> = {
  enterprise: ['declarant'],
  agency: ['agency'],
  operator: ['operator'],
};

export const PartySchema = Type.Object({
  id: Type.String({ description: 'Unified social credit code (enterprise), agency code (agency) or operator id' }),
  tenant: Type.String({ description: 'The local e-port the party belongs to' }),
  kind: Type.Enum(PARTY_KINDS),
  name: Type.String(),
  roles: Type.Array(Type.Enum(ROLES)),
  locations: Type.Array(Type.String(), { description: 'UN/LOCODEs where a terminal or port operates: it publishes movements there only' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Party = Static<typeof PartySchema>;

/** Who is calling: the party behind an authenticated API key or portal session. */
export interface Principal {
  readonly partyId: string;
  readonly tenant: string;
  readonly kind: PartyKind;
  readonly roles: readonly Role[];
  /** The API key used; for a portal session, the user's id (so the audit log names the person). */
  readonly keyId: string;
  /** The person behind a portal session (users module); undefined for an API key. */
  readonly userId?: string | undefined;
  /** That person's roles in the party (`admin` manages its users and keys). */
  readonly userRoles?: readonly string[] | undefined;
  /** The API key's scopes (users module KEY_SCOPES); undefined: all the party's rights. */
  readonly scopes?: readonly string[] | undefined;
}

/** The caller as GET /api/v1/me shows it. */
export const MeSchema = Type.Object({
  party: Type.String(),
  tenant: Type.String(),
  kind: Type.Enum(PARTY_KINDS),
  roles: Type.Array(Type.Enum(ROLES)),
  key: Type.String({ description: 'The id of the API key used' }),
});
export type Me = Static<typeof MeSchema>;
