import type { AttachmentMediaType } from '../doctypes/index.js';

/** A file's bytes, once per content: two parties uploading one invoice store it once. */
export interface AttachmentBlobTable {
  sha256: string;
  media_type: AttachmentMediaType;
  size: number;
  content: Buffer;
  created_at: string;
}

/** Who uploaded which content: a party may cite in its documents only what it uploaded itself. */
export interface AttachmentUploadTable {
  sha256: string;
  tenant: string;
  party_id: string;
  created_at: string;
}

/** The files a submission carries, in the order its (signed) body names them. */
export interface SubmissionAttachmentTable {
  submission_id: string;
  position: number;
  kind: string;
  sha256: string;
  name: string;
}

/** The attachments module's tables; only its repository touches them. */
export interface AttachmentTables {
  attachment_blobs: AttachmentBlobTable;
  attachment_uploads: AttachmentUploadTable;
  submission_attachments: SubmissionAttachmentTable;
}
