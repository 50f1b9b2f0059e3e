import Type, { type Static } from 'typebox';
import { AttachmentRefsSchema, AttachmentViewSchema } from '../attachments/attachments.schema.js';
import { ReservationViewSchema } from '../ledger/index.js';
import { OUTCOMES, PART_STATUSES, SUBMISSION_STATUSES } from '../doctypes/lifecycle.js';
import { AMENDMENT_ACTIONS, AMENDMENT_OUTCOMES, AMENDMENT_STATUSES } from './amendments.tables.js';

const DateTime = Type.String({ format: 'date-time' });

export const SubmitRequestSchema = Type.Object(
  {
    docType: Type.String({ minLength: 1, maxLength: 64, description: 'A document type id from GET /api/v1/doctypes, e.g. goods-declaration' }),
    data: Type.Unknown({ description: 'The document in its canonical shape (see the document type\'s schema)' }),
    attachments: Type.Optional(AttachmentRefsSchema),
  },
  { additionalProperties: false },
);
export type SubmitRequest = Static<typeof SubmitRequestSchema>;

export const FieldErrorSchema = Type.Object({
  path: Type.String({ description: 'JSON path of the value, e.g. $.lines[0].hsCode' }),
  code: Type.String({ description: 'Stable code from the error registry' }),
  message: Type.String(),
});

export const NoticeSchema = Type.Object({ code: Type.String(), path: Type.Optional(Type.String({ description: 'JSON path of the value the notice concerns' })), message: Type.String() });

export const ReasonSchema = Type.Object(
  {
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "The agency's own reason code" })),
    message: Type.String({ minLength: 1, maxLength: 2000 }),
    path: Type.Optional(Type.String({ maxLength: 200, description: 'JSON path of the field the reason concerns' })),
  },
  { additionalProperties: false },
);
export type Reason = Static<typeof ReasonSchema>;

/** 修改/撤销申请: what the declarant asks of the agencies that accepted its document. */
export const AmendmentRequestSchema = Type.Object(
  {
    action: Type.Enum(AMENDMENT_ACTIONS, { description: 'amend: replace the document by `data` (a new version); withdraw: withdraw the document' }),
    reasons: Type.Array(ReasonSchema, { minItems: 1, maxItems: 20, description: 'Why: the agencies decide on them' }),
    data: Type.Optional(Type.Unknown({ description: 'For amend: the whole new document, in the document type\'s canonical shape; checked as a submission is' })),
    attachments: Type.Optional(AttachmentRefsSchema),
  },
  { additionalProperties: false },
);
export type AmendmentRequest = Static<typeof AmendmentRequestSchema>;

export const AmendmentDecisionRequestSchema = Type.Object(
  {
    outcome: Type.Enum(AMENDMENT_OUTCOMES),
    reasons: Type.Optional(Type.Array(ReasonSchema, { maxItems: 50, description: 'Required when rejecting' })),
  },
  { additionalProperties: false },
);
export type AmendmentDecisionRequest = Static<typeof AmendmentDecisionRequestSchema>;

export const AmendmentViewSchema = Type.Object({
  id: Type.String({ description: 'amd_ + ULID' }),
  action: Type.Enum(AMENDMENT_ACTIONS),
  status: Type.Enum(AMENDMENT_STATUSES, { description: 'pending until every addressed agency decided; approved (and applied: the new version is the document, or the document is withdrawn) or rejected' }),
  version: Type.Union([Type.Integer(), Type.Null()], { description: 'The document version an amendment makes; null for a withdrawal' }),
  reasons: Type.Array(ReasonSchema),
  requestedBy: Type.String(),
  requestedAt: DateTime,
  decidedAt: Type.Union([DateTime, Type.Null()]),
  decisions: Type.Array(
    Type.Object({
      agency: Type.String(),
      outcome: Type.Union([Type.Enum(AMENDMENT_OUTCOMES), Type.Literal('pending')]),
      reasons: Type.Array(ReasonSchema),
      decidedAt: Type.Union([DateTime, Type.Null()]),
    }),
    { description: 'One per agency the request went to (those whose part had accepted the document); an agency sees its own' },
  ),
  data: Type.Optional(Type.Unknown({ description: "For amend: the new version (an agency sees its part's projection of it)" })),
  receipt: Type.Optional(Type.String({ description: "Kouan's countersigned receipt of the request (typ kouan-amendment+jws); not shown to agencies" })),
  receiptSm2: Type.Optional(Type.String({ description: 'The same receipt as a second compact JWS signed with SM2/SM3 (alg SM2), when KOUAN_SIGNING_ALGS lists SM2; not shown to agencies' })),
});
export type AmendmentView = Static<typeof AmendmentViewSchema>;

/** A version an approved amendment replaced. */
export const VersionViewSchema = Type.Object({
  version: Type.Integer(),
  replacedAt: DateTime,
  amendment: Type.String({ description: 'The amendment that replaced it' }),
  data: Type.Unknown(),
});


export const DecisionRequestSchema = Type.Object(
  {
    outcome: Type.Enum(OUTCOMES),
    reasons: Type.Optional(Type.Array(ReasonSchema, { maxItems: 50, description: 'Required when rejecting or refusing' })),
  },
  { additionalProperties: false },
);
export type DecisionRequest = Static<typeof DecisionRequestSchema>;

export const PartViewSchema = Type.Object({
  agency: Type.String(),
  docType: Type.String(),
  status: Type.Enum(PART_STATUSES),
  reasons: Type.Array(ReasonSchema),
  updatedAt: DateTime,
});
export type PartView = Static<typeof PartViewSchema>;

export const HistoryEntrySchema = Type.Object({
  at: DateTime,
  agency: Type.Union([Type.String(), Type.Null()], { description: 'The part that changed, or null for the submission as a whole' }),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.String(),
  actor: Type.String({ description: 'The party that made the change' }),
  reasons: Type.Array(ReasonSchema),
});
export type HistoryEntry = Static<typeof HistoryEntrySchema>;

export const SubmissionSummarySchema = Type.Object({
  id: Type.String({ description: 'The stable key (sub_ + ULID)' }),
  number: Type.Union([Type.String({ pattern: '^\\d{18}$' }), Type.Null()], {
    description: 'The 18-digit declaration number (报关单号): customs office 4 + year 4 + 1 import / 0 export + sequence 9, given when the submission is stored; null for a document without customsOffice and direction',
  }),
  docType: Type.String(),
  status: Type.Enum(SUBMISSION_STATUSES),
  declarant: Type.String(),
  trader: Type.Union([Type.String(), Type.Null()]),
  parts: Type.Array(PartViewSchema),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type SubmissionSummary = Static<typeof SubmissionSummarySchema>;

export const SubmissionViewSchema = Type.Intersect([
  SubmissionSummarySchema,
  Type.Object({
    data: Type.Unknown({ description: "The canonical document; an agency sees only its own part's projection" }),
    history: Type.Array(HistoryEntrySchema),
    ledger: Type.Array(ReservationViewSchema, {
      description:
        'The ledger reservations and write-offs the submission holds. Its parties, operators and the write-off agency (CUS for a goods declaration) see all; another agency only those on accounts it issued.',
    }),
    documentVersion: Type.Integer({ description: 'The document\'s version: 1 as filed, one more for each approved amendment' }),
    amendments: Type.Array(AmendmentViewSchema, { description: 'Requests to amend or withdraw it after acceptance, oldest first; an agency sees those it decides' }),
    attachments: Type.Array(AttachmentViewSchema, {
      description: 'The files the document carries (GET /api/v1/submissions/{id}/attachments/{sha256}); an agency sees only the kinds its part shows',
    }),
    opened: Type.Optional(
      Type.Object(
        { type: Type.String({ description: 'Ledger account type' }), number: Type.String({ description: 'GET /api/v1/ledger/accounts/{number}' }) },
        { description: 'The ledger account the approval opened (a processing-trade manual from a filing, a temporary admission from an exhibition filing); absent until the document is approved' },
      ),
    ),
    proof: Type.Optional(
      Type.Object(
        {
          signature: Type.Union(
            [
              Type.Object({
                jws: Type.String({ description: "The declarant's detached JWS (Kouan-Signature) as sent" }),
                kid: Type.String({ description: 'The registered key it names' }),
                signedBody: Type.Union([Type.String(), Type.Null()], { description: 'The request body exactly as signed (null for submissions stored before Kouan kept it)' }),
              }),
              Type.Null(),
            ],
            { description: "The declarant's signature; null when unsigned" },
          ),
          receipt: Type.Union([Type.String(), Type.Null()], { description: "Kouan's countersigned receipt (compact JWS, typ kouan-receipt+jws) as answered at submission; null for submissions stored before it was kept" }),
          receiptSm2: Type.Optional(Type.String({ description: 'The same receipt countersigned with SM2 (alg SM2), when the platform makes SM2 countersignatures' })),
        },
        { description: 'What proves who sent what and what Kouan answered; not shown to agencies (the receipt names every agency\'s part)' },
      ),
    ),
  }),
]);
export type SubmissionView = Static<typeof SubmissionViewSchema>;

/** The outcome of checking stored signatures again (`kouan signatures verify`, GET /api/v1/signatures/verification). */
export const SignatureAuditSchema = Type.Object({
  checked: Type.Integer({ description: 'Submissions with a signature or a receipt that were checked' }),
  failures: Type.Array(Type.Object({ submissionId: Type.String(), problems: Type.Array(Type.String()) })),
});
export type SignatureAudit = Static<typeof SignatureAuditSchema>;

export const SubmitResponseSchema = Type.Intersect([
  SubmissionSummarySchema,
  Type.Object({
    notices: Type.Array(NoticeSchema),
    receipt: Type.String({ description: "Kouan's countersigned receipt: a compact JWS (EdDSA) over {submissionId, docType, declarant, requestSha256, declarantSignatureKid, status, parts, receivedAt}; verify with /.well-known/jwks.json" }),
    receiptSm2: Type.Optional(Type.String({ description: 'The same receipt as a second compact JWS signed with SM2/SM3 (alg SM2, r || s), when KOUAN_SIGNING_ALGS lists SM2; also in the Kouan-Receipt-SM2 header' })),
  }),
]);

export const ValidateResponseSchema = Type.Object({
  valid: Type.Boolean(),
  errors: Type.Array(FieldErrorSchema),
  notices: Type.Array(NoticeSchema),
  parts: Type.Array(Type.Object({ agency: Type.String(), docType: Type.String() })),
});

export const LIST_ORDERS = ['newest', 'oldest'] as const;
export type ListOrder = (typeof LIST_ORDERS)[number];

export const ListQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Enum(SUBMISSION_STATUSES, { description: "An agency filters on its own part's status" })),
    docType: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_]+$', description: 'A submission id prefix (e.g. sub_01M8), a declaration number prefix (e.g. 220120261), or the unified social credit code of the declarant or the trader (exact)' }),
    ),
    number: Type.Optional(Type.String({ pattern: '^\\d{18}$', description: 'One 18-digit declaration number, exactly' })),
    order: Type.Optional(Type.Enum(LIST_ORDERS, { default: 'newest', description: 'newest (the default) or oldest first, by creation' })),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'The `next` of the previous page, with the same order' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuerySchema>;

export const SubmissionPageSchema = Type.Object({
  submissions: Type.Array(SubmissionSummarySchema),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null at the end' }),
});
export type SubmissionPage = Static<typeof SubmissionPageSchema>;
