import type { TSchema } from 'typebox';
import type { FieldCode, FieldError, NoticeCode, Params } from '../../shared/errors.js';
import type { LocodePlace, TariffLine } from '../codes/index.js';
import type { LedgerUse } from '../ledger/claim.js';

export type { LedgerClaim, LedgerClaimLine, LedgerUse } from '../ledger/claim.js';

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
