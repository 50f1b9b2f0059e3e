import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Attachments (随附单证): attachment_blobs keeps each file's bytes once per content, under its SHA-256;
 * attachment_uploads who uploaded which content (a party cites only its own uploads); submission_attachments
 * the files a submission carries, in the order its signed body names them.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.createTable('attachment_blobs')
    .addColumn('sha256', 'text', (col) => col.primaryKey())
    .addColumn('media_type', 'text', (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('content', dialect === 'postgres' ? 'bytea' : 'blob', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createTable('attachment_uploads')
    .addColumn('sha256', 'text', (col) => col.notNull().references('attachment_blobs.sha256'))
    .addColumn('tenant', 'text', (col) => col.notNull())
    .addColumn('party_id', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('attachment_uploads_pk', ['sha256', 'party_id'])
    .execute();
  await db.schema.createIndex('attachment_uploads_party').on('attachment_uploads').columns(['party_id', 'sha256']).execute();
  await db.schema.createTable('submission_attachments')
    .addColumn('submission_id', 'text', (col) => col.notNull().references('submissions.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull().references('attachment_blobs.sha256'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('submission_attachments_pk', ['submission_id', 'position'])
    .execute();
}
