import type { Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are typed Kysely<any> so they stay frozen */

/**
 * tariff_lines: the national tariff an operator imports (`kouan codes import tariff FILE`), one row per
 * 10-digit line with its Chinese and English names, its first and second statutory units (GACC unit codes),
 * its declaration elements (申报要素, `|`-separated as in the file) and, kept for later checks, whatever rate
 * columns the file had (a JSON object of text). `chapter` (the first two digits) is indexed because a
 * declaration line is held to the tariff only where the loaded tariff covers its chapter.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('tariff_lines')
    .addColumn('code', 'text', (col) => col.primaryKey())
    .addColumn('chapter', 'text', (col) => col.notNull())
    .addColumn('name_zh', 'text', (col) => col.notNull())
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('unit1', 'text', (col) => col.notNull())
    .addColumn('unit2', 'text')
    .addColumn('declaration_elements', 'text', (col) => col.notNull())
    .addColumn('rates', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('tariff_lines_chapter').on('tariff_lines').column('chapter').execute();
}
