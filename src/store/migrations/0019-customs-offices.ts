import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * customs_offices: the full list of customs offices (关区代码, four characters) an operator imports
 * (`kouan codes import customs-offices FILE`), each with its Chinese name and the two-digit customs district
 * (直属海关) it belongs to. The 42 districts themselves are built in (codes/customs-districts.ts), not stored.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('customs_offices')
    .addColumn('code', 'text', (col) => col.primaryKey())
    .addColumn('name_zh', 'text', (col) => col.notNull())
    .addColumn('district', 'text', (col) => col.notNull())
    .execute();
}
