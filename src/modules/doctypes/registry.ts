import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { KouanError } from '../../shared/errors.js';
import { accountType } from '../ledger/account-types.js';
import { PLATFORM_ISSUER } from '../ledger/ledger.schema.js';
import { ATTACHMENT_MEDIA_TYPES, REACTION_STEPS, type CrossFieldRule, type DocTypeDefinition, type DocTypeFormat } from './doctype.js';
import { lifecycleProblems } from './lifecycle.js';
import { declarantRule } from './parties.js';

const TextSchema = Type.Object({ en: Type.String(), zh: Type.String() });

/** The published form of a definition: what a vendor needs to validate client-side with the same rules. */
export const PublishedDocTypeSchema = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer(),
    title: TextSchema,
    schema: Type.Unknown({ description: "The document's JSON Schema, with Kouan's x-decimal, x-code-list, x-check and x-error-code keywords" }),
    rules: Type.Array(Type.Object({ id: Type.String(), description: TextSchema, codes: Type.Array(Type.String()) })),
    parts: Type.Array(
      Type.Object({
        agency: Type.String(),
        docType: Type.String(),
        condition: TextSchema,
        schema: Type.Unknown({ description: "The JSON Schema of the agency's part: what its inbox messages carry as `data`" }),
      }),
    ),
    parties: Type.Object({
      declarant: Type.String({ description: 'The field naming the declaring party' }),
      agentRoles: Type.Array(Type.String(), { description: 'Roles that may file for another enterprise holding its delegation' }),
    }),
    lifecycle: Type.Object(
      {
        id: Type.String(),
        description: TextSchema,
        partStatuses: Type.Array(Type.String()),
        delivery: Type.Object({ from: Type.String(), to: Type.String() }),
        outcomes: Type.Array(
          Type.Object({ id: Type.String(), from: Type.Array(Type.String()), needsReasons: Type.Boolean(), closesOthers: Type.Boolean(), clearance: Type.Optional(Type.String()), description: TextSchema }),
        ),
        cancelled: Type.String(),
        terminalParts: Type.Array(Type.String()),
        amendable: Type.Array(Type.String(), { description: 'The part statuses whose agency decides a request to amend or withdraw the document (POST /submissions/{id}/amendments)' }),
        submissionStatuses: Type.Array(Type.String()),
        terminalSubmissions: Type.Array(Type.String()),
        whole: Type.Array(Type.Object({ status: Type.String(), when: Type.String(), of: Type.Array(Type.String()) })),
      },
      { description: "The states of a part, which decision moves it from where, and how the parts make the document's status" },
    ),
    reactions: Type.Array(
      Type.Object({
        id: Type.String(),
        on: Type.Object({ outcomes: Type.Optional(Type.Array(Type.String())), agency: Type.Optional(Type.String()), statuses: Type.Optional(Type.Array(Type.String())), withdrawn: Type.Optional(Type.Boolean()) }),
        step: Type.String(),
        description: TextSchema,
      }),
      { description: 'What each change triggers, in order, in the transaction of the change' },
    ),
    ledger: Type.Optional(
      Type.Object(
        {
          claims: Type.Boolean({ description: 'Whether its lines are verified against ledger accounts and written off' }),
          writeOffOn: Type.Optional(Type.String({ description: 'The agency whose release writes the reserved quantities off' })),
          opens: Type.Optional(Type.String({ description: 'The ledger account type its approval opens (reaction ledger.issue)' })),
          closes: Type.Boolean({ description: 'Whether it reconciles a ledger account, which its approval closes (reaction ledger.close)' }),
        },
        { description: 'How the document type uses the ledger' },
      ),
    ),
    options: Type.Optional(Type.Unknown({ description: 'The options this deployment set for the document type' })),
    formats: Type.Array(Type.Object({ id: Type.String(), title: TextSchema, mediaType: Type.String() }), {
      description: 'The message formats it is exchanged in besides JSON: POST /api/v1/submissions with that Content-Type, GET /api/v1/submissions/{id}/formats/{format}',
    }),
    attachments: Type.Array(
      Type.Object({
        kind: Type.String(),
        label: TextSchema,
        help: Type.Optional(TextSchema),
        mediaTypes: Type.Array(Type.String(), { description: 'The formats it takes, recognised by the bytes (POST /api/v1/attachments)' }),
        agencies: Type.Array(Type.String(), { description: 'The agencies whose part shows files of this kind' }),
        maxCount: Type.Integer(),
        requiredWhen: Type.Optional(TextSchema),
      }),
      { description: 'The kinds of file the document carries in `attachments` (empty: none)' },
    ),
    examples: Type.Array(Type.Object({ title: TextSchema, document: Type.Unknown() }), { description: 'Worked examples that pass the schema and rules when their declarant files them' }),
    advisories: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), description: TextSchema, notices: Type.Array(Type.String()) }), {
        description: 'Checks against the imported reference data whose findings are notices: the document is still accepted',
      }),
    ),
  },
  { additionalProperties: true, description: 'Further properties publish the tables a definition routes by, e.g. inspectionHsPrefixes' },
);
export type PublishedDocType = Static<typeof PublishedDocTypeSchema> & Record<string, unknown>;

const SCHEMA_RULES = [
  { id: 'schema', description: { en: 'The document matches the JSON Schema (types, required fields, patterns, lengths).', zh: '单证符合 JSON Schema（类型、必填项、格式、长度）。' }, codes: ['FIELD_REQUIRED', 'FIELD_UNKNOWN', 'FIELD_TYPE', 'FIELD_FORMAT', 'FIELD_NOT_ALLOWED', 'FIELD_ITEMS', 'FIELD_RANGE'] },
  { id: 'x-decimal', description: { en: 'Fields marked x-decimal are exact decimals within their integer and scale limits, given as JSON numbers of at most 15 significant digits or as decimal strings.', zh: '标注 x-decimal 的字段为精确十进制数，整数位与小数位不超过限制；JSON 数字最多 15 位有效数字，更多请用字符串。' }, codes: ['DECIMAL_INVALID', 'DECIMAL_PRECISION', 'DECIMAL_NOT_POSITIVE'] },
  { id: 'x-code-list', description: { en: 'Fields marked x-code-list hold a code of that list (GET /api/v1/codes/{list}); hs and locode are checked against the imported lists when loaded, by shape otherwise; hs against the ten-digit lines of the national tariff for the chapters a loaded tariff covers; customs-offices by its customs district (first two digits), and against the full list of offices once imported.', zh: '标注 x-code-list 的字段须为该代码表中的代码；hs 与 locode 在已导入时按代码表校验，否则仅校验格式；已导入税则时，其所含章节的 hs 须为税则中的 10 位商品编码；customs-offices 按前两位直属海关校验，导入关区代码表后按完整代码表校验。' }, codes: ['COUNTRY_UNKNOWN', 'CURRENCY_UNKNOWN', 'UNIT_UNKNOWN', 'INCOTERM_UNKNOWN', 'HS_FORMAT', 'HS_UNKNOWN', 'TARIFF_LINE_UNKNOWN', 'LOCODE_FORMAT', 'LOCODE_UNKNOWN', 'CUSTOMS_DISTRICT_UNKNOWN', 'CUSTOMS_OFFICE_UNKNOWN'] },
  { id: 'x-check', description: { en: 'Fields marked x-check carry a check digit: uscc (GB 32100), container (ISO 6346), imo (IMO ship number).', zh: '标注 x-check 的字段含校验位：uscc（GB 32100）、container（ISO 6346）、imo（IMO 船舶编号）。' }, codes: ['USCC_INVALID', 'CONTAINER_CHECK_DIGIT', 'IMO_CHECK_DIGIT'] },
] as const;

/** The registry of document types; each definition is data (see definitions/). */
export class DocTypeRegistry {
  private readonly definitions = new Map<string, DocTypeDefinition<unknown>>();

  /** Registers the definitions; a definition that contradicts itself or its options stops the start. */
  constructor(definitions: readonly DocTypeDefinition<unknown>[]) {
    for (const definition of definitions) {
      const problems = definitionProblems(definition);
      if (definition.rules.some((rule: CrossFieldRule) => rule.id === 'declarant-is-caller')) problems.push("declarant-is-caller is the kernel's rule");
      if (problems.length > 0) throw new Error(`document type ${definition.id}: ${problems.join('; ')}`);
      if (this.definitions.has(definition.id)) throw new Error(`document type ${definition.id} is registered twice`);
      // The kernel's own rules go with the definition's: who may file comes from its parties.
      this.definitions.set(definition.id, { ...definition, rules: [declarantRule(definition), ...definition.rules] });
    }
  }

  all(): DocTypeDefinition<unknown>[] {
    return [...this.definitions.values()];
  }

  /** The definition of a document type, or DOCTYPE_UNKNOWN. */
  get(id: string): DocTypeDefinition<unknown> {
    const definition = this.definitions.get(id);
    if (definition === undefined) throw new KouanError('DOCTYPE_UNKNOWN', { params: { docType: id } });
    return definition;
  }

  ids(): string[] {
    return [...this.definitions.keys()];
  }

  /** The document type and format a message of this media type is, by what it says it is; undefined when none registered takes it. */
  formatOf(mediaType: string, text: string): { definition: DocTypeDefinition<unknown>; format: DocTypeFormat<unknown> } | undefined {
    for (const definition of this.definitions.values()) {
      const format = definition.formats?.find((candidate) => candidate.mediaType === mediaType && candidate.recognizes(text));
      if (format !== undefined) return { definition, format };
    }
    return undefined;
  }

  /** A document type's format by its id, or NOT_FOUND. */
  format(docType: string, id: string): DocTypeFormat<unknown> {
    const format = this.get(docType).formats?.find((candidate) => candidate.id === id);
    if (format === undefined) throw new KouanError('NOT_FOUND');
    return format;
  }

  /** The definition as published at GET /api/v1/doctypes/{id}. */
  publish(id: string): PublishedDocType {
    const definition = this.get(id);
    return {
      id: definition.id,
      version: definition.version,
      title: definition.title,
      schema: definition.schema,
      rules: [...SCHEMA_RULES, ...definition.rules].map((rule) => ({ id: rule.id, description: rule.description, codes: [...rule.codes] })),
      parts: definition.parts.map((part) => ({ agency: part.agency, docType: part.docType, condition: part.condition, schema: part.schema })),
      parties: { declarant: definition.parties.declarant, agentRoles: [...definition.parties.agentRoles] },
      lifecycle: plain(definition.lifecycle),
      reactions: plain(definition.reactions.map((reaction) => ({ ...reaction, description: REACTION_STEPS[reaction.step] }))),
      ...(definition.ledger === undefined ? {} : { ledger: ledgerUse(definition.ledger) }),
      ...(definition.options === undefined ? {} : { options: definition.options.values }),
      formats: (definition.formats ?? []).map((format) => ({ id: format.id, title: format.title, mediaType: format.mediaType })),
      attachments: (definition.attachments ?? []).map((kind) => ({
        kind: kind.id,
        label: kind.label,
        ...(kind.help === undefined ? {} : { help: kind.help }),
        mediaTypes: [...kind.mediaTypes],
        agencies: [...(kind.agencies ?? definition.parts.map((part) => part.agency))],
        maxCount: kind.maxCount,
        ...(kind.requiredWhen === undefined ? {} : { requiredWhen: kind.requiredWhen }),
      })),
      examples: plain(definition.examples),
      ...(definition.advisories === undefined ? {} : { advisories: definition.advisories.map((rule) => ({ id: rule.id, description: rule.description, notices: [...rule.notices] })) }),
      ...definition.publish,
    };
  }
}

/** The published facts of a document type's ledger use. */
function ledgerUse(use: NonNullable<DocTypeDefinition['ledger']>) {
  return { claims: use.claim !== undefined, closes: use.closes !== undefined, ...(use.writeOffOn === undefined ? {} : { writeOffOn: use.writeOffOn }), ...(use.opens === undefined ? {} : { opens: use.opens }) };
}

/** A definition's read-only data as the published (plain JSON) copy. */
const plain = <T>(value: unknown): T => structuredClone(value) as T;

/** What is wrong with a definition as data: its options, lifecycle, reactions and parts (empty when sound). */
export function definitionProblems(definition: DocTypeDefinition<unknown>): string[] {
  const problems = lifecycleProblems(definition.lifecycle).map((problem) => `lifecycle ${definition.lifecycle.id}: ${problem}`);
  if (definition.options !== undefined && !Compile(definition.options.schema).Check(definition.options.values)) problems.push('its options do not match their schema');
  const statuses = new Set<string>(definition.lifecycle.submissionStatuses);
  const opens = definition.ledger?.opens;
  if (opens !== undefined && accountType(opens)?.issuers.includes(PLATFORM_ISSUER) !== true) problems.push(`ledger.opens: account type ${opens} is unknown or not issued by the platform`);
  for (const reaction of definition.reactions) {
    if (!Object.hasOwn(REACTION_STEPS, reaction.step)) problems.push(`reaction ${reaction.id}: no step ${reaction.step}`);
    if (reaction.step === 'ledger.issue' && (definition.ledger?.issues === undefined || definition.ledger.opens === undefined)) problems.push(`reaction ${reaction.id}: the document type opens no ledger account (ledger.issues and ledger.opens)`);
    if (reaction.step === 'ledger.close' && definition.ledger?.closes === undefined) problems.push(`reaction ${reaction.id}: the document type closes no ledger account (ledger.closes)`);
    if ((reaction.step === 'ledger.issue' || reaction.step === 'ledger.close') && (reaction.on.statuses === undefined || reaction.on.outcomes !== undefined)) problems.push(`reaction ${reaction.id}: an account is opened or closed when the whole document reaches a status, not on one part's outcome`);
    if ((reaction.step === 'ledger.write-off' || reaction.step === 'ledger.void') && definition.ledger?.claim === undefined) problems.push(`reaction ${reaction.id}: the document type claims nothing of the ledger`);
    for (const outcome of reaction.on.outcomes ?? []) if (!definition.lifecycle.outcomes.some((candidate) => candidate.id === outcome)) problems.push(`reaction ${reaction.id}: no outcome ${outcome}`);
    for (const status of reaction.on.statuses ?? []) if (!statuses.has(status)) problems.push(`reaction ${reaction.id}: no status ${status}`);
  }
  const agencies = definition.parts.map((part) => part.agency);
  if (new Set(agencies).size !== agencies.length) problems.push('two parts go to one agency');
  const formats = (definition.formats ?? []).map((format) => format.id);
  if (new Set(formats).size !== formats.length) problems.push('two formats have one id');
  for (const format of definition.formats ?? []) if (format.mediaType !== format.mediaType.toLowerCase()) problems.push(`format ${format.id}: its media type is written in lower case`);
  // Attachment problems are reported at $.attachments[...], beside the document's own paths: no field may be called so.
  const topLevel = (definition.schema as { properties?: Record<string, unknown> }).properties ?? {};
  if (Object.hasOwn(topLevel, 'attachments')) problems.push('the schema has a field "attachments", which is the path of the files a document carries');
  const kinds = (definition.attachments ?? []).map((kind) => kind.id);
  if (new Set(kinds).size !== kinds.length) problems.push('two attachment kinds have one id');
  for (const kind of definition.attachments ?? []) {
    if (!/^[a-z][a-z0-9-]{0,63}$/.test(kind.id)) problems.push(`attachment kind ${kind.id}: an id is lower-case letters, digits and hyphens`);
    if (kind.mediaTypes.length === 0 || kind.mediaTypes.some((type) => !(ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(type))) problems.push(`attachment kind ${kind.id}: media types must be some of ${ATTACHMENT_MEDIA_TYPES.join(', ')}`);
    if (!Number.isInteger(kind.maxCount) || kind.maxCount < 1) problems.push(`attachment kind ${kind.id}: maxCount must be a positive integer`);
    for (const agency of kind.agencies ?? []) if (!agencies.includes(agency)) problems.push(`attachment kind ${kind.id}: no part goes to ${agency}`);
    if ((kind.required === undefined) !== (kind.requiredWhen === undefined)) problems.push(`attachment kind ${kind.id}: required and requiredWhen go together`);
  }
  return problems;
}
