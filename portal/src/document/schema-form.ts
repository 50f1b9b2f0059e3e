/**
 * A document type's published JSON Schema (GET /api/v1/doctypes/{id}) read as a form: which field each property
 * is (text, decimal, code look-up, choice, group, repeated rows), its words in both languages (`x-label`,
 * `x-help`, else `title`, `description`, the property's name), and the form's values ⇄ the document. Pure
 * functions with no imports, so the unit tests load them as they are (test/portal-document-form.test.ts).
 *
 *   schema ──describe──▶ FieldNode tree ──emptyForm / fromDocument──▶ form values (strings) ──toDocument──▶ data
 *
 * Every leaf of the form holds a string, as typed; toDocument turns numbers and booleans back into JSON and
 * leaves out what is empty and optional, and keeps what does not parse as typed, so the API names the problem.
 */

export type Language = 'en' | 'zh';
/** Words in the portal's languages, as the contract's `x-label` and `x-help` give them. */
export interface Words {
  readonly en?: string;
  readonly zh?: string;
}

interface Base {
  /** The property's name in its object ('' for the document, or for an array's item). */
  readonly name: string;
  readonly label: Words;
  readonly help: Words | undefined;
  readonly required: boolean;
}

export type FieldNode =
  | (Base & { readonly kind: 'text'; readonly format: 'date' | 'date-time' | undefined; readonly maxLength: number | undefined })
  | (Base & { readonly kind: 'decimal' })
  | (Base & { readonly kind: 'integer' })
  | (Base & { readonly kind: 'number' })
  | (Base & { readonly kind: 'boolean' })
  | (Base & { readonly kind: 'code'; readonly list: string })
  | (Base & { readonly kind: 'enum'; readonly options: readonly string[]; readonly optionLabels?: Readonly<Record<string, Words>> })
  | (Base & { readonly kind: 'object'; readonly fields: readonly FieldNode[] })
  | (Base & { readonly kind: 'array'; readonly item: FieldNode; readonly minItems: number; readonly maxItems: number | undefined })
  /** A schema the form has no field for (no type, a union of objects): edited as JSON text. */
  | (Base & { readonly kind: 'json' });

export type FieldKind = FieldNode['kind'];
export type ObjectNode = Extract<FieldNode, { kind: 'object' }>;
export type ArrayNode = Extract<FieldNode, { kind: 'array' }>;

/** A form's values: strings at the leaves, objects and arrays as in the document. */
export type FormValue = string | FormObject | readonly FormValue[];
export interface FormObject {
  readonly [name: string]: FormValue;
}

type Schema = Readonly<Record<string, unknown>>;
const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFormObject = (value: FormValue | undefined): value is FormObject => typeof value === 'object' && !Array.isArray(value);

function words(value: unknown): Words | undefined {
  if (!isSchema(value)) return undefined;
  const en = typeof value.en === 'string' && value.en !== '' ? value.en : undefined;
  const zh = typeof value.zh === 'string' && value.zh !== '' ? value.zh : undefined;
  if (en === undefined && zh === undefined) return undefined;
  return { ...(en === undefined ? {} : { en }), ...(zh === undefined ? {} : { zh }) };
}

/** The labels of an enum's values (`x-enum-labels`), when the schema gives them. */
function enumLabels(value: unknown): { optionLabels?: Readonly<Record<string, Words>> } {
  if (!isSchema(value)) return {};
  const labels = Object.fromEntries(Object.entries(value).flatMap(([option, label]) => {
    const given = words(label);
    return given === undefined ? [] : [[option, given]];
  }));
  return Object.keys(labels).length === 0 ? {} : { optionLabels: labels };
}

/** `countryOfDispatch` ▶ "Country of dispatch": a property's name as words, when the schema gives none. */
export function humanName(name: string): string {
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The schema a union stands for: `x-decimal`'s number-or-string is a decimal; a nullable value is its non-null side. */
function unwrap(schema: Schema): Schema {
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (union === undefined || schema['x-decimal'] !== undefined) return schema;
  const options = union.filter(isSchema).filter((option) => option.type !== 'null');
  const [only] = options;
  if (options.length !== 1 || only === undefined) return schema;
  const { anyOf: _anyOf, oneOf: _oneOf, ...outer } = schema;
  return { ...unwrap(only), ...outer };
}

/** The form's tree for a schema (the document's, or a property's with its name and whether its parent requires it). */
export function describe(input: unknown, name = '', required = false): FieldNode {
  const schema = unwrap(isSchema(input) ? input : {});
  const title = typeof schema.title === 'string' && schema.title !== '' ? schema.title : undefined;
  const description = typeof schema.description === 'string' && schema.description !== '' ? schema.description : undefined;
  const label = words(schema['x-label']) ?? (title !== undefined ? { en: title } : name !== '' ? { en: humanName(name) } : {});
  const help = words(schema['x-help']) ?? (description !== undefined ? { en: description } : undefined);
  const base: Base = { name, label, help, required };
  const types: readonly unknown[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((candidate) => candidate !== 'null');

  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { ...base, kind: 'enum', options: schema.enum.map(String), ...enumLabels(schema['x-enum-labels']) };
  const constant = schema.const;
  if (typeof constant === 'string' || typeof constant === 'number' || typeof constant === 'boolean') return { ...base, kind: 'enum', options: [String(constant)] };
  if (typeof schema['x-code-list'] === 'string') return { ...base, kind: 'code', list: schema['x-code-list'] };
  if (schema['x-decimal'] !== undefined) return { ...base, kind: 'decimal' };
  if (type === 'object' || (type === undefined && isSchema(schema.properties))) {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const needed = new Set(Array.isArray(schema.required) ? schema.required.filter((item): item is string => typeof item === 'string') : []);
    return { ...base, kind: 'object', fields: Object.entries(properties).map(([property, child]) => describe(child, property, needed.has(property))) };
  }
  if (type === 'array') {
    const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
    return { ...base, kind: 'array', item: describe(schema.items, '', true), minItems, maxItems };
  }
  switch (type) {
    case 'string': {
      const format = schema.format === 'date' || schema.format === 'date-time' ? schema.format : undefined;
      return { ...base, kind: 'text', format, maxLength: typeof schema.maxLength === 'number' ? schema.maxLength : undefined };
    }
    case 'integer':
      return { ...base, kind: 'integer' };
    case 'number':
      return { ...base, kind: 'number' };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    default:
      return { ...base, kind: 'json' };
  }
}

/** A document's tree: its schema as an object of fields (a schema that is no object becomes its one JSON field). */
export function documentTree(schema: unknown): ObjectNode {
  const tree = describe(schema);
  if (tree.kind === 'object') return tree;
  return { kind: 'object', name: '', label: {}, help: undefined, required: true, fields: [{ ...tree, name: 'document', required: true }] };
}

/** Words in the language asked for, else in the other one, else undefined. */
export const inLanguage = (text: Words | undefined, language: Language): string | undefined => (text === undefined ? undefined : language === 'zh' ? (text.zh ?? text.en) : (text.en ?? text.zh));

/** A field's label in a language: its `x-label`, else its `title`, else its name as words. */
export const labelOf = (node: FieldNode, language: Language): string => inLanguage(node.label, language) ?? humanName(node.name);

/** The form's values for an empty document: every array with its fewest rows (at least one when it must have some). */
export function emptyForm(node: FieldNode): FormValue {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.fields.map((field) => [field.name, emptyForm(field)]));
    case 'array':
      return Array.from({ length: node.minItems }, () => emptyForm(node.item));
    case 'enum':
      // A required choice with one option is made already.
      return node.required && node.options.length === 1 ? (node.options[0] ?? '') : '';
    case 'text':
    case 'decimal':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'code':
    case 'json':
      return '';
  }
}

/** The form's values for a stored document (a draft, a copy): what the schema has no field for is dropped. */
export function fromDocument(node: FieldNode, data: unknown): FormValue {
  switch (node.kind) {
    case 'object': {
      const object = isSchema(data) ? data : {};
      return Object.fromEntries(node.fields.map((field) => [field.name, object[field.name] === undefined ? emptyForm(field) : fromDocument(field, object[field.name])]));
    }
    case 'array':
      return Array.isArray(data) ? data.map((item: unknown) => fromDocument(node.item, item)) : emptyForm(node);
    case 'json':
      return data === undefined ? '' : JSON.stringify(data);
    case 'text':
    case 'decimal':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'code':
    case 'enum':
      return typeof data === 'string' ? data : typeof data === 'number' || typeof data === 'boolean' ? String(data) : '';
  }
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * The document for the form's values. Empty optional fields and groups are left out; a required one is sent
 * empty, so the API names it. Decimals stay strings (exact); integers, numbers and booleans become JSON when
 * they parse, and stay as typed when they do not.
 */
export function toDocument(node: FieldNode, value: FormValue | undefined): unknown {
  switch (node.kind) {
    case 'object': {
      const object = isFormObject(value) ? value : {};
      const entries = node.fields.flatMap((field) => {
        const member = toDocument(field, object[field.name]);
        return member === undefined ? [] : [[field.name, member] as const];
      });
      if (entries.length === 0 && !node.required && node.name !== '') return undefined;
      return Object.fromEntries(entries);
    }
    case 'array': {
      const rows: readonly FormValue[] = Array.isArray(value) ? (value as readonly FormValue[]) : [];
      if (rows.length === 0 && !node.required) return undefined;
      // A row is sent even when empty: it is there because the person added it, and the API says what it lacks.
      return rows.map((row) => toDocument(node.item, row) ?? (node.item.kind === 'object' ? {} : ''));
    }
    case 'text':
    case 'decimal':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'code':
    case 'enum':
    case 'json': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text === '') return node.required ? '' : undefined;
      switch (node.kind) {
        case 'integer':
        case 'number':
          return NUMBER.test(text) ? Number(text) : text;
        case 'boolean':
          return text === 'true' ? true : text === 'false' ? false : text;
        case 'json':
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return text;
          }
        case 'text':
        case 'decimal':
        case 'code':
        case 'enum':
          return text;
      }
    }
  }
}

/** `$.lines[0].documents[1].number` ▶ ['lines', 0, 'documents', 1, 'number']; undefined for what is no JSON path. */
export function pathSteps(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: (string | number)[] = [];
  const pattern = /\.([A-Za-z_][\w-]*)|\[(\d+)\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const step = pattern.exec(path);
    if (step === null) return undefined;
    steps.push(step[1] ?? Number(step[2]));
  }
  return steps;
}

/** The JSON path of a property or a row below a path: `child('$.lines', 0)` is `$.lines[0]`. */
export const child = (path: string, step: string | number): string => (typeof step === 'number' ? `${path}[${step}]` : `${path}.${step}`);

/** The form's value at a path's steps. */
export function valueAt(value: FormValue | undefined, steps: readonly (string | number)[]): FormValue | undefined {
  let current = value;
  for (const step of steps) {
    if (current === undefined || typeof current === 'string') return undefined;
    current = typeof step === 'number' ? (Array.isArray(current) ? (current as readonly FormValue[])[step] : undefined) : isFormObject(current) ? current[step] : undefined;
  }
  return current;
}

/** The form's values with the value at a path's steps replaced (the rest shared, unchanged). */
export function withValue(value: FormValue, steps: readonly (string | number)[], next: FormValue): FormValue {
  const [step, ...rest] = steps;
  if (step === undefined) return next;
  if (typeof step === 'number') {
    const rows = Array.isArray(value) ? [...(value as readonly FormValue[])] : [];
    rows[step] = withValue(rows[step] ?? '', rest, next);
    return rows;
  }
  const object = isFormObject(value) ? value : {};
  return { ...object, [step]: withValue(object[step] ?? '', rest, next) };
}

/** The node a path's steps lead to in the tree (an array's rows are its item), or undefined where none is. */
export function nodeAt(root: FieldNode, steps: readonly (string | number)[]): FieldNode | undefined {
  let current: FieldNode | undefined = root;
  for (const step of steps) {
    if (current === undefined) return undefined;
    if (typeof step === 'number') current = current.kind === 'array' ? current.item : undefined;
    else current = current.kind === 'object' ? current.fields.find((field) => field.name === step) : undefined;
  }
  return current;
}

export interface LabelWords {
  /** "Group: field". */
  readonly within: (group: string, field: string) => string;
  /** "Goods line 2", for a row of an array labelled "Goods lines". */
  readonly row: (group: string, number: number) => string;
  /** What the document as a whole is called. */
  readonly document: string;
}

/**
 * The words for a JSON path of the document, as the form labels its field: `$.lines[0].hsCode` is
 * "Goods lines 1: HS code". The checks summary links each problem by these; undefined for a path the schema
 * has no field at, which is then shown as it is.
 */
export function pathLabel(root: FieldNode, path: string, language: Language, words: LabelWords): string | undefined {
  const steps = pathSteps(path);
  if (steps === undefined) return undefined;
  if (steps.length === 0) return words.document;
  let node: FieldNode = root;
  let label: string | undefined;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (node.kind !== 'array') return undefined;
      label = words.row(label ?? labelOf(node, language), step + 1);
      node = node.item;
    } else {
      if (node.kind !== 'object') return undefined;
      const field = node.fields.find((candidate) => candidate.name === step);
      if (field === undefined) return undefined;
      label = label === undefined ? labelOf(field, language) : words.within(label, labelOf(field, language));
      node = field;
    }
  }
  return label;
}
