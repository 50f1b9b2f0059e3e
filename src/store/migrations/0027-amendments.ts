import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * Amendment and withdrawal after acceptance (修改/撤销申请): submission_amendments keeps each request (the new
 * version's document for an amendment, the reasons, the declarant's signature and Kouan's receipt), and
 * amendment_decisions each agency's decision on it. submission_versions keeps every version a decided
 * amendment replaced; submissions.document_version counts them (1 for the document as first filed).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('document_version', 'integer', (col) => col.notNull().defaultTo(1)).execute();
  await db.schema.createTable('submission_amendments')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('submission_id', 'text', (col) => col.notNull().references('submissions.id'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('version', 'integer')
    .addColumn('data', 'text')
    .addColumn('attachments', 'text')
    .addColumn('reasons', 'text', (col) => col.notNull())
    .addColumn('requested_by', 'text', (col) => col.notNull())
    .addColumn('requested_at', 'text', (col) => col.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('signature', 'text')
    .addColumn('signed_body', 'text')
    .addColumn('receipt', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('submission_amendments_submission').on('submission_amendments').columns(['submission_id', 'requested_at']).execute();
  await db.schema.createTable('amendment_decisions')
    .addColumn('amendment_id', 'text', (col) => col.notNull().references('submission_amendments.id'))
    .addColumn('agency', 'text', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('reasons', 'text')
    .addColumn('decided_at', 'text')
    .addPrimaryKeyConstraint('amendment_decisions_pk', ['amendment_id', 'agency'])
    .execute();
  await db.schema.createTable('submission_versions')
    .addColumn('submission_id', 'text', (col) => col.notNull().references('submissions.id'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('attachments', 'text', (col) => col.notNull())
    .addColumn('replaced_at', 'text', (col) => col.notNull())
    .addColumn('amendment_id', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('submission_versions_pk', ['submission_id', 'version'])
    .execute();
}
