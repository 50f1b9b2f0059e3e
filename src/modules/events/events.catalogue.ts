import Type, { type Static, type TSchema } from 'typebox';
import { PART_STATUSES, SUBMISSION_STATUSES } from '../doctypes/lifecycle.js';

/**
 * The catalogue of domain events: each type's payload schema, the one contract between the module that appends
 * an event and every consumer that reads it (stats, notifications, clearance tracking, agency delivery).
 * Payloads only grow: a consumer must ignore members it does not know.
 */

const Reasons = Type.Array(Type.Unknown(), { description: 'The reasons given, as stored with the change' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** The statuses of every shipped lifecycle (a document type's own are data, in its folder). */
const SubmissionStatus = Type.Enum(SUBMISSION_STATUSES);
const PartStatus = Type.Enum(PART_STATUSES);

export const EVENT_PAYLOADS = {
  'submission.submitted': Type.Object({
    submissionId: Type.String(),
    number: Nullable(Type.String()),
    docType: Type.String(),
    declarant: Type.String(),
    trader: Nullable(Type.String()),
    parts: Type.Array(Type.Object({ agency: Type.String(), docType: Type.String() })),
  }),
  'submission.status-changed': Type.Object({
    submissionId: Type.String(),
    from: SubmissionStatus,
    to: SubmissionStatus,
    actor: Type.String(),
  }),
  'part.status-changed': Type.Object({
    submissionId: Type.String(),
    agency: Type.String(),
    from: Nullable(PartStatus),
    to: PartStatus,
    actor: Type.String(),
    reasons: Reasons,
  }),
  'decision.recorded': Type.Object({
    submissionId: Type.String(),
    agency: Type.String(),
    outcome: Type.String(),
    reasons: Reasons,
    actor: Type.String(),
  }),
  'amendment.requested': Type.Object({
    submissionId: Type.String(),
    amendmentId: Type.String(),
    action: Type.String({ description: 'amend or withdraw' }),
    version: Nullable(Type.Integer()),
    agencies: Type.Array(Type.String(), { description: 'The agencies that decide it' }),
    actor: Type.String(),
  }),
  'amendment.decided': Type.Object({
    submissionId: Type.String(),
    amendmentId: Type.String(),
    agency: Type.String(),
    outcome: Type.String({ description: 'approved or rejected' }),
    status: Type.String({ description: "The request's status after the decision: pending, approved (applied) or rejected" }),
    reasons: Reasons,
  }),
  'ledger.entry-appended': Type.Object({
    entryId: Type.String(),
    account: Type.String({ description: 'The account number' }),
    kind: Type.String({ description: 'The entry kind (reserve, post, void, issue, ...)' }),
    submissionId: Nullable(Type.String()),
    lines: Type.Array(Type.Unknown(), { description: 'Per line: its id and the quantity moved' }),
  }),
  'tracking.event-appended': Type.Object({
    eventId: Type.String(),
    seq: Type.Integer({ description: "The event's place in the tracking log" }),
    eventType: Type.String(),
    code: Type.String(),
    agency: Type.Optional(Type.String()),
    references: Type.Record(Type.String(), Type.String()),
  }),
  'message.queued': Type.Object({ messageId: Type.String(), agency: Type.String(), kind: Type.String(), submissionId: Type.String() }),
  'message.acked': Type.Object({ messageId: Type.String(), agency: Type.String(), kind: Type.String(), submissionId: Type.String() }),
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];
export type EventPayload<T extends EventType> = Static<(typeof EVENT_PAYLOADS)[T]>;

/** What is being talked about: a submission, a ledger account, a tracking reference, ... */
export type SubjectKind = 'submission' | 'ledger-account' | 'tracking-event';

/** An event to append: the log gives it its seq. */
export type NewEvent = {
  [T in EventType]: {
    readonly type: T;
    /** Stable when the change can be retried, so that the retry appends nothing; a new id otherwise. */
    readonly eventId?: string | undefined;
    readonly tenant: string;
    readonly subject: { readonly kind: SubjectKind; readonly id: string };
    readonly docType?: string | null | undefined;
    readonly payload: EventPayload<T>;
    readonly at: string;
  };
}[EventType];

export const DomainEventSchema = Type.Object({
  seq: Type.Integer({ description: 'The event\'s number in the log; pass the last one seen as `after`. Events come in the order their changes committed, so on PostgreSQL a later event may have a lower seq' }),
  eventId: Type.String(),
  type: Type.Enum(EVENT_TYPES),
  tenant: Type.String(),
  subject: Type.Object({ kind: Type.String(), id: Type.String() }),
  docType: Nullable(Type.String()),
  payload: Type.Unknown({ description: "The type's payload (docs/api.md, the event catalogue)" }),
  at: Type.String({ format: 'date-time' }),
});
export type DomainEvent = Static<typeof DomainEventSchema>;

export const EventPageSchema = Type.Object({
  events: Type.Array(DomainEventSchema),
  next: Type.Integer({ description: 'The cursor for the next page (the last seq returned, or `after` when empty)' }),
});
export type EventPage = Static<typeof EventPageSchema>;

export const EVENT_PAGE_LIMIT = { default: 100, max: 1000 } as const;

export const EventQuerySchema = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Events after this seq' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: EVENT_PAGE_LIMIT.max, default: EVENT_PAGE_LIMIT.default })),
    type: Type.Optional(Type.Enum(EVENT_TYPES, { description: 'Only events of this type' })),
  },
  { additionalProperties: false },
);
export type EventQuery = Static<typeof EventQuerySchema>;
