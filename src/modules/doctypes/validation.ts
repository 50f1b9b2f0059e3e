/**
 * The validation engine shared by every document type: the JSON Schema, then the schema's annotations
 * (exact decimals, code lists, check digits), then the definition's cross-field rules. It reports every
 * problem at once, one per value, each with its JSON path and stable code.
 */
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { districtOf, isValidContainerNumber, isValidImoNumber, isValidUscc, type CodeListDefinition, type CodeListRegistry, type CodesService, type ReferenceLookup } from '../codes/index.js';
import { parseDecimal, type DecimalLimits } from '../../shared/decimal.js';
import type { FieldCode, FieldError, Params } from '../../shared/errors.js';
import type { Caller, DocTypeDefinition, LooseDocument, Notice, References } from './doctype.js';
import { jsonPath, pointerToPath } from '../../shared/json-path.js';

/** Schema keywords of Kouan's own, carried in the published JSON Schema so clients can apply them too. */
export interface Annotations {
  /** The value is an exact decimal with these limits (JSON number or decimal string). */
  'x-decimal'?: DecimalLimits & { positive?: boolean };
  /** The value must be a code of this registered list (`GET /api/v1/codes`); see assertCodeListsRegistered. */
  'x-code-list'?: string;
  /** The value carries a check digit of this scheme. */
  'x-check'?: 'uscc' | 'container' | 'imo';
  /** The field code reported when the value does not match the schema's pattern or length. */
  'x-error-code'?: FieldCode;
}

/** The special lists a field may name, each with its own check below (customs offices: by district while not imported). */
const CHECKED_SPECIAL_LISTS = ['hs', 'locode', 'customs-offices'] as const;
type ImportedCodeList = (typeof CHECKED_SPECIAL_LISTS)[number];

/** A value of a store-backed list, looked up with the document's other values of that list. */
interface StoredLookup {
  readonly path: string;
  readonly list: CodeListDefinition;
  readonly value: string;
}

export type { Notice } from './doctype.js';

export interface ValidationResult<T> {
  readonly valid: boolean;
  readonly errors: readonly FieldError[];
  readonly notices: readonly Notice[];
  /** The canonical document (decimals as canonical strings) when valid. */
  readonly document: T | undefined;
  /** The document with its valid decimals made canonical, valid or not, for checks that read it loosely. */
  readonly normalized: LooseDocument;
}

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** Validates a document against its definition. */
export async function validateDocument<T>(definition: DocTypeDefinition<T>, input: unknown, caller: Caller, codes: CodesService): Promise<ValidationResult<T>> {
  const errors: FieldError[] = [];
  let validator = compiled.get(definition.schema);
  if (validator === undefined) {
    validator = Compile(definition.schema);
    compiled.set(definition.schema, validator);
  }
  const schemaValid = validator.Check(input);
  if (!schemaValid) errors.push(...schemaErrors(definition.schema, validator.Errors(input), input));

  const document = structuredClone(input);
  const lookups: { path: string; list: ImportedCodeList; value: string }[] = [];
  const storedLookups: StoredLookup[] = [];
  walk(definition.schema, document, [], (schema, value, segments, replace) => {
    const path = jsonPath(segments);
    const annotations = schema as Annotations;
    const decimalLimits = annotations['x-decimal'];
    if (decimalLimits !== undefined && (typeof value === 'number' || typeof value === 'string')) {
      const parsed = parseDecimal(value, decimalLimits);
      if (!parsed.ok) errors.push({ path, code: parsed.code, params: { integer: decimalLimits.integer, scale: decimalLimits.scale } });
      else if (decimalLimits.positive === true && /^(-|0$)/.test(parsed.value)) errors.push({ path, code: 'DECIMAL_NOT_POSITIVE' });
      else replace(parsed.value);
    }
    if (typeof value !== 'string') return;
    const listId = annotations['x-code-list'];
    if (listId !== undefined) {
      const list = checkedList(codes.registry, listId);
      switch (list.source.kind) {
        case 'built-in':
          if (!list.source.entries.has(value)) errors.push({ path, code: list.errorCode, params: { value, list: list.id } });
          break;
        // A value that fails the schema's pattern has its format error already; it is not looked up.
        case 'store':
          if (matchesPattern(schema, value)) storedLookups.push({ path, list, value });
          break;
        case 'special':
          if (matchesPattern(schema, value)) lookups.push({ path, list: list.id as ImportedCodeList, value });
          break;
      }
    }
    const check = annotations['x-check'];
    if (check !== undefined && matchesPattern(schema, value) && !passesCheck(check, value)) {
      errors.push({ path, code: CHECK_CODES[check], params: { value } });
    }
  });

  const notices: Notice[] = [];
  const valuesOf = (list: ImportedCodeList) => lookups.filter((lookup) => lookup.list === list).map((lookup) => lookup.value);
  const resolved = await codes.resolve({
    hs: valuesOf('hs').map((value) => value.slice(0, 6)),
    tariff: valuesOf('hs'),
    locode: valuesOf('locode'),
    customsOffice: valuesOf('customs-offices'),
    stored: storedValues(storedLookups),
  });
  const tariffCovers = (value: string) => resolved.tariff.chapters.has(value.slice(0, 2));
  // Without a tariff (or for a chapter the loaded tariff lacks) the HS nomenclature is what a code is held to.
  if (valuesOf('hs').some((value) => !tariffCovers(value)) && !resolved.hs.loaded) notices.push({ code: 'HS_LIST_NOT_LOADED' });
  if (lookups.some((lookup) => lookup.list === 'locode') && !resolved.locode.loaded) notices.push({ code: 'LOCODE_LIST_NOT_LOADED' });
  for (const lookup of lookups) errors.push(...referenceErrors(lookup, resolved, notices));
  errors.push(...storedErrors(storedLookups, resolved, notices));

  const loose = typeof document === 'object' && document !== null && !Array.isArray(document) ? (document as LooseDocument) : {};
  for (const rule of definition.rules) errors.push(...rule.check(loose, caller));
  const references = referencesOf(resolved);
  for (const advisory of definition.advisories ?? []) notices.push(...advisory.advise(loose, references));

  const unique = onePerPath(errors);
  return { valid: unique.length === 0, errors: unique, notices, document: unique.length === 0 ? (document as T) : undefined, normalized: loose };
}

/** The problems of one looked-up code; notices about how it was checked go to `notices`. */
function referenceErrors(lookup: { path: string; list: ImportedCodeList; value: string }, resolved: ReferenceLookup, notices: Notice[]): FieldError[] {
  const { path, value } = lookup;
  switch (lookup.list) {
    case 'hs': {
      const subheading = value.slice(0, 6);
      if (resolved.tariff.loaded) {
        if (resolved.tariff.chapters.has(value.slice(0, 2))) return resolved.tariff.lines.has(value) ? [] : [{ path, code: 'TARIFF_LINE_UNKNOWN', params: { value } }];
        notices.push({ code: 'TARIFF_CHAPTER_NOT_COVERED', path, params: { value, chapter: value.slice(0, 2) } });
      }
      return resolved.hs.loaded && !resolved.hs.known.has(subheading) ? [{ path, code: 'HS_UNKNOWN', params: { value, subheading } }] : [];
    }
    case 'locode':
      return resolved.locode.loaded && !resolved.locode.known.has(value) ? [{ path, code: 'LOCODE_UNKNOWN', params: { value } }] : [];
    case 'customs-offices':
      if (districtOf(value) === undefined) return [{ path, code: 'CUSTOMS_DISTRICT_UNKNOWN', params: { value } }];
      if (!resolved.customsOffice.loaded) {
        notices.push({ code: 'CUSTOMS_OFFICE_LIST_NOT_LOADED', path, params: { value } });
        return [];
      }
      return resolved.customsOffice.known.has(value) ? [] : [{ path, code: 'CUSTOMS_OFFICE_UNKNOWN', params: { value } }];
  }
}

/** The document's values of store-backed lists, by list id: one lookup per list. */
function storedValues(lookups: readonly StoredLookup[]): Map<string, string[]> {
  const byList = new Map<string, string[]>();
  for (const { list, value } of lookups) byList.set(list.id, [...(byList.get(list.id) ?? []), value]);
  return byList;
}

/** Values not in their store-backed list; a list not imported yet gets one notice and its values pass on their pattern. */
function storedErrors(lookups: readonly StoredLookup[], resolved: ReferenceLookup, notices: Notice[]): FieldError[] {
  const errors: FieldError[] = [];
  const noticed = new Set<string>();
  for (const { path, list, value } of lookups) {
    const lookup = resolved.stored.get(list.id);
    if (lookup?.loaded !== true) {
      if (!noticed.has(list.id)) notices.push({ code: 'CODE_LIST_NOT_LOADED', params: { list: list.id } });
      noticed.add(list.id);
    } else if (!lookup.known.has(value)) {
      errors.push({ path, code: list.errorCode, params: { value, list: list.id } });
    }
  }
  return errors;
}

/** Why a schema's `x-code-list` cannot be checked, or undefined when it can. */
function codeListProblem(registry: CodeListRegistry, id: unknown): string | undefined {
  if (typeof id !== 'string') return 'x-code-list must name a list';
  const list = registry.get(id);
  if (list === undefined) return `"${id}" is not a registered code list`;
  if (list.source.kind === 'special' && !(CHECKED_SPECIAL_LISTS as readonly string[]).includes(id)) {
    return `"${id}" cannot annotate a field (of the special lists, ${CHECKED_SPECIAL_LISTS.join(', ')} can; hs checks tariff lines too)`;
  }
  return undefined;
}

function checkedList(registry: CodeListRegistry, id: string): CodeListDefinition {
  const problem = codeListProblem(registry, id);
  const list = registry.get(id);
  // A programming error, caught by assertCodeListsRegistered in the document types' contract test.
  if (problem !== undefined || list === undefined) throw new Error(`x-code-list: ${problem ?? id}`);
  return list;
}

/**
 * Throws, naming each place, when a schema's `x-code-list` names a list the registry does not have (or one no
 * field can name); the document types' contract test calls it for every published schema.
 */
export function assertCodeListsRegistered(schema: TSchema, registry: CodeListRegistry): void {
  const problems: string[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${pointer}/${index}`));
      return;
    }
    const record = node as Record<string, unknown>;
    if ('x-code-list' in record) {
      const problem = codeListProblem(registry, record['x-code-list']);
      if (problem !== undefined) problems.push(`${pointer === '' ? '#' : `#${pointer}`}: ${problem}`);
    }
    for (const [key, child] of Object.entries(record)) if (key !== 'x-code-list') visit(child, `${pointer}/${key}`);
  };
  visit(schema, '');
  if (problems.length > 0) throw new Error(`the schema names code lists it cannot use:\n${problems.join('\n')}`);
}

function referencesOf(resolved: ReferenceLookup): References {
  return {
    place: (locode) => resolved.locode.places.get(locode),
    tariffLine: (hsCode) => resolved.tariff.lines.get(hsCode),
  };
}

const CHECK_CODES = { uscc: 'USCC_INVALID', container: 'CONTAINER_CHECK_DIGIT', imo: 'IMO_CHECK_DIGIT' } as const satisfies Record<string, FieldCode>;

function passesCheck(check: 'uscc' | 'container' | 'imo', value: string): boolean {
  switch (check) {
    case 'uscc':
      return isValidUscc(value);
    case 'container':
      return isValidContainerNumber(value);
    case 'imo':
      return isValidImoNumber(value);
  }
}

function matchesPattern(schema: TSchema, value: string): boolean {
  const pattern = (schema as { pattern?: string }).pattern;
  return pattern === undefined || new RegExp(pattern, 'u').test(value);
}

type Visitor = (schema: TSchema, value: unknown, segments: readonly (string | number)[], replace: (value: unknown) => void) => void;

/** Walks the document along its schema, visiting every value with the schema that governs it. */
function walk(schema: TSchema, value: unknown, segments: readonly (string | number)[], visit: Visitor, replace: (value: unknown) => void = () => undefined): void {
  visit(schema, value, segments, replace);
  const node = schema as { properties?: Record<string, TSchema>; items?: TSchema };
  if (node.properties !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(node.properties)) {
      if (key in record) walk(child, record[key], [...segments, key], visit, (next) => (record[key] = next));
    }
  }
  if (node.items !== undefined && Array.isArray(value)) {
    const items = node.items;
    value.forEach((item, index) => walk(items, item, [...segments, index], visit, (next) => (value[index] = next)));
  }
}

interface SchemaError {
  readonly keyword: string;
  readonly schemaPath: string;
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message: string;
}

function schemaErrors(root: TSchema, raw: readonly SchemaError[], input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  for (const error of raw) {
    // A value that fails a union fails each branch too; the union's own error is the one to report.
    if (error.schemaPath.includes('/anyOf/')) continue;
    if (error.keyword === 'additionalProperties') continue;
    const node = resolvePointer(root, error.schemaPath) as (Annotations & { pattern?: string; minLength?: number; maxLength?: number; enum?: unknown[] }) | undefined;
    const path = pointerToPath(error.instancePath);
    const value = valueParam(input, error.instancePath);
    switch (error.keyword) {
      case 'boolean':
        errors.push({ path, code: 'FIELD_UNKNOWN', params: { field: error.instancePath.split('/').pop() ?? '' } });
        break;
      case 'required':
        for (const property of (error.params.requiredProperties as string[] | undefined) ?? []) {
          errors.push({ path: pointerToPath(`${error.instancePath}/${property}`), code: 'FIELD_REQUIRED' });
        }
        break;
      case 'type':
        errors.push({ path, code: 'FIELD_TYPE', params: { type: String(error.params.type) } });
        break;
      case 'anyOf':
        if (node?.['x-decimal'] !== undefined) errors.push({ path, code: 'DECIMAL_INVALID' });
        else errors.push({ path, code: node?.['x-error-code'] ?? 'FIELD_TYPE', params: { type: 'one of the allowed forms', ...value } });
        break;
      case 'enum':
        errors.push({ path, code: 'FIELD_NOT_ALLOWED', params: { allowed: ((error.params.allowedValues as unknown[] | undefined) ?? []).join(', ') } });
        break;
      case 'pattern':
      case 'minLength':
      case 'maxLength':
      case 'format':
        errors.push({ path, code: node?.['x-error-code'] ?? 'FIELD_FORMAT', params: { format: describeFormat(node), ...value } });
        break;
      case 'minItems':
      case 'maxItems':
        errors.push({ path, code: 'FIELD_ITEMS', params: { limit: `${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(error.params.limit)}` } });
        break;
      default:
        errors.push({ path, code: 'FIELD_RANGE', params: { limit: error.message } });
    }
  }
  return errors;
}

function valueParam(input: unknown, pointer: string): Params {
  const value = resolvePointer(input, pointer);
  return typeof value === 'string' || typeof value === 'number' ? { value } : {};
}

function describeFormat(node: { pattern?: string; minLength?: number; maxLength?: number } | undefined): string {
  if (node === undefined) return '';
  if (node.pattern !== undefined) return node.pattern;
  return `${node.minLength ?? 0} to ${node.maxLength ?? '∞'} characters`;
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const segment of pointer.replace(/^#\/?/, '').split('/').filter((part) => part !== '')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** Keeps the first problem of each JSON path: one problem per value. */
export function onePerPath(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (seen.has(error.path)) return false;
    seen.add(error.path);
    return true;
  });
}
