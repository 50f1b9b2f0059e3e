import Type, { type Static } from 'typebox';
import { KouanError } from '../../shared/errors.js';
import type { DocTypeDefinition } from './doctype.js';

const TextSchema = Type.Object({ en: Type.String(), zh: Type.String() });

/** The published form of a definition: what a vendor needs to validate client-side with the same rules. */
export const PublishedDocTypeSchema = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer(),
    title: TextSchema,
    schema: Type.Unknown({ description: "The document's JSON Schema, with Kouan's x-decimal, x-code-list, x-check and x-error-code keywords" }),
    rules: Type.Array(Type.Object({ id: Type.String(), description: TextSchema, codes: Type.Array(Type.String()) })),
    parts: Type.Array(Type.Object({ agency: Type.String(), docType: Type.String(), condition: TextSchema })),
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

  constructor(definitions: readonly DocTypeDefinition<unknown>[]) {
    for (const definition of definitions) this.definitions.set(definition.id, definition);
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

  /** The definition as published at GET /api/v1/doctypes/{id}. */
  publish(id: string): PublishedDocType {
    const definition = this.get(id);
    return {
      id: definition.id,
      version: definition.version,
      title: definition.title,
      schema: definition.schema,
      rules: [...SCHEMA_RULES, ...definition.rules].map((rule) => ({ id: rule.id, description: rule.description, codes: [...rule.codes] })),
      parts: definition.parts.map((part) => ({ agency: part.agency, docType: part.docType, condition: part.condition })),
      ...(definition.advisories === undefined ? {} : { advisories: definition.advisories.map((rule) => ({ id: rule.id, description: rule.description, notices: [...rule.notices] })) }),
      ...definition.publish,
    };
  }
}
