import Type, { type Static } from 'typebox';

export const DELEGATION_DIRECTIONS = ['import', 'export'] as const;
export type DelegationDirection = (typeof DELEGATION_DIRECTIONS)[number];

/** Where a delegation stands today (UTC): before its period, within it, after it, or revoked. */
export const DELEGATION_STATUSES = ['pending', 'active', 'expired', 'revoked'] as const;
export type DelegationStatus = (typeof DELEGATION_STATUSES)[number];

/** Which side of delegations a caller lists: those it granted (principal) or those it received (broker). */
export const DELEGATION_ROLES = ['granted', 'received'] as const;
export type DelegationRole = (typeof DELEGATION_ROLES)[number];

const DateOnly = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export const GrantDelegationSchema = Type.Object(
  {
    principal: Type.Optional(Type.String({ description: 'The enterprise granting: always the caller; when given it must be the caller' })),
    agent: Type.String({ description: 'Unified social credit code of the customs broker (an enterprise with the broker role)' }),
    docTypes: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50, description: 'Document type ids the broker may declare (GET /api/v1/doctypes)' }),
    directions: Type.Array(Type.Enum(DELEGATION_DIRECTIONS), { minItems: 1, maxItems: 2 }),
    validFrom: DateOnly('First day the broker may declare (UTC date)'),
    validTo: DateOnly('Last day the broker may declare (UTC date, inclusive)'),
  },
  { additionalProperties: false },
);
export type GrantDelegation = Static<typeof GrantDelegationSchema>;

export const DelegationSchema = Type.Object({
  id: Type.String(),
  principal: Type.String({ description: 'The enterprise that granted it (the importer or exporter)' }),
  agent: Type.String({ description: 'The customs broker it authorises' }),
  docTypes: Type.Array(Type.String()),
  directions: Type.Array(Type.Enum(DELEGATION_DIRECTIONS)),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.String({ format: 'date' }),
  status: Type.Enum(DELEGATION_STATUSES, { description: 'Today (UTC): pending before validFrom, active within the period, expired after validTo, or revoked' }),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()], { description: 'The principal, or the broker renouncing it' }),
});
export type Delegation = Static<typeof DelegationSchema>;

export const ListDelegationsQuerySchema = Type.Object(
  {
    role: Type.Enum(DELEGATION_ROLES, { description: 'granted: those you gave as principal; received: those you hold as broker' }),
    active: Type.Optional(Type.Boolean({ description: 'true: only those a declaration may rely on today; false: only the others' })),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'The `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ListDelegationsQuery = Static<typeof ListDelegationsQuerySchema>;

export const DelegationPageSchema = Type.Object({
  delegations: Type.Array(DelegationSchema),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last one' }),
});
export type DelegationPage = Static<typeof DelegationPageSchema>;

/** The principals a broker may declare one document type for on one day, with the directions each allows. */
export interface Mandate {
  readonly principal: string;
  readonly directions: readonly DelegationDirection[];
}
