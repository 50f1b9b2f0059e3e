import { sql, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, type Expression, type Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import type { HistoryTable, PartTable, SubmissionTable } from './submissions.tables.js';
import { DECLARATION_NUMBER, type NumberSeries } from './declaration-number.js';
import { PART_STATUSES, type PartStatus, type SubmissionStatus } from '../doctypes/lifecycle.js';
import type { ListOrder, Reason } from './submissions.schema.js';
import type { SubmissionViewer as Viewer } from '../policies/index.js';
import { InsertStatements } from '../../store/insert-statements.js';
import { PreparedQueries } from '../../store/prepared-queries.js';

export interface SubmissionRecord {
  readonly id: string;
  readonly tenant: string;
  readonly docType: string;
  readonly declarant: string;
  readonly trader: string | null;
  readonly status: SubmissionStatus;
  readonly data: unknown;
  readonly version: number;
  /** The document's version: 1 as filed, one more for each approved amendment. */
  readonly documentVersion: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The 18-digit declaration number, given in the transaction that stores the submission; null without a series. */
  readonly number: string | null;
}

export interface PartRecord {
  readonly id: string;
  readonly submissionId: string;
  readonly agency: string;
  readonly docType: string;
  readonly status: PartStatus;
  readonly data: unknown;
  readonly reasons: readonly Reason[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface HistoryRecord {
  readonly submissionId: string;
  readonly agency: string | null;
  /** A part's status when `agency` is set, else the submission's. */
  readonly from: SubmissionStatus | PartStatus | null;
  readonly to: SubmissionStatus | PartStatus;
  readonly actor: string;
  readonly reasons: readonly Reason[];
  readonly at: string;
}

export interface ListFilter {
  readonly status?: SubmissionStatus | undefined;
  readonly docType?: string | undefined;
  /** A submission id prefix, a declaration number prefix, or the declarant's or trader's id. */
  readonly q?: string | undefined;
  /** One declaration number, exactly. */
  readonly number?: string | undefined;
  readonly order: ListOrder;
  /** The last id of the previous page: the page continues after it in `order`. */
  readonly cursor?: string | undefined;
  readonly limit: number;
}

type Db = Kysely<Database> | Transaction<Database>;

export class SubmissionsRepository {
  /** The hot inserts, compiled once per shape (store/insert-statements.ts). */
  private readonly inserts = new InsertStatements();
  /** Its hot queries, compiled once (prepared-queries.ts). */
  private readonly prepared = new PreparedQueries();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async findByIdempotencyKey(declarant: string, key: string): Promise<{ id: string; requestHash: string } | undefined> {
    const [row] = await this.prepared.rows(this.db, 'findByIdempotencyKey', { declarant, key }, (given) =>
      this.db.selectFrom('submissions').select(['id', 'request_hash']).where('declarant_id', '=', given.declarant).where('idempotency_key', '=', given.key),
    );
    return row === undefined ? undefined : { id: row.id, requestHash: row.request_hash };
  }

  async insertSubmission(
    trx: Transaction<Database>,
    submission: SubmissionRecord & { idempotencyKey: string | null; requestHash: string; signature: string | null; signatureKid: string | null; signedBody: string | null; receipt: string; receiptSm2: string | null },
    parts: readonly PartRecord[],
  ): Promise<void> {
    const row = {
      id: submission.id,
      tenant_id: submission.tenant,
      doc_type: submission.docType,
      declarant_id: submission.declarant,
      trader_id: submission.trader,
      status: submission.status,
      data: JSON.stringify(submission.data),
      idempotency_key: submission.idempotencyKey,
      request_hash: submission.requestHash,
      signature: submission.signature,
      signature_kid: submission.signatureKid,
      signed_body: submission.signedBody,
      receipt: submission.receipt,
      receipt_sm2: submission.receiptSm2,
      version: submission.version,
      created_at: submission.createdAt,
      updated_at: submission.updatedAt,
      number: submission.number,
    };
    await this.inserts.run(trx, 'submissions', [row], () => trx.insertInto('submissions').values(row));
    const partRows = parts.map(partRow);
    await this.inserts.run(trx, 'parts', partRows, () => trx.insertInto('parts').values(partRows));
  }

  /**
   * The next sequence of a series of declaration numbers. The counter row is created or bumped with one upsert,
   * which on PostgreSQL holds the row's lock until the transaction ends (concurrent submissions of the series
   * wait their turn; a rolled-back one gives its sequence back) and on SQLite runs under the one writer lock.
   */
  async allocateSequence(trx: Transaction<Database>, series: NumberSeries): Promise<number> {
    const [row] = await this.prepared.rows(trx, 'allocateSequence', { office: series.office, year: series.year, direction: series.direction }, (given) =>
      trx
        .insertInto('declaration_counters')
        .values({ office: given.office, year: given.year, direction: given.direction, last: 1 })
        .onConflict((conflict) => conflict.columns(['office', 'year', 'direction']).doUpdateSet({ last: sql<number>`declaration_counters.last + 1` }))
        .returning('last'),
    );
    if (row === undefined) throw new Error(`no counter for ${series.office} ${series.year} ${series.direction}`);
    return Number(row.last);
  }

  /** Gives a stored submission its declaration number (allocateSequence's, in the same transaction). */
  async setNumber(trx: Transaction<Database>, id: string, number: string): Promise<void> {
    await this.prepared.run(trx, 'setNumber', { id, number }, (given) => trx.updateTable('submissions').set({ number: given.number }).where('id', '=', given.id));
  }

  /**
   * A page of submissions with something to check again (a signature or a receipt), in id order after `after`;
   * one submission when `id` is given, and only a tenant's when `tenant` is.
   */
  async signedPage(options: { after?: string | undefined; id?: string | undefined; tenant?: string | undefined; limit: number }): Promise<StoredSignature[]> {
    const rows = await this.db
      .selectFrom('submissions')
      .select(SIGNATURE_COLUMNS)
      .where((eb) => eb.or([eb('signature', 'is not', null), eb('receipt', 'is not', null)]))
      .$if(options.id !== undefined, (query) => query.where('id', '=', options.id ?? ''))
      .$if(options.tenant !== undefined, (query) => query.where('tenant_id', '=', options.tenant ?? ''))
      .$if(options.after !== undefined, (query) => query.where('id', '>', options.after ?? ''))
      .orderBy('id')
      .limit(options.limit)
      .execute();
    return rows.map(toStoredSignature);
  }

  /** Reads a submission inside a transaction that will change it; on PostgreSQL the row stays locked until commit. */
  async lockSubmission(trx: Transaction<Database>, id: string): Promise<SubmissionRecord | undefined> {
    const [row] = await this.prepared.rows(trx, 'lockSubmission', { id }, (given) => {
      const query = trx.selectFrom('submissions').selectAll().where('id', '=', given.id);
      return this.dialect === 'postgres' ? query.forUpdate() : query;
    });
    return row === undefined ? undefined : toSubmission(row);
  }

  /** A submission the viewer may see, by its id or its 18-digit declaration number, with what it keeps of its signatures (read in the same select). */
  async findVisible(idOrNumber: string, viewer: Viewer, db: Db = this.db): Promise<(SubmissionRecord & { readonly signatures: StoredSignature }) | undefined> {
    const column = DECLARATION_NUMBER.test(idOrNumber) ? 'submissions.number' : 'submissions.id';
    const row = await db.selectFrom('submissions').selectAll('submissions').where(column, '=', idOrNumber).where((eb) => visibleTo(eb, viewer)).executeTakeFirst();
    return row === undefined ? undefined : { ...toSubmission(row), signatures: toStoredSignature(row) };
  }

  /** Which of these submissions the viewer may see (the same rule as findVisible, for many at once). */
  async visibleIds(ids: readonly string[], viewer: Viewer): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('submissions').select('submissions.id').where('submissions.id', 'in', [...ids]).where((eb) => visibleTo(eb, viewer)).execute();
    return new Set(rows.map((row) => row.id));
  }

  async list(viewer: Viewer, filter: ListFilter): Promise<SubmissionRecord[]> {
    const newest = filter.order === 'newest';
    let query = this.db.selectFrom('submissions').selectAll('submissions').orderBy('submissions.id', newest ? 'desc' : 'asc').limit(filter.limit);
    switch (viewer.kind) {
      case 'enterprise':
        query = query.where((eb) => eb.or([eb('declarant_id', '=', viewer.party), eb('trader_id', '=', viewer.party)]));
        break;
      case 'agency': {
        // An agency filters on its own part's status, the only status it is shown: one no part takes finds none.
        const partStatus = PART_STATUSES.find((status) => status === filter.status);
        if (filter.status !== undefined && partStatus === undefined) return [];
        query = query.where((eb) => {
          let parts = eb.selectFrom('parts').select('parts.id').whereRef('parts.submission_id', '=', 'submissions.id').where('parts.agency', '=', viewer.party);
          if (partStatus !== undefined) parts = parts.where('parts.status', '=', partStatus);
          return eb.exists(parts);
        });
        break;
      }
      case 'operator':
        query = query.where('tenant_id', '=', viewer.tenant);
        break;
    }
    if (filter.status !== undefined && viewer.kind !== 'agency') query = query.where('submissions.status', '=', filter.status);
    if (filter.docType !== undefined) query = query.where('submissions.doc_type', '=', filter.docType);
    if (filter.cursor !== undefined) query = query.where('submissions.id', newest ? '<' : '>', filter.cursor);
    if (filter.number !== undefined) query = query.where('submissions.number', '=', filter.number);
    const q = filter.q;
    if (q !== undefined) {
      // substr, not LIKE: exact and case-sensitive on both stores, and `_` in ids is no wildcard.
      query = query.where((eb) =>
        eb.or([
          sql<SqlBool>`substr(submissions.id, 1, ${sql.lit(q.length)}) = ${q}`,
          sql<SqlBool>`substr(submissions.number, 1, ${sql.lit(q.length)}) = ${q}`,
          eb('submissions.declarant_id', '=', q),
          eb('submissions.trader_id', '=', q),
        ]),
      );
    }
    return (await query.execute()).map(toSubmission);
  }

  async partsOf(submissionIds: readonly string[], db: Db = this.db): Promise<PartRecord[]> {
    if (submissionIds.length === 0) return [];
    const [only] = submissionIds;
    // One submission's parts (the decisions' and acknowledgements' case) is compiled once.
    const rows =
      submissionIds.length === 1 && only !== undefined
        ? await this.prepared.rows(db, 'partsOf', { id: only }, (given) => db.selectFrom('parts').selectAll().where('submission_id', '=', given.id).orderBy('created_at').orderBy('agency'))
        : await db.selectFrom('parts').selectAll().where('submission_id', 'in', submissionIds).orderBy('submission_id').orderBy('created_at').orderBy('agency').execute();
    return rows.map(toPart);
  }

  async historyOf(submissionId: string): Promise<HistoryRecord[]> {
    const rows = await this.db.selectFrom('submission_history').selectAll().where('submission_id', '=', submissionId).orderBy('seq').execute();
    return rows.map(toHistory);
  }

  /** Moves a part from one status to another; false when it was no longer in `from` (someone else moved it). */
  async movePart(trx: Transaction<Database>, partId: string, from: PartStatus, to: PartStatus, reasons: readonly Reason[] | null, at: string): Promise<boolean> {
    const values = { id: partId, from, to, reasons: reasons === null ? null : JSON.stringify(reasons), at };
    const moved = await this.prepared.affected(trx, 'movePart', values, (given) =>
      trx.updateTable('parts').set({ status: given.to, reasons: given.reasons, updated_at: given.at }).where('id', '=', given.id).where('status', '=', given.from),
    );
    return moved > 0n;
  }

  /** A part's projection of a new version of the document (an approved amendment). */
  async setPartData(trx: Transaction<Database>, partId: string, data: unknown, at: string): Promise<void> {
    await trx.updateTable('parts').set({ data: JSON.stringify(data), updated_at: at }).where('id', '=', partId).execute();
  }

  /** Parts a new version of the document adds (an agency it now goes to). */
  async insertParts(trx: Transaction<Database>, parts: readonly PartRecord[]): Promise<void> {
    if (parts.length > 0) await trx.insertInto('parts').values(parts.map(partRow)).execute();
  }

  /** Sets the submission's status if its version is still `version`; false otherwise. */
  async setStatus(trx: Transaction<Database>, id: string, version: number, status: SubmissionStatus, at: string): Promise<boolean> {
    const set = await this.prepared.affected(trx, 'setStatus', { id, version, next: version + 1, status, at }, (given) =>
      trx.updateTable('submissions').set({ status: given.status, version: given.next, updated_at: given.at }).where('id', '=', given.id).where('version', '=', given.version),
    );
    return set > 0n;
  }

  async appendHistory(trx: Transaction<Database>, entries: readonly HistoryRecord[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((entry) => ({
      submission_id: entry.submissionId,
      agency: entry.agency,
      from_status: entry.from,
      to_status: entry.to,
      actor: entry.actor,
      reasons: entry.reasons.length === 0 ? null : JSON.stringify(entry.reasons),
      at: entry.at,
    }));
    await this.inserts.run(trx, 'submission_history', rows, () => trx.insertInto('submission_history').values(rows));
  }
}

/** What a submission keeps to prove who sent what and what Kouan answered. */
export interface StoredSignature {
  readonly submissionId: string;
  readonly tenant: string;
  readonly declarant: string;
  readonly createdAt: string;
  readonly requestHash: string;
  /** The declarant's detached JWS, the key it named and the exact bytes it signed (null before 0014). */
  readonly signature: { readonly jws: string; readonly kid: string; readonly signedBody: string | null } | null;
  /** Kouan's countersigned receipt (null for submissions stored before 0014), and its SM2 twin when made. */
  readonly receipt: string | null;
  readonly receiptSm2: string | null;
}

const SIGNATURE_COLUMNS = ['id', 'tenant_id', 'declarant_id', 'created_at', 'request_hash', 'signature', 'signature_kid', 'signed_body', 'receipt', 'receipt_sm2'] as const;

function toStoredSignature(row: Pick<SubmissionTable, (typeof SIGNATURE_COLUMNS)[number]>): StoredSignature {
  return {
    submissionId: row.id,
    tenant: row.tenant_id,
    declarant: row.declarant_id,
    createdAt: row.created_at,
    requestHash: row.request_hash,
    signature: row.signature === null ? null : { jws: row.signature, kid: row.signature_kid ?? '', signedBody: row.signed_body },
    receipt: row.receipt,
    receiptSm2: row.receipt_sm2,
  };
}

function partRow(part: PartRecord): PartTable {
  return {
    id: part.id,
    submission_id: part.submissionId,
    agency: part.agency,
    doc_type: part.docType,
    status: part.status,
    data: JSON.stringify(part.data),
    reasons: part.reasons.length === 0 ? null : JSON.stringify(part.reasons),
    created_at: part.createdAt,
    updated_at: part.updatedAt,
  };
}

function toSubmission(row: Selectable<SubmissionTable>): SubmissionRecord {
  return {
    id: row.id,
    tenant: row.tenant_id,
    docType: row.doc_type,
    declarant: row.declarant_id,
    trader: row.trader_id,
    status: row.status,
    data: JSON.parse(row.data) as unknown,
    version: row.version,
    documentVersion: Number(row.document_version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    number: row.number,
  };
}

function toPart(row: PartTable): PartRecord {
  return {
    id: row.id,
    submissionId: row.submission_id,
    agency: row.agency,
    docType: row.doc_type,
    status: row.status,
    data: JSON.parse(row.data) as unknown,
    reasons: row.reasons === null ? [] : (JSON.parse(row.reasons) as Reason[]),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toHistory(row: { [K in keyof HistoryTable]: K extends 'seq' ? number : HistoryTable[K] }): HistoryRecord {
  return {
    submissionId: row.submission_id,
    agency: row.agency,
    from: row.from_status,
    to: row.to_status,
    actor: row.actor,
    reasons: row.reasons === null ? [] : (JSON.parse(row.reasons) as Reason[]),
    at: row.at,
  };
}

/** Invariant 7 as SQL: the declarant and the trader see a submission, an agency one it has a part in, an operator its tenant's. */
function visibleTo(eb: ExpressionBuilder<Database, 'submissions'>, viewer: Viewer): Expression<SqlBool> {
  switch (viewer.kind) {
    case 'enterprise':
      return eb.or([eb('submissions.declarant_id', '=', viewer.party), eb('submissions.trader_id', '=', viewer.party)]);
    case 'agency':
      return eb.exists(eb.selectFrom('parts').select('parts.id').whereRef('parts.submission_id', '=', 'submissions.id').where('parts.agency', '=', viewer.party));
    case 'operator':
      return eb('submissions.tenant_id', '=', viewer.tenant);
  }
}
