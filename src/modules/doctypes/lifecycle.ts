/**
 * A document type's lifecycle as data: the states of a part (one agency's share), which decision moves a part
 * from where, which decisions need reasons, which close the other parts, and how the parts make the whole.
 * The submissions pipeline reads the definition's lifecycle and names no state itself; the functions below are
 * pure, so the rules can be read and tested in one place.
 *
 * Kouan ships two: CLEARANCE, for documents about goods crossing the border (the goods declaration), and
 * APPROVAL, for filings each agency approves or rejects (a processing-trade filing, an exhibition filing).
 */
import type { ClearanceCode } from '../tracking/index.js';
import type { Text } from './doctype.js';

export interface OutcomeSpec {
  readonly id: string;
  /** The part statuses this decision may move a part from. */
  readonly from: readonly string[];
  /** Whether the decision must carry reasons, so that the trader knows what to put right. */
  readonly needsReasons: boolean;
  /** Whether it ends the whole document: the other open parts are closed (their agencies told). */
  readonly closesOthers: boolean;
  /** The reason Kouan gives the parts and holds it closes (shared/reasons.ts); required when it closes others. */
  readonly closingReason?: 'SUBMISSION_REJECTED' | 'GOODS_REFUSED';
  /** The clearance event the status database records for it, for documents about cargo. */
  readonly clearance?: ClearanceCode;
  readonly description: Text;
}

/** One rule of how the parts make the whole: the first rule that holds gives the document's status. */
export interface WholeRule {
  readonly status: string;
  /** any: some part is in `of`; all: every part is (and there is one); some: some part is; none: no part is. */
  readonly when: 'any' | 'all' | 'none';
  readonly of: readonly string[];
}

export interface Lifecycle {
  readonly id: string;
  readonly description: Text;
  /** Every status a part can be in; a part starts in the first. */
  readonly partStatuses: readonly string[];
  /** An agency's acknowledgement of a new part moves it `from` → `to`. */
  readonly delivery: { readonly from: string; readonly to: string };
  readonly outcomes: readonly OutcomeSpec[];
  /** The status of a part still open when the document is withdrawn or another agency ends it. */
  readonly cancelled: string;
  readonly terminalParts: readonly string[];
  /**
   * The part statuses in which an agency has taken the document in, so that changing or withdrawing it needs
   * that agency's decision on a request (修改/撤销申请); before them, the declarant cancels or files again.
   */
  readonly amendable: readonly string[];
  readonly submissionStatuses: readonly string[];
  readonly terminalSubmissions: readonly string[];
  /** How the parts make the whole, in order; the first status of `submissionStatuses` when none holds. */
  readonly whole: readonly WholeRule[];
}

/**
 *   submitted ──ack──▶ delivered
 *   submitted | delivered ──accepted──▶ accepted
 *   submitted | delivered | accepted ──inspection──▶ inspection
 *   accepted | inspection ──released──▶ released          (terminal)
 *   submitted | delivered | accepted ──rejected──▶ rejected (terminal: the declaration is refused as filed)
 *   accepted | inspection ──refused──▶ refused             (terminal: the goods may not pass)
 *   any open part ──owner cancels, or another agency rejects/refuses──▶ cancelled (terminal)
 */
export const CLEARANCE = {
  id: 'clearance',
  description: {
    en: 'Goods crossing the border: each agency accepts, may inspect, and releases or refuses; one rejection or refusal ends the declaration.',
    zh: '货物通关：各部门受理、可查验，放行或不予放行；任一部门退单或不予放行即结束整票申报。',
  },
  partStatuses: ['submitted', 'delivered', 'accepted', 'inspection', 'released', 'rejected', 'refused', 'cancelled'],
  delivery: { from: 'submitted', to: 'delivered' },
  outcomes: [
    { id: 'accepted', from: ['submitted', 'delivered'], needsReasons: false, closesOthers: false, clearance: 'ACCE', description: { en: 'The agency takes the declaration in for processing.', zh: '部门受理申报。' } },
    { id: 'inspection', from: ['submitted', 'delivered', 'accepted'], needsReasons: false, closesOthers: false, clearance: 'INSP', description: { en: 'The goods are held for inspection.', zh: '货物待查验。' } },
    { id: 'released', from: ['accepted', 'inspection'], needsReasons: false, closesOthers: false, clearance: 'RELS', description: { en: 'The agency releases the goods.', zh: '部门放行。' } },
    { id: 'rejected', from: ['submitted', 'delivered', 'accepted'], needsReasons: true, closesOthers: true, closingReason: 'SUBMISSION_REJECTED', clearance: 'REJE', description: { en: 'The declaration is refused as filed (退单); it may be filed again, corrected.', zh: '申报被退回（退单），可更正后重新申报。' } },
    { id: 'refused', from: ['accepted', 'inspection'], needsReasons: true, closesOthers: true, closingReason: 'GOODS_REFUSED', clearance: 'HOLD', description: { en: 'The goods may not pass.', zh: '货物不予放行。' } },
  ],
  cancelled: 'cancelled',
  terminalParts: ['released', 'rejected', 'refused', 'cancelled'],
  amendable: ['accepted', 'inspection', 'released'],
  submissionStatuses: ['submitted', 'delivered', 'processing', 'accepted', 'inspection', 'released', 'rejected', 'refused', 'cancelled'],
  terminalSubmissions: ['released', 'rejected', 'refused', 'cancelled'],
  whole: [
    { status: 'rejected', when: 'any', of: ['rejected'] },
    { status: 'refused', when: 'any', of: ['refused'] },
    { status: 'released', when: 'all', of: ['released'] },
    { status: 'inspection', when: 'any', of: ['inspection'] },
    { status: 'accepted', when: 'all', of: ['accepted', 'released'] },
    { status: 'processing', when: 'any', of: ['accepted', 'released'] },
    { status: 'delivered', when: 'none', of: ['submitted'] },
  ],
} as const satisfies Lifecycle;

/**
 *   submitted ──ack──▶ delivered
 *   submitted | delivered ──approved──▶ approved   (terminal)
 *   submitted | delivered ──rejected──▶ rejected   (terminal: one rejection ends the filing)
 *   any open part ──owner withdraws, or another agency rejects──▶ cancelled
 */
export const APPROVAL = {
  id: 'approval',
  description: {
    en: 'A filing each agency approves or rejects; it is approved when every agency has approved it, and one rejection ends it.',
    zh: '备案类单证：各部门分别审批；全部部门批准即为批准，任一部门不予批准即结束。',
  },
  partStatuses: ['submitted', 'delivered', 'approved', 'rejected', 'cancelled'],
  delivery: { from: 'submitted', to: 'delivered' },
  outcomes: [
    { id: 'approved', from: ['submitted', 'delivered'], needsReasons: false, closesOthers: false, description: { en: 'The agency approves its part.', zh: '部门批准。' } },
    { id: 'rejected', from: ['submitted', 'delivered'], needsReasons: true, closesOthers: true, closingReason: 'SUBMISSION_REJECTED', description: { en: 'The agency does not approve; the filing may be filed again, corrected.', zh: '部门不予批准，可更正后重新申报。' } },
  ],
  cancelled: 'cancelled',
  terminalParts: ['approved', 'rejected', 'cancelled'],
  amendable: ['approved'],
  submissionStatuses: ['submitted', 'delivered', 'processing', 'approved', 'rejected', 'cancelled'],
  terminalSubmissions: ['approved', 'rejected', 'cancelled'],
  whole: [
    { status: 'rejected', when: 'any', of: ['rejected'] },
    { status: 'approved', when: 'all', of: ['approved'] },
    { status: 'processing', when: 'any', of: ['approved'] },
    { status: 'delivered', when: 'none', of: ['submitted'] },
  ],
} as const satisfies Lifecycle;

/** The lifecycles document types choose from; the API's status and outcome names are theirs together. */
export const LIFECYCLES = [CLEARANCE, APPROVAL] as const;

type Shipped = (typeof LIFECYCLES)[number];
export type PartStatus = Shipped['partStatuses'][number];
export type Outcome = Shipped['outcomes'][number]['id'];
export type SubmissionStatus = Shipped['submissionStatuses'][number];

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
export const PART_STATUSES = unique(LIFECYCLES.flatMap((lifecycle): PartStatus[] => [...lifecycle.partStatuses]));
export const OUTCOMES = unique(LIFECYCLES.flatMap((lifecycle): Outcome[] => lifecycle.outcomes.map((outcome) => outcome.id)));
export const SUBMISSION_STATUSES = unique(LIFECYCLES.flatMap((lifecycle): SubmissionStatus[] => [...lifecycle.submissionStatuses]));

/** Where a new part starts. */
export function initialPartStatus(lifecycle: Lifecycle): PartStatus {
  return (lifecycle.partStatuses[0] ?? 'submitted') as PartStatus;
}

/** Where a new document starts. */
export function initialStatus(lifecycle: Lifecycle): SubmissionStatus {
  return (lifecycle.submissionStatuses[0] ?? 'submitted') as SubmissionStatus;
}

/** The outcome of this lifecycle, or undefined when it has no such decision. */
export function outcomeOf(lifecycle: Lifecycle, outcome: string): OutcomeSpec | undefined {
  return lifecycle.outcomes.find((candidate) => candidate.id === outcome);
}

/** Whether an agency's decision may move a part from its current status. */
export function canDecide(lifecycle: Lifecycle, from: string, outcome: string): boolean {
  return outcomeOf(lifecycle, outcome)?.from.includes(from) ?? false;
}

/** Decisions that must carry reasons, so the trader knows what to put right. */
export function needsReasons(lifecycle: Lifecycle, outcome: string): boolean {
  return outcomeOf(lifecycle, outcome)?.needsReasons ?? false;
}

export function isTerminalPart(lifecycle: Lifecycle, status: string): boolean {
  return lifecycle.terminalParts.includes(status);
}

export function isTerminalSubmission(lifecycle: Lifecycle, status: string): boolean {
  return lifecycle.terminalSubmissions.includes(status);
}

/** The document's status from its parts' statuses (a withdrawn document stays withdrawn). */
export function aggregateStatus(lifecycle: Lifecycle, parts: readonly string[], cancelled = false): SubmissionStatus {
  if (cancelled) return lifecycle.cancelled as SubmissionStatus;
  for (const rule of lifecycle.whole) {
    const holds =
      rule.when === 'any'
        ? parts.some((status) => rule.of.includes(status))
        : rule.when === 'all'
          ? parts.length > 0 && parts.every((status) => rule.of.includes(status))
          : parts.length > 0 && parts.every((status) => !rule.of.includes(status));
    if (holds) return rule.status as SubmissionStatus;
  }
  return initialStatus(lifecycle);
}

/** Checks a lifecycle's data for consistency; the problems, empty when it is sound (the contract test runs it). */
export function lifecycleProblems(lifecycle: Lifecycle): string[] {
  const problems: string[] = [];
  const parts = new Set(lifecycle.partStatuses);
  const whole = new Set(lifecycle.submissionStatuses);
  const known = (status: string, where: string) => parts.has(status) || problems.push(`${where}: ${status} is not a part status`);
  known(lifecycle.delivery.from, 'delivery.from');
  known(lifecycle.delivery.to, 'delivery.to');
  known(lifecycle.cancelled, 'cancelled');
  for (const status of lifecycle.terminalParts) known(status, 'terminalParts');
  for (const status of lifecycle.amendable) known(status, 'amendable');
  if (lifecycle.amendable.includes(lifecycle.cancelled)) problems.push('amendable: a cancelled part takes no request');
  for (const outcome of lifecycle.outcomes) {
    known(outcome.id, `outcome ${outcome.id}`);
    for (const from of outcome.from) known(from, `outcome ${outcome.id}.from`);
    if (outcome.from.some((from) => lifecycle.terminalParts.includes(from))) problems.push(`outcome ${outcome.id} moves a terminal part`);
    if (outcome.closesOthers && outcome.closingReason === undefined) problems.push(`outcome ${outcome.id} closes the other parts without a reason`);
  }
  for (const rule of lifecycle.whole) {
    if (!whole.has(rule.status)) problems.push(`whole: ${rule.status} is not a submission status`);
    for (const status of rule.of) known(status, `whole ${rule.status}`);
  }
  if (!whole.has(lifecycle.cancelled)) problems.push(`cancelled: ${lifecycle.cancelled} is not a submission status`);
  for (const status of lifecycle.terminalSubmissions) if (!whole.has(status)) problems.push(`terminalSubmissions: ${status} is not a submission status`);
  return problems;
}
