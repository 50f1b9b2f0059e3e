import Type, { type Static } from 'typebox';

const DECIMAL = '^\\d+(\\.\\d+)?$';
const Decimal = (description: string) => Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: DECIMAL })], { description });
const DateOnly = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export const ACCOUNT_STATUSES = ['active', 'suspended', 'revoked', 'closed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** `reverse` gives back what a post wrote off, when an approved withdrawal or amendment undoes the release. */
export const ENTRY_KINDS = ['issue', 'reserve', 'post', 'void', 'expire', 'suspend', 'reinstate', 'revoke', 'extend', 'close', 'enter', 'reverse'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** How a temporary admission's items leave the account (核销方式): re-exported, imported for good, abandoned or destroyed. */
export const WRITE_OFF_KINDS = ['re-export', 'conversion', 'abandonment', 'destruction'] as const;
export type WriteOffKind = (typeof WRITE_OFF_KINDS)[number];

/** The ledger models (docs/ledger.md, "Models"): what an account's lines mean and how claims take from them. */
export const MODEL_IDS = ['quantity', 'processing-manual', 'temporary-admission', 'transport-document', 'money'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export const IssueAccountSchema = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 64, description: 'Account type id (GET /api/v1/ledger/types)' }),
    number: Type.Optional(Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{2,63}$', description: 'Generated from the type prefix when absent' })),
    holder: Type.String({ description: 'Unified social credit code of the enterprise the account is issued to' }),
    direction: Type.Enum(['import', 'export']),
    validFrom: DateOnly('First day of validity (UTC date)'),
    validTo: DateOnly('Last day of validity (UTC date)'),
    ports: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$' }), { maxItems: 50, description: 'UN/LOCODEs where it may be used; any port when absent' })),
    maxUses: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'How many declarations may use it; 1 for single-use types' })),
    tolerancePct: Type.Optional(Decimal('Allowed overshoot of each line in percent (the type sets the default and the maximum)')),
    attributes: Type.Optional(Type.Record(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,31}$' }), Type.String({ maxLength: 100 }))),
    lines: Type.Array(
      Type.Object(
        {
          hsCode: Type.Optional(Type.String({ pattern: '^\\d{2,10}$', description: 'HS code or prefix (chapter, heading, subheading, tariff line): required by the quantity and processing-manual models, optional for a temporary admission item' })),
          key: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$', description: "Temporary admission: the item number (ATA carnet's general list item, or the declaration's item)" })),
          description: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Temporary admission and transport document: what the item or bill line is' })),
          quantity: Decimal('Granted quantity (up to 6 decimals): the goods, the packages of a bill line, or the amount of money'),
          unit: Type.String({ pattern: '^[A-Z0-9]{2,3}$', description: 'UN/ECE Rec 20 unit, UN/ECE Rec 21 package code (transport document) or ISO 4217 currency (money)' }),
          grossMass: Type.Optional(Decimal('Transport document: the gross mass of the bill line in kilograms')),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    products: Type.Optional(
      Type.Array(
        Type.Object(
          {
            hsCode: Type.String({ pattern: '^\\d{2,10}$', description: 'HS code or prefix of the finished product' }),
            unit: Type.String({ pattern: '^[A-Z0-9]{2,3}$' }),
            consumption: Type.Array(
              Type.Object(
                {
                  line: Type.Integer({ minimum: 1, description: 'The material line (its lineNo) the product consumes' }),
                  ratio: Decimal('Material units consumed per product unit, waste included (up to 6 decimals)'),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 200, description: 'Processing-trade manuals only: the finished products and what each consumes' },
      ),
    ),
    carnet: Type.Optional(Type.String({ pattern: '^[A-Z0-9][A-Z0-9/-]{2,31}$', description: 'Temporary admission only: the ATA carnet number, when the goods came in on one' })),
    vouchers: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$' }), { maxItems: 50, uniqueItems: true, description: 'Temporary admission only: the carnet vouchers (importation, re-exportation) or guarantee references' }),
    ),
  },
  { additionalProperties: false },
);
export type IssueAccountRequest = Static<typeof IssueAccountSchema>;

export const AccountLineViewSchema = Type.Object({
  lineNo: Type.Integer(),
  hsCode: Type.Optional(Type.String({ description: 'Absent for lines that are not goods by HS code (a bill line, an amount)' })),
  key: Type.Optional(Type.String({ description: "What the line is keyed on when it is not its HS code: a temporary admission's item number, a bill number and line, a currency" })),
  description: Type.Optional(Type.String()),
  unit: Type.String(),
  quantity: Type.String({ description: 'Granted' }),
  ceiling: Type.String({ description: 'Granted plus tolerance: what reserved + posted may reach' }),
  reserved: Type.String({ description: 'Held by submissions not yet released' }),
  posted: Type.String({ description: 'Written off by released submissions' }),
  remaining: Type.String({ description: 'ceiling - reserved - posted' }),
  debitReserved: Type.Optional(Type.String({ description: 'Manuals: material held by exports not yet released' })),
  debitPosted: Type.Optional(Type.String({ description: 'Manuals: material consumed by released exports' })),
  stock: Type.Optional(Type.String({ description: 'Manuals: imported material not yet consumed (posted - debits)' })),
  outstanding: Type.Optional(Type.String({ description: 'Temporary admission: not yet written off (quantity - posted)' })),
});

export const AccountViewSchema = Type.Object({
  number: Type.String(),
  type: Type.String(),
  issuer: Type.String(),
  holder: Type.String(),
  direction: Type.String(),
  validFrom: Type.String(),
  validTo: Type.String(),
  ports: Type.Array(Type.String()),
  maxUses: Type.Union([Type.Integer(), Type.Null()]),
  uses: Type.Integer(),
  tolerancePct: Type.String(),
  attributes: Type.Record(Type.String(), Type.String()),
  status: Type.Enum(ACCOUNT_STATUSES),
  lines: Type.Array(AccountLineViewSchema),
  products: Type.Optional(
    Type.Array(Type.Object({ hsCode: Type.String(), unit: Type.String(), consumption: Type.Array(Type.Object({ line: Type.Integer(), ratio: Type.String() })) }), {
      description: 'Processing-trade manuals: finished products and the material each consumes per unit',
    }),
  ),
  model: Type.Optional(Type.Enum(MODEL_IDS, { description: 'What its lines mean (docs/ledger.md, "Models"); absent for the quantity model' })),
  carnet: Type.Optional(Type.String({ description: 'Temporary admission: the ATA carnet number' })),
  vouchers: Type.Optional(Type.Array(Type.String(), { description: 'Temporary admission: carnet vouchers or guarantee references' })),
  deadline: Type.Optional(Type.String({ description: 'Temporary admission: the day by which every item must be written off (validTo): six months from the entry of the goods once they entered, moved by each extension' })),
  enteredOn: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Temporary admission: the day the goods entered (the release of the import under 2700 or 2600 that cites it); null before, when the deadline is the one the account was signed with' })),
  extensions: Type.Optional(Type.Integer({ description: 'Temporary admission: how many times customs extended the deadline' })),
  signature: Type.String({ description: 'Compact JWS (EdDSA, Ed25519) over the issued content; verify offline with GET /api/v1/ledger/keys' }),
  signatureSm2: Type.Optional(
    Type.String({ description: "The issuer's SM2 signature (alg SM2, SM3 with the ID 1234567812345678, r || s) over the same content, a second compact JWS; present when the platform made SM2 signatures (KOUAN_SIGNING_ALGS lists SM2) at issue" }),
  ),
  issuedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AccountView = Static<typeof AccountViewSchema>;

export const EntryViewSchema = Type.Object({
  seq: Type.Integer(),
  entryId: Type.String(),
  kind: Type.Enum(ENTRY_KINDS),
  lineNo: Type.Union([Type.Integer(), Type.Null()]),
  quantity: Type.Union([Type.String(), Type.Null()]),
  reservationId: Type.Union([Type.String(), Type.Null()]),
  submissionId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()], { description: "Why: an officer's own words for a revocation, suspension or reinstatement; Kouan's own reasons (a hold given back or lapsed) in the caller's language" }),
  writeOff: Type.Optional(Type.Enum(WRITE_OFF_KINDS, { description: "Temporary admission: how the items were written off (re-export, conversion to definitive import, abandonment, destruction)" })),
  reasonCode: Type.Optional(Type.String({ description: 'The stable code of a reason Kouan wrote itself: CANCELLED_BY_DECLARANT, SUBMISSION_REJECTED, GOODS_REFUSED, HOLD_EXPIRED, ACCOUNT_REVOKED, ACCOUNT_SUSPENDED, AMENDED (given back for an amendment\'s new version)' })),
  at: Type.String({ format: 'date-time' }),
});
export type EntryView = Static<typeof EntryViewSchema>;

/** Where a submission's hold on an account line stands: reserved (pending), written off (posted), given back (voided), lapsed (expired), replaced (superseded) or its write-off undone (reversed). */
export const RESERVATION_STATES = ['reserved', 'posted', 'voided', 'expired', 'superseded', 'reversed'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

/** One reservation or write-off a submission holds, as shown with the submission. */
export const ReservationViewSchema = Type.Object({
  account: Type.String({ description: 'The account number (licence, certificate, manual)' }),
  type: Type.String({ description: 'Its account type id (GET /api/v1/ledger/types)' }),
  line: Type.Integer({ description: 'The account line (its lineNo)' }),
  quantity: Type.String({ description: 'Exact decimal, in the unit of the account line' }),
  unit: Type.String(),
  side: Type.Enum(['credit', 'debit'], { description: "credit: against the granted quantity; debit: a processing-trade manual's material consumed by an export" }),
  writeOff: Type.Optional(Type.Enum(WRITE_OFF_KINDS, { description: 'Temporary admission: how the hold writes the items off' })),
  state: Type.Enum(RESERVATION_STATES, { description: 'reserved (held until a decision), posted (written off on release), voided (given back on rejection, refusal or cancellation), expired (no decision in time), superseded (given back when an approved amendment\'s new version took its place), reversed (written off, then given back when an approved withdrawal or amendment undid the release)' }),
  path: Type.String({ description: 'JSON path of the cited document in the declaration, e.g. $.lines[0].documents[0]' }),
  updatedAt: Type.String({ format: 'date-time', description: 'When the state last changed' }),
});
export type ReservationView = Static<typeof ReservationViewSchema>;

export const AccountActionSchema = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

/** Who an account type names as its issuer: an agency by code, a carrier enterprise for its own bills, or Kouan on an approval. */
export const CARRIER_ISSUER = 'carrier';
export const PLATFORM_ISSUER = 'platform';
/** The issuer Kouan's own ledger accounts carry, and whose ledger key signs them (`kouan` itself signs only receipts and decisions). */
export const KOUAN_LEDGER = 'kouan-ledger';

/** An account a document type's approval opens, issued by Kouan (LedgerService.issueOnApproval). */
export type ApprovalAccountRequest = IssueAccountRequest & {
  /** Approvals are retried: the number makes the issue idempotent. */
  readonly number: string;
  readonly tenant: string;
};

export const VerifyCopySchema = Type.Object(
  { signature: Type.String({ minLength: 1, maxLength: 100_000, description: 'The compact JWS of an exported or printed copy: the account\'s signature, or its signatureSm2' }) },
  { additionalProperties: false },
);

export const VerifiedCopySchema = Type.Object({
  valid: Type.Literal(true),
  kid: Type.String(),
  alg: Type.String({ description: 'What the copy is signed with: EdDSA, or SM2 for an SM2 copy' }),
  issuer: Type.String(),
  account: Type.Unknown({ description: 'The signed content' }),
  status: Type.Union([Type.Enum(ACCOUNT_STATUSES), Type.Null()], { description: 'Its status in this ledger now, or null when it is not here' }),
});

/** The issued content of an account, exactly what is signed. */
export interface SignedAccount {
  readonly number: string;
  readonly type: string;
  readonly issuer: string;
  readonly holder: string;
  readonly direction: 'import' | 'export';
  readonly validFrom: string;
  readonly validTo: string;
  readonly ports: readonly string[];
  readonly maxUses: number | null;
  readonly tolerancePct: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly lines: readonly SignedLine[];
  /** Processing-trade manuals: each finished product and the material lines it consumes. */
  readonly products?: readonly { readonly hsCode: string; readonly unit: string; readonly consumption: readonly { readonly line: number; readonly ratio: string }[] }[];
  /** Temporary admission: the ATA carnet number and the vouchers or guarantees it came in with. */
  readonly carnet?: string;
  readonly vouchers?: readonly string[];
  readonly issuedAt: string;
}

/**
 * One line of an account as signed. Quantity and manual lines are `{lineNo, hsCode, quantity, unit}`, exactly as
 * signed before models existed; the other models add what they key on (item numbers, bill lines, currencies).
 */
export interface SignedLine {
  readonly lineNo: number;
  readonly hsCode?: string;
  readonly key?: string;
  readonly description?: string;
  readonly quantity: string;
  readonly unit: string;
  readonly grossMass?: string;
}
