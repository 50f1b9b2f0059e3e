import type { TSchema } from 'typebox';
import type { FieldCode, FieldError, NoticeCode, Params } from '../../shared/errors.js';
import type { LocodePlace, TariffLine } from '../codes/index.js';

export interface Text {
  readonly en: string;
  readonly zh: string;
}

/** Who is asking for a document to be validated; some rules depend on it (the declarant must be the caller). */
export interface Caller {
  readonly partyId: string;
  readonly roles: readonly string[];
  /**
   * The enterprises that delegated this document type to the caller for today (委托报关), with the directions
   * each allows; absent or empty when the caller holds none.
   */
  readonly mandates?: readonly { readonly principal: string; readonly directions: readonly string[] }[];
}

/** A JSON object as it arrived: rules read it through the guards of `loose.ts`, so they also run on documents that failed the schema. */
export type LooseDocument = Readonly<Record<string, unknown>>;

/** A rule that looks at several fields together; it returns one error per problem, each on the field it concerns. */
export interface CrossFieldRule {
  readonly id: string;
  readonly description: Text;
  readonly codes: readonly FieldCode[];
  check(document: LooseDocument, caller: Caller): FieldError[];
}

/** Not an error, but what a caller should know about how a document was checked; `path` when it concerns one value. */
export interface Notice {
  readonly code: NoticeCode;
  readonly path?: string;
  readonly params?: Params;
}

/** What the imported code lists say about the codes a document names (resolved once per document). */
export interface References {
  /** The UN/LOCODE place, when the list is imported and has it. */
  place(locode: string): LocodePlace | undefined;
  /** The national tariff's line, when a tariff is imported and has it. */
  tariffLine(hsCode: string): TariffLine | undefined;
}

/** A check whose findings are notices, never errors: what the trade does is not always what the lists say. */
export interface AdvisoryRule {
  readonly id: string;
  readonly description: Text;
  readonly notices: readonly NoticeCode[];
  advise(document: LooseDocument, references: References): Notice[];
}

/** How a document splits: one part per agency, when its condition holds, carrying that agency's projection. */
export interface PartSpec<T> {
  readonly agency: string;
  readonly docType: string;
  readonly condition: Text;
  applies(document: T): boolean;
  project(document: T): unknown;
}

/** A goods line as the ledger sees it: what it is, how much, and which licences and certificates it cites. */
export interface LedgerClaimLine {
  /** JSON path of the line, e.g. `$.lines[0]`. */
  readonly path: string;
  readonly hsCode: string;
  /** Canonical decimal string. */
  readonly quantity: string;
  readonly unit: string;
  readonly documents: readonly { readonly type: string; readonly number: string }[];
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

/** How a document type uses the ledger. */
export interface LedgerUse {
  /** The claim, read from a document that may not match its schema (lines that do not are left out), as this caller makes it. */
  claim(document: LooseDocument, caller: Caller): LedgerClaim | undefined;
  /** The agency whose release writes the reserved quantities off. */
  readonly writeOffOn: string;
}

/** A document type as data: its schema, rules and parts. Adding a document type is adding one of these. */
export interface DocTypeDefinition<T = unknown> {
  readonly id: string;
  readonly version: number;
  readonly title: Text;
  readonly schema: TSchema;
  readonly rules: readonly CrossFieldRule[];
  /** Checks against the imported reference data that give notices (the submission goes through). */
  readonly advisories?: readonly AdvisoryRule[];
  readonly parts: readonly PartSpec<T>[];
  /** The domestic party the document is for (importer or exporter), if it names one. */
  traderOf(document: T): string | undefined;
  /** What it verifies against the ledger and writes off; absent when it touches no ledger account. */
  readonly ledger?: LedgerUse;
  /** Extra published facts about the definition, such as its routing tables. */
  readonly publish?: Readonly<Record<string, unknown>>;
}
