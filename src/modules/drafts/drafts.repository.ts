import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import type { DraftTable } from './drafts.tables.js';

export type DraftRow = DraftTable;

/** Where a page of the list starts: after this draft, in most-recently-saved-first order. */
export interface DraftCursor {
  readonly updatedAt: string;
  readonly id: string;
}

export interface DraftListFilter {
  readonly docType?: string | undefined;
  readonly after?: DraftCursor | undefined;
  readonly limit: number;
}

/** What a save changes; `title` undefined keeps the title. */
export interface DraftChange {
  readonly title?: string | null | undefined;
  readonly data: string;
  /** The files it carries now (JSON); undefined: as they were. */
  readonly attachments?: string | undefined;
  /** Save only over this version; undefined: over whatever is there. */
  readonly expectedVersion?: number | undefined;
  readonly by: string;
  readonly at: string;
}

export class DraftsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Inserts a draft unless its party already keeps `limit` of them (false then). */
  async insertWithin(row: DraftRow, limit: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // One party's inserts take turns on PostgreSQL, so that two at once cannot both see room for one more;
      // SQLite has one writer anyway.
      if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`drafts:${row.party_id}`}))`.execute(trx);
      const { count } = await trx.selectFrom('drafts').select((eb) => eb.fn.countAll<number | string>().as('count')).where('party_id', '=', row.party_id).executeTakeFirstOrThrow();
      if (Number(count) >= limit) return false;
      await trx.insertInto('drafts').values(row).execute();
      return true;
    });
  }

  find(id: string, party: string): Promise<DraftRow | undefined> {
    return this.db.selectFrom('drafts').selectAll().where('id', '=', id).where('party_id', '=', party).executeTakeFirst();
  }

  /** A party's drafts without their data and files, most recently saved first. */
  list(party: string, filter: DraftListFilter): Promise<Omit<DraftRow, 'data' | 'attachments'>[]> {
    let query = this.db
      .selectFrom('drafts')
      .select(['id', 'party_id', 'doc_type', 'title', 'version', 'created_by', 'updated_by', 'created_at', 'updated_at'])
      .where('party_id', '=', party)
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.docType !== undefined) query = query.where('doc_type', '=', filter.docType);
    const after = filter.after;
    if (after !== undefined) {
      query = query.where((eb) => eb.or([eb('updated_at', '<', after.updatedAt), eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)])]));
    }
    return query.execute();
  }

  /**
   * Saves a draft of the party, if it is still at the expected version; one statement, so of two saves over the
   * same version exactly one wins. Returns the draft as saved, or undefined when nothing matched.
   */
  save(id: string, party: string, change: DraftChange): Promise<DraftRow | undefined> {
    let query = this.db
      .updateTable('drafts')
      .set((eb) => ({
        data: change.data,
        ...(change.attachments === undefined ? {} : { attachments: change.attachments }),
        ...(change.title === undefined ? {} : { title: change.title }),
        version: eb('version', '+', 1),
        updated_by: change.by,
        updated_at: change.at,
      }))
      .where('id', '=', id)
      .where('party_id', '=', party);
    if (change.expectedVersion !== undefined) query = query.where('version', '=', change.expectedVersion);
    return query.returningAll().executeTakeFirst();
  }

  async delete(id: string, party: string): Promise<boolean> {
    const result = await this.db.deleteFrom('drafts').where('id', '=', id).where('party_id', '=', party).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
