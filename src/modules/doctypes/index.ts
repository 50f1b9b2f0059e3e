/**
 * The document-type kernel: the contract every document type fills in (doctype.ts), lifecycles as data, who may
 * file for whom, the registry that checks and publishes definitions, and the validation engine. The document
 * types themselves are folders under src/doctypes/.
 */
export { DocTypeRegistry, PublishedDocTypeSchema, definitionProblems } from './registry.js';
export type { PublishedDocType } from './registry.js';
export { onePerPath, validateDocument } from './validation.js';
export { arr, decimal, obj, str } from './loose.js';
export { enumLabelled, labelled, unlabelled } from './labels.js';
export { hasStanding, standingProblem } from './parties.js';
export * from './lifecycle.js';
export type { Notice, ValidationResult } from './validation.js';
export { ATTACHMENT_MEDIA_TYPES, REACTION_STEPS } from './doctype.js';
export type {
  AdvisoryRule,
  AttachmentKind,
  DocTypeFormat,
  FormatContext,
  FormatReading,
  AttachmentMediaType,
  Caller,
  CrossFieldRule,
  DocTypeDefinition,
  DocTypeExample,
  References,
  LedgerClaim,
  LedgerClaimLine,
  LedgerUse,
  LooseDocument,
  PartiesSpec,
  PartSpec,
  Reaction,
  ReactionStep,
  Text,
  TrackingReferences,
} from './doctype.js';
