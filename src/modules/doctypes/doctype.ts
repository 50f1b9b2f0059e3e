import type { TSchema } from 'typebox';
import type { FieldCode, FieldError, NoticeCode, Params } from '../../shared/errors.js';
import type { LocodePlace, TariffLine } from '../codes/index.js';
import type { LedgerUse } from '../ledger/claim.js';
import type { Lifecycle } from './lifecycle.js';

export type { LedgerClaim, LedgerClaimLine, LedgerClosure, LedgerClosureLine, LedgerIssue, LedgerUse } from '../ledger/claim.js';

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
  /** The JSON Schema of what `project` gives: published, and every projection is checked against it before it is sent. */
  readonly schema: TSchema;
}

/**
 * Who may file a document and for whom. The kernel turns this into the rule `declarant-is-caller`: the declarant
 * is the caller; filing for another enterprise needs one of `agentRoles` and a delegation (委托) from it
 * covering this document type, the scope and today.
 */
export interface PartiesSpec {
  /** The top-level field that names the declaring party (its USCC). */
  readonly declarant: string;
  /** The domestic enterprise the document is for (importer, exporter, manual holder, exhibition agent), and where it is named. */
  trader(document: LooseDocument): { readonly path: string; readonly id: string | undefined } | undefined;
  /** The delegation scope filing for the trader needs (a goods declaration's direction); undefined: any scope. */
  scope?(document: LooseDocument): string | undefined;
  /** Roles that may file for another enterprise holding its delegation; none: only the trader itself files. */
  readonly agentRoles: readonly string[];
}

/** What a document is about in the status database: containers, bills, vessels and voyages its clearance events carry. */
export interface TrackingReferences {
  readonly container?: string;
  readonly billOfLading?: string;
  readonly vesselImo?: string;
  readonly voyage?: string;
}

/**
 * The kernel's steps a reaction can take; each runs in the transaction of the change that triggers it, before
 * the part moves (a lapsed hold refuses the decision). Closing the other parts is the lifecycle's own doing
 * (an outcome that `closesOthers`, and a withdrawal), not a reaction.
 */
export const REACTION_STEPS = {
  'ledger.write-off': { en: 'Write off what the document holds on ledger accounts (post its reservations).', zh: '核销单证在底账上占用的数量。' },
  'ledger.void': { en: 'Give back what the document holds on ledger accounts (void its reservations); the compensation of reserving.', zh: '释放单证在底账上占用的数量（撤销占用），为占用的补偿。' },
  'ledger.close': { en: 'Close the ledger account the document reconciles (a processing-trade manual on its closure, 核销结案); nothing can use it afterwards.', zh: '对单证所报核的底账结案（如加工贸易手册核销结案），此后不能再使用。' },
  'ledger.issue': { en: 'Open the ledger account the document creates (a processing-trade manual, a temporary admission), issued and signed by Kouan; once, however often the change is retried.', zh: '开立单证所设立的底账（加工贸易手册、暂时进境底账），由平台签发，重复处理也只开立一次。' },
} as const satisfies Record<string, Text>;
export type ReactionStep = keyof typeof REACTION_STEPS;

/**
 * What a change triggers, as a named step: a decision with one of `outcomes` (by `agency`, when given), the whole
 * document reaching one of `statuses`, or its withdrawal by the declarant.
 */
export interface Reaction {
  readonly id: string;
  readonly on: { readonly outcomes?: readonly string[]; readonly agency?: string; readonly statuses?: readonly string[]; readonly withdrawn?: true };
  readonly step: ReactionStep;
}

/** A worked example: a document that passes the definition's schema and rules when its declarant files it for itself. */
export interface DocTypeExample {
  readonly title: Text;
  readonly document: unknown;
}

/** Options a deployment sets for a document type (routing tables and the like): checked at start, published. */
export interface DocTypeOptionsSpec {
  readonly schema: TSchema;
  readonly values: unknown;
}

/**
 * A document type as data: its schema (every field labelled in Chinese and English), rules, parties, parts with
 * their projection schemas, lifecycle, ledger use, tracking references and reactions. A document type is a
 * folder under src/doctypes/ that exports one of these, registered in src/doctypes/index.ts; nothing outside the
 * folder names it.
 */
/** The file formats an attachment may have: what Kouan recognises by the file's own bytes, whatever its name says. */
export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/tiff'] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

/**
 * A kind of file a document carries (随附单证: the invoice, the contract, a certificate, photos): which formats
 * it takes, how many, when it is required, and which agencies' parts show it (the declarant and the trader see
 * every file; an agency only the kinds named for it, and only when it has a part).
 */
export interface AttachmentKind<T = unknown> {
  readonly id: string;
  readonly label: Text;
  readonly help?: Text;
  readonly mediaTypes: readonly AttachmentMediaType[];
  /** The agencies that see files of this kind; absent: every agency with a part. */
  readonly agencies?: readonly string[];
  readonly maxCount: number;
  /** When the document must carry at least one file of this kind; absent: never. */
  required?(document: T): boolean;
  /** When it is required, in words (published). */
  readonly requiredWhen?: Text;
}

/** What printing a stored document as a message needs to know besides the document. */
export interface FormatContext {
  readonly submissionId: string;
  /** The declaration number, when it has one. */
  readonly number: string | null;
  /** Kouan's own identification as the interchange's sender. */
  readonly sender: string;
  readonly preparedAt: string;
}

/** What reading a message gave: the document in its canonical shape (validated next, as any), or why it could not be read. */
export type FormatReading = { readonly document: Record<string, unknown> } | { readonly errors: readonly FieldError[] };

/**
 * A message format a document type is exchanged in besides JSON (UN/EDIFACT CUSDEC for the goods declaration):
 * registered by the document type, so that the route only asks the registry which format a body is.
 */
export interface DocTypeFormat<T = unknown> {
  readonly id: string;
  readonly title: Text;
  /** The media type its messages travel as, lower case (application/edifact). */
  readonly mediaType: string;
  /** The file name extension of a printed message (edi, xml). */
  readonly extension: string;
  /** Whether a message of the media type is one of this format (an interchange's message type, say). */
  recognizes(text: string): boolean;
  /** The document a message carries; problems name the segment (or element) they are about, as `path`. */
  parse(text: string): FormatReading;
  /** The document as a message of this format. */
  print(document: T, context: FormatContext): string;
}

export interface DocTypeDefinition<T = unknown> {
  readonly id: string;
  readonly version: number;
  readonly title: Text;
  /** The document's JSON Schema; every property carries `x-label` ({en, zh}) and may carry `x-help`. */
  readonly schema: TSchema;
  readonly rules: readonly CrossFieldRule[];
  /** Checks against the imported reference data that give notices (the submission goes through). */
  readonly advisories?: readonly AdvisoryRule[];
  readonly parties: PartiesSpec;
  readonly parts: readonly PartSpec<T>[];
  readonly lifecycle: Lifecycle;
  /** What each change triggers, in order. */
  readonly reactions: readonly Reaction[];
  /** What it verifies against the ledger and writes off; absent when it touches no ledger account. */
  readonly ledger?: LedgerUse;
  /** The message formats it is exchanged in besides JSON; absent: JSON only. */
  readonly formats?: readonly DocTypeFormat<T>[];
  /** The kinds of file it carries; absent: it carries none. */
  readonly attachments?: readonly AttachmentKind<T>[];
  /** What its clearance events in the status database are about; absent when it concerns no cargo. */
  tracking?(document: T): TrackingReferences[];
  readonly options?: DocTypeOptionsSpec;
  /** Worked examples, published and checked by the contract test (src/doctypes/contract.test.ts). */
  readonly examples: readonly DocTypeExample[];
  /** Extra published facts about the definition, such as its routing tables. */
  readonly publish?: Readonly<Record<string, unknown>>;
}
