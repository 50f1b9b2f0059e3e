/**
 * What a document asks of the ledger, as the document type's definition states it: the ledger owns these types,
 * document types fill them in (src/modules/doctypes imports them from here).
 */
import type { Caller, LooseDocument } from '../doctypes/doctype.js';
import type { IssueAccountRequest, WriteOffKind } from './ledger.schema.js';

/**
 * A document a line cites. The goods declaration names the type and number only; a model whose lines are not
 * found by HS code is told which line by `key` (a temporary admission's item, a bill number and line), and a
 * temporary admission how the items leave (`writeOff`; by default re-export for an export, conversion for an import).
 */
export interface LedgerClaimReference {
  readonly type: string;
  readonly number: string;
  readonly key?: string;
  readonly writeOff?: WriteOffKind;
  /**
   * The goods enter under the account (a temporary admission's exhibits imported under 2700 or 2600): the
   * account is verified, nothing is written off.
   */
  readonly entry?: boolean;
}

/** A line as the ledger sees it: what it is, how much, and which licences, certificates, manuals or bills it cites. */
export interface LedgerClaimLine {
  /** JSON path of the line, e.g. `$.lines[0]`. */
  readonly path: string;
  /** The goods' HS code; absent for a line that is not goods (an amount of money). Regulatory conditions apply to it. */
  readonly hsCode?: string;
  /** Canonical decimal string. */
  readonly quantity: string;
  readonly unit: string;
  /** Further quantities of the same line in other units, taken too: a bill line's gross mass beside its packages. */
  readonly measures?: readonly { readonly quantity: string; readonly unit: string }[];
  readonly documents: readonly LedgerClaimReference[];
}

/** What a document asks of the ledger: verification of its references and the regulatory conditions. */
export interface LedgerClaim {
  readonly direction: 'import' | 'export';
  /**
   * The domestic trader, who must hold every cited account: set only when the caller may declare for it (is
   * it, or a broker it delegated to). Undefined when the document names none or the caller's standing fails;
   * the ledger then looks no account up, so that it tells a caller nothing of accounts it may not use.
   */
  readonly holder: string | undefined;
  /** The party asking, which may also be told about accounts it holds itself. */
  readonly caller: string;
  readonly port: string | undefined;
  readonly lines: readonly LedgerClaimLine[];
}

/**
 * The account a document's approval opens (LedgerService.issueOnApproval): an issue request without its number,
 * which the kernel derives from the submission so that a retried approval opens the same account once. The
 * account's issuer is Kouan's ledger, and its type must name `platform` among its issuers.
 */
export type LedgerIssue = Omit<IssueAccountRequest, 'number'>;

/**
 * A reported line of a closing document: what the holder says the line received (`credited`, a manual's
 * imports), gave (`debited`, consumed by exports) and how what is left went (`remaining`: domestic sales,
 * leftover, scrap, destruction), in the line's unit.
 */
export interface LedgerClosureLine {
  /** JSON path of the reported line, e.g. `$.materials[0]`. */
  readonly path: string;
  readonly lineNo: number;
  readonly credited: string;
  readonly debited: string;
  readonly remaining: readonly { readonly kind: string; readonly quantity: string }[];
  /** Where each reported value is in the document, for errors. */
  readonly at: { readonly lineNo: string; readonly credited: string; readonly debited: string; readonly remaining: string };
}

/** What a closing document (核销) asks of the ledger: that its report reconciles with the account, which its approval closes. */
export interface LedgerClosure {
  /** JSON path of the account number in the document. */
  readonly path: string;
  readonly type: string;
  readonly number: string;
  /** The holder, set only when the caller may file for it (as for claims: otherwise nothing is looked up). */
  readonly holder: string | undefined;
  readonly caller: string;
  /** JSON path of the reported lines, for a line not reported. */
  readonly linesPath: string;
  readonly lines: readonly LedgerClosureLine[];
}

/** How a document type uses the ledger: what it claims of accounts, what it opens or closes. */
export interface LedgerUse {
  /** The claim, read from a document that may not match its schema (lines that do not are left out), as this caller makes it. */
  claim?(document: LooseDocument, caller: Caller): LedgerClaim | undefined;
  /** The agency whose release writes the reserved quantities off. */
  readonly writeOffOn?: string;
  /**
   * The account the document opens when the reaction `ledger.issue` runs (on approval), read from the stored,
   * valid document; `approvedOn` is the UTC date of the approval, from which validity runs.
   */
  issues?(document: LooseDocument, context: { readonly approvedOn: string }): LedgerIssue;
  /** The account type `issues` opens (published; `issues` must give one of this type). */
  readonly opens?: string;
  /** The account the document reconciles, checked at submission; the reaction `ledger.close` closes it. */
  closes?(document: LooseDocument, caller: Caller): LedgerClosure | undefined;
}
