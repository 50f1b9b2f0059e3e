/**
 * The state machines of a part (one agency's share of a submission) and the status of a submission, which is
 * derived from its parts. Pure functions, so the rules can be read and tested in one place.
 *
 *   submitted ──ack──▶ delivered
 *   submitted | delivered ──accepted──▶ accepted
 *   submitted | delivered | accepted ──inspection──▶ inspection
 *   accepted | inspection ──released──▶ released          (terminal)
 *   submitted | delivered | accepted ──rejected──▶ rejected (terminal: the declaration is refused as filed)
 *   accepted | inspection ──refused──▶ refused             (terminal: the goods may not pass)
 *   any open part ──owner cancels, or another agency rejects/refuses──▶ cancelled (terminal)
 */

export const PART_STATUSES = ['submitted', 'delivered', 'accepted', 'inspection', 'released', 'rejected', 'refused', 'cancelled'] as const;
export type PartStatus = (typeof PART_STATUSES)[number];

export const OUTCOMES = ['accepted', 'rejected', 'inspection', 'released', 'refused'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SUBMISSION_STATUSES = ['submitted', 'delivered', 'processing', 'accepted', 'inspection', 'released', 'rejected', 'refused', 'cancelled'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

const FROM: Readonly<Record<Outcome, readonly PartStatus[]>> = {
  accepted: ['submitted', 'delivered'],
  inspection: ['submitted', 'delivered', 'accepted'],
  released: ['accepted', 'inspection'],
  rejected: ['submitted', 'delivered', 'accepted'],
  refused: ['accepted', 'inspection'],
};

const TERMINAL_PARTS: ReadonlySet<PartStatus> = new Set(['released', 'rejected', 'refused', 'cancelled']);
const TERMINAL_SUBMISSIONS: ReadonlySet<SubmissionStatus> = new Set(['released', 'rejected', 'refused', 'cancelled']);

/** Whether an agency's decision may move a part from its current status. */
export function canDecide(from: PartStatus, outcome: Outcome): boolean {
  return FROM[outcome].includes(from);
}

/** Outcomes that must carry reasons, so the trader knows what to put right. */
export function needsReasons(outcome: Outcome): boolean {
  return outcome === 'rejected' || outcome === 'refused';
}

export function isTerminalPart(status: PartStatus): boolean {
  return TERMINAL_PARTS.has(status);
}

export function isTerminalSubmission(status: SubmissionStatus): boolean {
  return TERMINAL_SUBMISSIONS.has(status);
}

/** The submission's status from its parts' statuses (a cancelled submission stays cancelled). */
export function aggregateStatus(parts: readonly PartStatus[], cancelled = false): SubmissionStatus {
  if (cancelled) return 'cancelled';
  if (parts.includes('rejected')) return 'rejected';
  if (parts.includes('refused')) return 'refused';
  if (parts.length > 0 && parts.every((status) => status === 'released')) return 'released';
  if (parts.includes('inspection')) return 'inspection';
  if (parts.length > 0 && parts.every((status) => status === 'accepted' || status === 'released')) return 'accepted';
  if (parts.some((status) => status === 'accepted' || status === 'released')) return 'processing';
  if (parts.length > 0 && parts.every((status) => status !== 'submitted')) return 'delivered';
  return 'submitted';
}
