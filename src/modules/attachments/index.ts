import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { AttachmentsRepository } from './attachments.repository.js';
import { AttachmentsService } from './attachments.service.js';
import { ATTACHMENT_MAX_BYTES } from './attachments.schema.js';

export { AttachmentsService, shownTo, UPLOAD_CONTENT_TYPES } from './attachments.service.js';
export type { StoredAttachment, StoredBlob } from './attachments.repository.js';
export * from './attachments.schema.js';
export type { AttachmentTables } from './attachments.tables.js';
export { sniffMediaType } from './sniff.js';

/** The attachments module: files documents carry, stored content-addressed, shown to the parties a part goes to. */
export function createAttachmentsModule(db: Kysely<Database>, options: { maxBytes?: number } = {}): AttachmentsService {
  return new AttachmentsService(new AttachmentsRepository(db), options.maxBytes ?? ATTACHMENT_MAX_BYTES);
}
