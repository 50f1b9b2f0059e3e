import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AttachmentMediaType } from '../doctypes/index.js';
import type { AttachmentRef } from './attachments.schema.js';

export interface StoredBlob {
  readonly sha256: string;
  readonly mediaType: AttachmentMediaType;
  readonly size: number;
  readonly content: Buffer;
}

export interface StoredAttachment extends AttachmentRef {
  readonly mediaType: AttachmentMediaType;
  readonly size: number;
}

export class AttachmentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores the bytes once per content and records that the party uploaded them; a repeated upload changes nothing. */
  async put(blob: StoredBlob, upload: { tenant: string; partyId: string; at: string }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('attachment_blobs')
        .values({ sha256: blob.sha256, media_type: blob.mediaType, size: blob.size, content: blob.content, created_at: upload.at })
        .onConflict((conflict) => conflict.column('sha256').doNothing())
        .execute();
      await trx
        .insertInto('attachment_uploads')
        .values({ sha256: blob.sha256, tenant: upload.tenant, party_id: upload.partyId, created_at: upload.at })
        .onConflict((conflict) => conflict.columns(['sha256', 'party_id']).doNothing())
        .execute();
    });
  }

  /** The files of these hashes the party uploaded, without their bytes. */
  async uploadedBy(partyId: string, hashes: readonly string[]): Promise<Map<string, { mediaType: AttachmentMediaType; size: number }>> {
    if (hashes.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('attachment_uploads as u')
      .innerJoin('attachment_blobs as b', 'b.sha256', 'u.sha256')
      .select(['b.sha256', 'b.media_type', 'b.size'])
      .where('u.party_id', '=', partyId)
      .where('u.sha256', 'in', [...new Set(hashes)])
      .execute();
    return new Map(rows.map((row) => [row.sha256, { mediaType: row.media_type, size: Number(row.size) }]));
  }

  /** The bytes, when the party uploaded them. */
  async findUploaded(partyId: string, sha256: string): Promise<StoredBlob | undefined> {
    const row = await this.db
      .selectFrom('attachment_uploads as u')
      .innerJoin('attachment_blobs as b', 'b.sha256', 'u.sha256')
      .select(['b.sha256', 'b.media_type', 'b.size', 'b.content'])
      .where('u.party_id', '=', partyId)
      .where('u.sha256', '=', sha256)
      .executeTakeFirst();
    return row === undefined ? undefined : blobOf(row);
  }

  async find(sha256: string): Promise<StoredBlob | undefined> {
    const row = await this.db.selectFrom('attachment_blobs').select(['sha256', 'media_type', 'size', 'content']).where('sha256', '=', sha256).executeTakeFirst();
    return row === undefined ? undefined : blobOf(row);
  }

  /** Records the files a submission carries, in the transaction that stores it. */
  async attach(trx: Transaction<Database>, submissionId: string, refs: readonly AttachmentRef[]): Promise<void> {
    if (refs.length === 0) return;
    await trx
      .insertInto('submission_attachments')
      .values(refs.map((ref, position) => ({ submission_id: submissionId, position, kind: ref.kind, sha256: ref.sha256, name: ref.name })))
      .execute();
  }

  /** Puts a new version's files in place of the old ones (the old list is kept with the old version). */
  async replace(trx: Transaction<Database>, submissionId: string, refs: readonly AttachmentRef[]): Promise<void> {
    await trx.deleteFrom('submission_attachments').where('submission_id', '=', submissionId).execute();
    await this.attach(trx, submissionId, refs);
  }

  /** The files a submission carries, in order. */
  async of(submissionId: string, trx?: Transaction<Database>): Promise<StoredAttachment[]> {
    const rows = await (trx ?? this.db)
      .selectFrom('submission_attachments as a')
      .innerJoin('attachment_blobs as b', 'b.sha256', 'a.sha256')
      .select(['a.kind', 'a.sha256', 'a.name', 'b.media_type', 'b.size'])
      .where('a.submission_id', '=', submissionId)
      .orderBy('a.position')
      .execute();
    return rows.map((row) => ({ kind: row.kind, sha256: row.sha256, name: row.name, mediaType: row.media_type, size: Number(row.size) }));
  }
}

function blobOf(row: { sha256: string; media_type: AttachmentMediaType; size: number; content: Buffer | Uint8Array }): StoredBlob {
  return { sha256: row.sha256, mediaType: row.media_type, size: Number(row.size), content: Buffer.isBuffer(row.content) ? row.content : Buffer.from(row.content) };
}
