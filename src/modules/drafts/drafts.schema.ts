import Type, { type Static } from 'typebox';
import { ATTACHMENTS_PER_DOCUMENT, AttachmentRefSchema, UploadedAttachmentSchema } from '../attachments/attachments.schema.js';

const DateTime = Type.String({ format: 'date-time' });
const Title = Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { description: 'A name for the list, e.g. "Laptops from Hamburg"; null for none' });
const DraftData = Type.Object({}, { additionalProperties: true, description: 'The unfinished document: any JSON object, stored as sent and not validated' });

/** The files an unfinished document carries: as a submission names them, with what the upload answered. */
const DraftAttachment = Type.Object({ ...AttachmentRefSchema.properties, mediaType: UploadedAttachmentSchema.properties.mediaType, size: UploadedAttachmentSchema.properties.size }, { additionalProperties: false });
const DraftAttachments = (more = '') =>
  Type.Array(DraftAttachment, {
    maxItems: ATTACHMENTS_PER_DOCUMENT,
    description: `The files the draft carries, each uploaded first (POST /api/v1/attachments): kind, sha256 and name as the submission will name them, mediaType and size as the upload answered. Not checked against the document type until it is submitted${more}`,
  });

/** How many drafts one party may keep. */
export const DRAFT_LIMIT = 200;

export const NewDraftSchema = Type.Object(
  {
    docType: Type.String({ minLength: 1, maxLength: 64, description: 'A document type id from GET /api/v1/doctypes, e.g. goods-declaration' }),
    title: Type.Optional(Title),
    data: DraftData,
    attachments: Type.Optional(DraftAttachments()),
  },
  { additionalProperties: false },
);
export type NewDraft = Static<typeof NewDraftSchema>;

export const SaveDraftSchema = Type.Object(
  {
    title: Type.Optional(Title),
    data: DraftData,
    attachments: Type.Optional(DraftAttachments('; absent: they stay as they were')),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'The version you read: a save over a newer one is 409 DRAFT_VERSION_CONFLICT (or send If-Match)' })),
  },
  { additionalProperties: false },
);
export type SaveDraft = Static<typeof SaveDraftSchema>;

const DraftFields = {
  id: Type.String({ description: 'dft_...' }),
  docType: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer({ description: 'Starts at 1, one more with every save; also the ETag' }),
  createdBy: Type.String({ description: 'The user (portal session) or API key that created it' }),
  updatedBy: Type.String({ description: 'The user or API key that saved it last' }),
  createdAt: DateTime,
  updatedAt: DateTime,
};

export const DraftSummarySchema = Type.Object(DraftFields);
export type DraftSummary = Static<typeof DraftSummarySchema>;

export const DraftSchema = Type.Object({ ...DraftFields, data: Type.Object({}, { additionalProperties: true }), attachments: DraftAttachments() });
export type Draft = Static<typeof DraftSchema>;

export const ListDraftsQuerySchema = Type.Object(
  {
    docType: Type.Optional(Type.String({ maxLength: 64 })),
    cursor: Type.Optional(Type.String({ maxLength: 128, description: 'The `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ListDraftsQuery = Static<typeof ListDraftsQuerySchema>;

export const DraftPageSchema = Type.Object({
  drafts: Type.Array(DraftSummarySchema, { description: 'Most recently saved first; without their data (GET /drafts/{id} has it)' }),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null at the end' }),
});
export type DraftPage = Static<typeof DraftPageSchema>;
