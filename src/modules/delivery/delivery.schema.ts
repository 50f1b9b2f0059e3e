import Type, { type Static } from 'typebox';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DeliveryRecordSchema = Type.Object({
  id: Type.String(),
  key: Type.String({ description: "The message's own id (one record per target and message)" }),
  status: Type.Enum(DELIVERY_STATUSES, { description: '`pending` (being tried, or waiting for its next attempt), `delivered` (a 2xx answer) or `failed` (given up after the last attempt)' }),
  attempts: Type.Integer({ minimum: 0 }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'Of the latest failed attempt: `HTTP <status>`, `unreachable` or `refused`' }),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'The HTTP status of the latest answer, if there was one' }),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When a pending record is tried next; null once delivered or failed' }),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  failedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type DeliveryRecord = Static<typeof DeliveryRecordSchema>;

export const DELIVERY_PAGE_LIMIT = { default: 50, max: 500 } as const;

export const DeliveryQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Enum(DELIVERY_STATUSES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: DELIVERY_PAGE_LIMIT.max, default: DELIVERY_PAGE_LIMIT.default })),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuerySchema>;

export const DeliveryListSchema = Type.Object({ deliveries: Type.Array(DeliveryRecordSchema, { description: 'Newest first' }) });
export type DeliveryList = Static<typeof DeliveryListSchema>;

/** A message to push to a target: the engine adds the content type, the attempt number and the signature. */
export interface NewDelivery {
  readonly targetId: string;
  /** Who asked for it: told of a delivered record through onDelivered. */
  readonly topic: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A record taken for one attempt. */
export interface LeasedDelivery {
  readonly id: string;
  readonly targetId: string;
  readonly owner: string;
  readonly topic: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly attempts: number;
}
