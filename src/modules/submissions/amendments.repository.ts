import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AttachmentRef } from '../attachments/index.js';
import type { AmendmentAction, AmendmentOutcome, AmendmentStatus } from './amendments.tables.js';
import type { Reason } from './submissions.schema.js';

export interface AmendmentRecord {
  readonly id: string;
  readonly submissionId: string;
  readonly action: AmendmentAction;
  readonly status: AmendmentStatus;
  readonly version: number | null;
  readonly data: unknown;
  readonly attachments: readonly AttachmentRef[];
  readonly reasons: readonly Reason[];
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly decidedAt: string | null;
  readonly signature: string | null;
  readonly signedBody: string | null;
  readonly receipt: string;
  readonly receiptSm2: string | null;
  readonly decisions: readonly AmendmentDecisionRecord[];
}

export interface AmendmentDecisionRecord {
  readonly agency: string;
  readonly outcome: AmendmentOutcome | 'pending';
  readonly reasons: readonly Reason[];
  readonly decidedAt: string | null;
}

/** The requests to amend or withdraw a submission after acceptance, their decisions, and the versions they replaced. */
export class AmendmentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(trx: Transaction<Database>, amendment: Omit<AmendmentRecord, 'decisions'>, agencies: readonly string[]): Promise<void> {
    await trx
      .insertInto('submission_amendments')
      .values({
        id: amendment.id,
        submission_id: amendment.submissionId,
        action: amendment.action,
        status: amendment.status,
        version: amendment.version,
        data: amendment.data === undefined || amendment.data === null ? null : JSON.stringify(amendment.data),
        attachments: amendment.action === 'amend' ? JSON.stringify(amendment.attachments) : null,
        reasons: JSON.stringify(amendment.reasons),
        requested_by: amendment.requestedBy,
        requested_at: amendment.requestedAt,
        decided_at: null,
        signature: amendment.signature,
        signed_body: amendment.signedBody,
        receipt: amendment.receipt,
        receipt_sm2: amendment.receiptSm2,
      })
      .execute();
    await trx
      .insertInto('amendment_decisions')
      .values(agencies.map((agency) => ({ amendment_id: amendment.id, agency, outcome: 'pending' as const, reasons: null, decided_at: null })))
      .execute();
  }

  /** A submission's requests, oldest first, with their decisions. */
  async of(submissionId: string, db: Kysely<Database> | Transaction<Database> = this.db): Promise<AmendmentRecord[]> {
    const rows = await db.selectFrom('submission_amendments').selectAll().where('submission_id', '=', submissionId).orderBy('requested_at').orderBy('id').execute();
    if (rows.length === 0) return [];
    const decisions = await db
      .selectFrom('amendment_decisions')
      .selectAll()
      .where(
        'amendment_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('agency')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      submissionId: row.submission_id,
      action: row.action,
      status: row.status,
      version: row.version === null ? null : Number(row.version),
      data: row.data === null ? null : (JSON.parse(row.data) as unknown),
      attachments: row.attachments === null ? [] : (JSON.parse(row.attachments) as AttachmentRef[]),
      reasons: JSON.parse(row.reasons) as Reason[],
      requestedBy: row.requested_by,
      requestedAt: row.requested_at,
      decidedAt: row.decided_at,
      signature: row.signature,
      signedBody: row.signed_body,
      receipt: row.receipt,
      receiptSm2: row.receipt_sm2,
      decisions: decisions
        .filter((decision) => decision.amendment_id === row.id)
        .map((decision) => ({ agency: decision.agency, outcome: decision.outcome, reasons: decision.reasons === null ? [] : (JSON.parse(decision.reasons) as Reason[]), decidedAt: decision.decided_at })),
    }));
  }

  /** The submission's request still waiting for the agencies, if any. */
  pendingOf(trx: Transaction<Database>, submissionId: string): Promise<{ id: string } | undefined> {
    return trx.selectFrom('submission_amendments').select('id').where('submission_id', '=', submissionId).where('status', '=', 'pending').limit(1).executeTakeFirst();
  }

  /** Records an agency's decision if it has not decided yet; false otherwise. */
  async decide(trx: Transaction<Database>, amendmentId: string, agency: string, outcome: AmendmentOutcome, reasons: readonly Reason[], at: string): Promise<boolean> {
    const result = await trx
      .updateTable('amendment_decisions')
      .set({ outcome, reasons: reasons.length === 0 ? null : JSON.stringify(reasons), decided_at: at })
      .where('amendment_id', '=', amendmentId)
      .where('agency', '=', agency)
      .where('outcome', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async settle(trx: Transaction<Database>, amendmentId: string, status: Exclude<AmendmentStatus, 'pending'>, at: string): Promise<void> {
    await trx.updateTable('submission_amendments').set({ status, decided_at: at }).where('id', '=', amendmentId).where('status', '=', 'pending').execute();
  }

  /**
   * Keeps the version the amendment replaces and puts the new one in its place, with its attachments: the
   * submission's document, its document version, and the parts' projections (the caller passes those).
   */
  async replaceDocument(
    trx: Transaction<Database>,
    change: { submissionId: string; amendmentId: string; from: { version: number; data: unknown; attachments: readonly AttachmentRef[] }; to: { version: number; data: unknown }; at: string },
  ): Promise<void> {
    await trx
      .insertInto('submission_versions')
      .values({ submission_id: change.submissionId, version: change.from.version, data: JSON.stringify(change.from.data), attachments: JSON.stringify(change.from.attachments), replaced_at: change.at, amendment_id: change.amendmentId })
      .execute();
    await trx.updateTable('submissions').set({ data: JSON.stringify(change.to.data), document_version: change.to.version, updated_at: change.at }).where('id', '=', change.submissionId).execute();
  }

  /** The versions a submission's amendments replaced, oldest first. */
  async versionsOf(submissionId: string): Promise<{ version: number; data: unknown; attachments: AttachmentRef[]; replacedAt: string; amendmentId: string }[]> {
    const rows = await this.db.selectFrom('submission_versions').selectAll().where('submission_id', '=', submissionId).orderBy('version').execute();
    return rows.map((row) => ({ version: Number(row.version), data: JSON.parse(row.data) as unknown, attachments: JSON.parse(row.attachments) as AttachmentRef[], replacedAt: row.replaced_at, amendmentId: row.amendment_id }));
  }

  async documentVersion(trx: Transaction<Database>, submissionId: string): Promise<number> {
    const row = await trx.selectFrom('submissions').select('document_version').where('id', '=', submissionId).executeTakeFirstOrThrow();
    return Number(row.document_version);
  }
}
