import Type, { type Static } from 'typebox';

/** Who acted: a party of one of the three kinds, an unauthenticated caller, or Kouan itself (workers, CLI). */
export const ACTOR_KINDS = ['enterprise', 'agency', 'operator', 'anonymous', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** The actor recorded for a request without a valid API key. */
export const ANONYMOUS = 'anonymous';

/** The hash the first record chains from. */
export const GENESIS_HASH = '0'.repeat(64);

export const AuditRecordSchema = Type.Object({
  seq: Type.Integer({ description: 'Position in the chain, from 1, without gaps; pass the last one seen as `after`' }),
  at: Type.String({ format: 'date-time' }),
  tenant: Type.String(),
  actor: Type.String({ description: "The acting party's id, or `anonymous`" }),
  actorKind: Type.Enum(ACTOR_KINDS),
  keyId: Type.Union([Type.String(), Type.Null()], { description: 'The API key used' }),
  action: Type.String({ description: 'What was done, e.g. `POST /api/v1/submissions`' }),
  resource: Type.Union([Type.String(), Type.Null()], { description: 'What it was done to: a submission id, an account number, ...' }),
  resourceOwner: Type.Union([Type.String(), Type.Null()], { description: 'The party whose data it is' }),
  outcome: Type.Integer({ description: 'The HTTP status answered' }),
  ip: Type.String(),
  requestId: Type.String(),
  detail: Type.Unknown({ description: 'More about the action (JSON), or null' }),
  prevHash: Type.String({ description: 'The hash of the previous record (64 zeros before the first)' }),
  hash: Type.String({ description: 'SHA-256 (hex) of prevHash, a newline and the canonical JSON of this record' }),
});
export type AuditRecord = Static<typeof AuditRecordSchema>;

export const AuditQuerySchema = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 64, description: 'Records of what this party did' })),
    party: Type.Optional(Type.String({ maxLength: 64, description: "Records of what this party did or what was done to this party's data" })),
    action: Type.Optional(Type.String({ maxLength: 200, description: 'Exact action, e.g. `POST /api/v1/submissions`' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Records at or after this time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Records before this time' })),
    after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'The `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuerySchema>;

export const AuditPageSchema = Type.Object({
  records: Type.Array(AuditRecordSchema, { description: 'Oldest first (by seq)' }),
  next: Type.Integer({ description: 'The cursor for the next page (the last seq returned, or `after` when empty)' }),
});
export type AuditPage = Static<typeof AuditPageSchema>;

/** What the caller records; the chain adds seq, the hashes and (when left out) the time. */
export interface AuditEntry {
  readonly at?: string | undefined;
  readonly tenant: string;
  readonly actor: string;
  readonly actorKind: ActorKind;
  readonly keyId?: string | null | undefined;
  readonly action: string;
  readonly resource?: string | null | undefined;
  readonly resourceOwner?: string | null | undefined;
  readonly outcome: number;
  readonly ip: string;
  readonly requestId: string;
  readonly detail?: unknown;
}

/** The verdict of `audit verify`: how many records were checked, the head they were checked against, every problem found. */
export interface AuditVerdict {
  readonly records: number;
  /** Records committed with their writes and not chained yet (the chainer moves them into the chain shortly). */
  readonly pending: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly problems: readonly string[];
}

/** A head printed by an earlier `audit verify` and kept outside the database; a later verify checks it still holds. */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
}
