import Type, { type Static } from 'typebox';
import { ATTACHMENT_MEDIA_TYPES } from '../doctypes/index.js';

/** The largest file POST /api/v1/attachments takes unless KOUAN_ATTACHMENT_MAX_BYTES says otherwise: 10 MiB. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The most files one document carries. */
export const ATTACHMENTS_PER_DOCUMENT = 50;

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: "The file's SHA-256, lower-case hex, as POST /api/v1/attachments answered" });

/** A file a document carries, as the declarant names it in the (signed) submission. */
export const AttachmentRefSchema = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: 64, description: "One of the document type's attachment kinds (GET /api/v1/doctypes/{id}: attachments)" }),
    sha256: Sha256,
    name: Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f/\\\\]+$', description: 'The file name to show and to save it as (no path, no control characters)' }),
  },
  { additionalProperties: false },
);
export type AttachmentRef = Static<typeof AttachmentRefSchema>;

export const AttachmentRefsSchema = Type.Array(AttachmentRefSchema, {
  maxItems: ATTACHMENTS_PER_DOCUMENT,
  description: 'The files the document carries, each uploaded first (POST /api/v1/attachments) and named here by its hash, so that the signed body covers their content',
});

export const UploadedAttachmentSchema = Type.Object({
  sha256: Sha256,
  mediaType: Type.Enum(ATTACHMENT_MEDIA_TYPES, { description: "What the file is, by its bytes" }),
  size: Type.Integer({ description: 'Bytes' }),
});
export type UploadedAttachment = Static<typeof UploadedAttachmentSchema>;

/** A file of a submission as its view lists it; GET /api/v1/submissions/{id}/attachments/{sha256} reads it. */
export const AttachmentViewSchema = Type.Object({
  kind: Type.String(),
  sha256: Sha256,
  name: Type.String(),
  mediaType: Type.Enum(ATTACHMENT_MEDIA_TYPES),
  size: Type.Integer({ description: 'Bytes' }),
});
export type AttachmentView = Static<typeof AttachmentViewSchema>;

export const Sha256ParamsSchema = Type.Object({ sha256: Sha256 });
