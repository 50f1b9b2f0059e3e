import Type, { type Static } from 'typebox';

export const MESSAGE_KINDS = ['part.submitted', 'part.cancelled', 'amendment.requested', 'part.amended'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const InboxMessageSchema = Type.Object({
  messageId: Type.String({ description: 'Stable id: a redelivered message keeps it, so receivers deduplicate on it' }),
  seq: Type.Integer({ description: 'Position in the agency inbox; pass the last one seen as `after`' }),
  agency: Type.String(),
  kind: Type.Enum(MESSAGE_KINDS),
  submissionId: Type.String(),
  payload: Type.Unknown(),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.String({ format: 'date-time' }),
  ackedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type InboxMessage = Static<typeof InboxMessageSchema>;

export const InboxPageSchema = Type.Object({
  messages: Type.Array(InboxMessageSchema),
  next: Type.Integer({ description: 'The cursor for the next page (the last seq returned, or `after` when empty)' }),
});
export type InboxPage = Static<typeof InboxPageSchema>;

/** A message to an agency, written to the outbox in the same transaction as the change it announces. */
export interface OutboxMessage {
  readonly messageId: string;
  readonly agency: string;
  readonly kind: MessageKind;
  readonly submissionId: string;
  readonly payload: unknown;
  readonly createdAt: string;
}

export const WebhookRequestSchema = Type.Object(
  { url: Type.String({ maxLength: 2000, description: 'https URL on a public address that receives each message as a POST (docs/security.md, webhook targets)' }) },
  { additionalProperties: false },
);

export const WebhookRegisteredSchema = Type.Object({
  url: Type.String(),
  secret: Type.String({ description: 'Verifies the Kouan-Signature header of each push; shown only now' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const WebhookStatusSchema = Type.Object({
  url: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  pending: Type.Integer({ description: 'Pushes not yet answered with 2xx (being retried)' }),
  delivered: Type.Integer(),
  failed: Type.Integer({ description: 'Pushes given up after the last retry; the messages stay in the inbox' }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'Of the latest failed push: `HTTP <status>` of an answer, `unreachable` (no answer) or `refused` (Kouan no longer pushes to this URL)' }),
});
