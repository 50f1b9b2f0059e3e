/** What a declarant asks after acceptance: to amend the document (a new version) or to withdraw it. */
export const AMENDMENT_ACTIONS = ['amend', 'withdraw'] as const;
export type AmendmentAction = (typeof AMENDMENT_ACTIONS)[number];

/** pending until every addressed agency decided; approved (and applied) or rejected. */
export const AMENDMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

export const AMENDMENT_OUTCOMES = ['approved', 'rejected'] as const;
export type AmendmentOutcome = (typeof AMENDMENT_OUTCOMES)[number];

export interface AmendmentTable {
  id: string;
  submission_id: string;
  action: AmendmentAction;
  status: AmendmentStatus;
  /** The document version an approved amendment makes; null for a withdrawal. */
  version: number | null;
  /** The new version's canonical document (JSON); null for a withdrawal. */
  data: string | null;
  /** The new version's attachments (JSON), as the request named them; null for a withdrawal. */
  attachments: string | null;
  reasons: string;
  requested_by: string;
  requested_at: string;
  decided_at: string | null;
  signature: string | null;
  signed_body: string | null;
  receipt: string;
  /** The same receipt countersigned with SM2, when the platform makes SM2 countersignatures (0031). */
  receipt_sm2: string | null;
}

export interface AmendmentDecisionTable {
  amendment_id: string;
  agency: string;
  outcome: AmendmentOutcome | 'pending';
  reasons: string | null;
  decided_at: string | null;
}

/** A version of a document an approved amendment replaced. */
export interface SubmissionVersionTable {
  submission_id: string;
  version: number;
  data: string;
  attachments: string;
  replaced_at: string;
  amendment_id: string;
}

/** The submissions module's amendment tables; only its repositories touch them. */
export interface AmendmentTables {
  submission_amendments: AmendmentTable;
  amendment_decisions: AmendmentDecisionTable;
  submission_versions: SubmissionVersionTable;
}
