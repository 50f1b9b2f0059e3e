/**
 * The shapes of the API answers the portal reads, as published in docs/openapi.json (served at
 * /api/v1/openapi.json). Only the fields the portal uses are named; the server may send more.
 */

export type Language = 'en' | 'zh';
export type PartyKind = 'enterprise' | 'agency' | 'operator';
export type UserRole = 'admin' | 'declarant' | 'broker' | 'agency' | 'operator';

export const SUBMISSION_STATUSES = ['submitted', 'delivered', 'processing', 'accepted', 'inspection', 'released', 'rejected', 'refused', 'cancelled'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export const PART_STATUSES = ['submitted', 'delivered', 'accepted', 'inspection', 'released', 'rejected', 'refused', 'cancelled'] as const;
export type PartStatus = (typeof PART_STATUSES)[number];
export const OUTCOMES = ['accepted', 'inspection', 'released', 'rejected', 'refused'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface FieldProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** RFC 9457 problem+json, as every error answer of the API. */
export interface Problem {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
  readonly errors?: readonly FieldProblem[];
  readonly requestId?: string;
  readonly retryAfter?: number;
}

export interface User {
  readonly id: string;
  readonly party: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly UserRole[];
  readonly totp: boolean;
  readonly createdAt: string;
  readonly lastLoginAt: string | null;
  readonly lockedUntil: string | null;
  readonly disabledAt: string | null;
  /** The password is one an admin set: the person must choose their own before anything else (absent on older servers). */
  readonly mustChangePassword?: boolean;
}

/** POST /users/me/totp: the secret to type into an authenticator app, and the same as an otpauth:// URI. */
export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUrl: string;
}


export interface SessionAnswer {
  readonly user: User;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface Me {
  readonly party: string;
  readonly tenant: string;
  readonly kind: PartyKind;
  readonly roles: readonly UserRole[];
  readonly key: string;
}

export interface Reason {
  readonly code?: string;
  readonly message: string;
  readonly path?: string;
}

export interface Part {
  readonly agency: string;
  readonly docType: string;
  readonly status: PartStatus;
  readonly reasons: readonly Reason[];
  readonly updatedAt: string;
}

export interface SubmissionSummary {
  readonly id: string;
  /** The 18-digit unified declaration number, on servers that assign it. */
  readonly number?: string;
  readonly docType: string;
  readonly status: SubmissionStatus;
  readonly declarant: string;
  readonly trader: string | null;
  readonly parts: readonly Part[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface HistoryEntry {
  readonly at: string;
  readonly agency: string | null;
  readonly from: string | null;
  readonly to: string;
  readonly actor: string;
  readonly reasons: readonly Reason[];
}

export type ReservationState = 'reserved' | 'posted' | 'voided' | 'expired';

export interface LedgerUse {
  readonly account: string;
  readonly type: string;
  readonly line: number;
  readonly quantity: string;
  readonly unit: string;
  readonly state: ReservationState;
}

export interface Submission extends SubmissionSummary {
  readonly data: unknown;
  readonly history: readonly HistoryEntry[];
  /** Added by the server with the worklist APIs; absent on older servers. */
  readonly ledger?: readonly LedgerUse[];
  /** What proves who sent what and what Kouan answered; the declarant's side only. */
  readonly proof?: {
    readonly signature: { readonly jws: string; readonly kid: string; readonly signedBody: string | null } | null;
    readonly receipt: string | null;
    readonly receiptSm2?: string;
  };
}

/** How a declaration is named to people: its unified number where the server gives one, else its id. */
export const declarationNumber = (submission: Pick<SubmissionSummary, 'id' | 'number'>): string => submission.number ?? submission.id;

export interface SubmissionList {
  readonly submissions: readonly SubmissionSummary[];
  readonly next: string | null;
}

export interface ValidationAnswer {
  readonly valid: boolean;
  readonly errors: readonly FieldProblem[];
  readonly notices: readonly { readonly code: string; readonly message: string }[];
  readonly parts: readonly { readonly agency: string; readonly docType: string }[];
}

export interface CreatedSubmission extends SubmissionSummary {
  readonly notices: readonly { readonly code: string; readonly message: string }[];
}

export interface CodeEntry {
  readonly code: string;
  readonly en: string;
  readonly zh?: string;
  readonly extra?: Readonly<Record<string, string | number | null>>;
}

export interface CodeSearch {
  readonly list: string;
  readonly loaded: boolean;
  readonly entries: readonly CodeEntry[];
}

export interface DraftSummary {
  readonly id: string;
  readonly docType: string;
  readonly title: string | null;
  readonly version: number;
  readonly createdBy: string;
  readonly updatedBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Draft extends DraftSummary {
  readonly data: unknown;
}

export interface DraftList {
  readonly drafts: readonly DraftSummary[];
  readonly next: string | null;
}

export interface LedgerLine {
  readonly lineNo: number;
  readonly hsCode: string;
  readonly unit: string;
  readonly quantity: string;
  readonly ceiling: string;
  readonly reserved: string;
  readonly posted: string;
  readonly remaining: string;
}

export type AccountStatus = 'active' | 'suspended' | 'revoked';

export interface LedgerAccount {
  readonly number: string;
  readonly type: string;
  readonly issuer: string;
  readonly holder: string;
  readonly direction: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly ports: readonly string[];
  readonly maxUses: number | null;
  readonly uses: number;
  readonly tolerancePct: string;
  readonly status: AccountStatus;
  readonly lines: readonly LedgerLine[];
  readonly issuedAt: string;
}

export interface LedgerAccountList {
  readonly accounts: readonly LedgerAccount[];
  readonly next: string | null;
}

export interface LedgerEntry {
  readonly seq: number;
  readonly entryId: string;
  readonly kind: 'issue' | 'reserve' | 'post' | 'void' | 'expire' | 'suspend' | 'reinstate' | 'revoke';
  readonly lineNo: number | null;
  readonly quantity: string | null;
  readonly submissionId: string | null;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: string;
}

export interface AccountType {
  readonly id: string;
  readonly en: string;
  readonly zh: string;
  readonly issuers: readonly string[];
  readonly directions: readonly ('import' | 'export')[];
  readonly use: 'single' | 'multiple';
  readonly maxTolerancePct: string;
  readonly model: 'quantity' | 'processing-manual';
  readonly attributes?: readonly { readonly name: string; readonly allowed: readonly string[]; readonly required: boolean }[];
}

export interface RegulatoryCondition {
  readonly prefix: string;
  readonly direction: 'import' | 'export' | 'both';
  readonly requires: readonly string[];
  readonly en: string;
}

export interface LedgerTypes {
  readonly types: readonly AccountType[];
  readonly conditions: readonly RegulatoryCondition[];
}

export type EventType = 'SHIPMENT' | 'EQUIPMENT' | 'TRANSPORT' | 'CLEARANCE';

export interface TrackingEvent {
  readonly eventId: string;
  readonly eventType: EventType;
  readonly code: string;
  readonly classifier: 'PLN' | 'EST' | 'ACT';
  readonly eventTime: string;
  readonly location?: string;
  readonly facility?: string;
  readonly agency?: string;
  readonly references: Readonly<Record<string, string>>;
  readonly seq: number;
}

export interface Timeline {
  readonly reference: { readonly kind: 'container' | 'billOfLading' | 'vessel' | 'submission'; readonly value: string };
  readonly events: readonly TrackingEvent[];
  readonly truncated: boolean;
  readonly current: {
    readonly text: string;
    readonly lastActualTime: string | null;
    readonly clearance: readonly { readonly agency: string | null; readonly code: string; readonly eventTime: string }[];
  };
}

export interface QuantileSummary {
  readonly count: number;
  readonly median: number | null;
  readonly p90: number | null;
}

export interface AgencyStats {
  readonly agency: string;
  readonly parts: number;
  readonly released: number;
  readonly rejected: number;
  readonly refused: number;
  readonly rejectionRate: number | null;
  readonly clearanceMinutes: QuantileSummary;
  readonly open: { readonly submitted: number; readonly delivered: number; readonly accepted: number; readonly inspection: number };
  /** Messages not yet acknowledged; null where the figures were worked out in the browser. */
  readonly inboxPending: number | null;
}

export interface DayStats {
  readonly date: string;
  readonly submitted: number;
  readonly released: number;
  readonly rejected: number;
  readonly refused: number;
  readonly cancelled: number;
}

export interface Stats {
  /** UTC days, YYYY-MM-DD. */
  readonly from: string;
  readonly to: string;
  readonly days: readonly DayStats[];
  readonly agencies: readonly AgencyStats[];
}

export const KEY_SCOPES = ['submissions:write', 'submissions:read', 'inbox', 'ledger:issue', 'ledger:read', 'tracking:write', 'tracking:read', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface ApiKey {
  readonly id: string;
  readonly party: string;
  readonly label: string | null;
  readonly scopes: readonly KeyScope[] | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly rotatedFrom: string | null;
}
