/**
 * What the ledger engine asks of a model (docs/ledger.md, "Models"). The engine keeps accounts, lines, two-phase
 * reservations, immutable entries, signatures and the replay audit; a model says what an account's lines are
 * and how a claim takes from them. The engine names no model: it looks the account type's model up and calls it.
 *
 *   issue request ──checkIssue──▶ signed lines (+ extras) ──lines──▶ stored lines, keyed by `key`
 *   claim line + reference ──acceptsDirection, take──▶ takings (line, side, quantity, write-off kind)
 *   stored line ──lineView / auditLine──▶ view fields / audit problems
 */
import type { LedgerClaimLine, LedgerClaimReference, LedgerClosure } from '../claim.js';
import type { AccountType, Direction } from '../account-types.js';
import type { AccountRow, LineRow, Side } from '../ledger.repository.js';
import type { IssueAccountRequest, ModelId, SignedAccount, SignedLine, WriteOffKind } from '../ledger.schema.js';
import type { FieldError } from '../../../shared/errors.js';

/** A stored line as a model makes it from the signed content; the engine adds the balances. */
export interface LineDraft {
  readonly lineNo: number;
  readonly key: string;
  readonly hsCode: string | null;
  readonly unit: string;
  /** In millionths of the unit. */
  readonly granted: bigint;
}

/** What an issue request signs, as the model read it. */
export interface IssuedContent {
  readonly lines: readonly SignedLine[];
  readonly extras: Pick<SignedAccount, 'products' | 'carnet' | 'vouchers'>;
}

export interface IssueContext {
  readonly request: IssueAccountRequest;
  readonly type: AccountType;
  /** Problems are added here, each on the path of its value. */
  readonly errors: FieldError[];
}

export interface TakeContext {
  readonly account: AccountRow;
  readonly signed: SignedAccount;
  readonly lines: readonly LineRow[];
  readonly line: LedgerClaimLine;
  readonly reference: LedgerClaimReference;
  readonly direction: Direction;
}

/** Part of an account line a claim line holds. */
export interface Taking {
  readonly lineNo: number;
  readonly side: Side;
  /** In millionths of the line's unit. */
  readonly quantity: bigint;
  readonly writeOff?: WriteOffKind;
}

export type TakeResult = { readonly takings: readonly Taking[] } | { readonly problem: Omit<FieldError, 'path'> };

/** Fields a model adds to a line's view. */
export type LineViewExtras = Partial<Record<'key' | 'description' | 'debitReserved' | 'debitPosted' | 'stock' | 'outstanding', string>>;

/** A deadline customs may extend (temporary admission): so many months after entry, extended so many times. */
export interface Deadline {
  readonly months: number;
  readonly extensionMonths: number;
  readonly maxExtensions: number;
  /** The agency that extends it. */
  readonly extendedBy: string;
}

export interface LedgerModel {
  readonly id: ModelId;
  /** Checks the request's lines and the model's extras (products, carnet, vouchers); returns what is signed. */
  checkIssue(context: IssueContext): IssuedContent;
  /** The stored lines of an account, from its signed content: what `matchesDocument` compares, too. */
  lines(signed: SignedAccount): LineDraft[];
  /** Whether a claim in `claim` direction may use an account issued for `account`. */
  acceptsDirection(account: Direction, claim: Direction): boolean;
  /** Which account lines the claim line holds, on which side and how much, or why it cannot. */
  take(context: TakeContext): TakeResult;
  lineView(line: LineRow, signed: SignedAccount): LineViewExtras;
  /** Problems the replay audit reports on a stored line beyond the engine's own balance checks. */
  auditLine(line: LineRow): readonly string[];
  readonly deadline?: Deadline;
  /**
   * Whether a closing document's report reconciles with the account's lines (every problem, each on its path);
   * absent when accounts of the model are not closed by a reconciliation.
   */
  reconcile?(context: { readonly account: AccountRow; readonly lines: readonly LineRow[]; readonly closure: LedgerClosure }): FieldError[];
}
