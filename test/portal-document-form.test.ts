/**
 * The portal's generic document form (portal/src/document/schema-form.ts): a published JSON Schema with Kouan's
 * keywords read as fields with their words in both languages, and the form's values turned into the document
 * the API validates, against a schema of the test's own (nested objects, repeated rows, choices, code lists).
 */
import { describe, expect, it } from 'vitest';
import { describe as describeSchema, emptyForm, fromDocument, labelOf, nodeAt, pathLabel, pathSteps, toDocument, valueAt, withValue, type FieldNode, type FormValue } from '../portal/src/document/schema-form.js';

/** A port call (船舶进出港), as a definition would publish it. */
const PORT_CALL = {
  type: 'object',
  title: 'Port call',
  required: ['vesselImo', 'direction', 'port', 'agent', 'crew'],
  properties: {
    vesselImo: { type: 'string', pattern: '^\\d{7}$', 'x-label': { en: 'IMO number', zh: 'IMO 编号' }, 'x-help': { en: 'Seven digits', zh: '七位数字' }, 'x-check': 'imo' },
    direction: { enum: ['arrival', 'departure'], 'x-label': { en: 'Arrival or departure', zh: '进港或出港' } },
    port: { type: 'string', 'x-code-list': 'locode', 'x-label': { en: 'Port', zh: '港口' } },
    eta: { type: 'string', format: 'date-time', title: 'Estimated arrival', description: 'UTC' },
    dues: { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^\\d+(\\.\\d+)?$' }], 'x-decimal': { integer: 12, scale: 2 }, 'x-label': { en: 'Port dues', zh: '港务费' } },
    draughtMetres: { type: 'number' },
    dangerousGoods: { type: 'boolean', 'x-label': { en: 'Dangerous goods aboard', zh: '载有危险货物' } },
    remarks: { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'null' }] },
    agent: {
      type: 'object',
      required: ['name'],
      'x-label': { en: 'Shipping agent', zh: '船舶代理' },
      properties: {
        name: { type: 'string', 'x-label': { en: 'Name', zh: '名称' } },
        country: { type: 'string', 'x-code-list': 'country', 'x-label': { en: 'Country', zh: '国家' } },
      },
    },
    crew: {
      type: 'array',
      minItems: 1,
      maxItems: 3,
      'x-label': { en: 'Crew', zh: '船员' },
      items: {
        type: 'object',
        required: ['name', 'rank'],
        properties: {
          name: { type: 'string', 'x-label': { en: 'Name', zh: '姓名' } },
          rank: { enum: ['master', 'officer', 'rating'], 'x-label': { en: 'Rank', zh: '职务' } },
          age: { type: 'integer', 'x-label': { en: 'Age', zh: '年龄' } },
          documents: { type: 'array', items: { type: 'string', 'x-label': { en: 'Document', zh: '证件' } }, 'x-label': { en: 'Documents', zh: '证件' } },
        },
      },
    },
  },
} as const;

const root = describeSchema(PORT_CALL);
const at = (path: string): FieldNode => {
  const node = nodeAt(root, pathSteps(path) ?? []);
  if (node === undefined) throw new Error(`no field at ${path}`);
  return node;
};
const words = { within: (group: string, field: string) => `${group}: ${field}`, row: (group: string, number: number) => `${group} ${number}`, document: 'The document' };

describe('a document type schema read as a form', () => {
  it('gives each property the field its schema calls for', () => {
    expect(root.kind).toBe('object');
    const kinds = Object.fromEntries((root.kind === 'object' ? root.fields : []).map((field) => [field.name, field.kind]));
    expect(kinds).toEqual({
      vesselImo: 'text',
      direction: 'enum',
      port: 'code',
      eta: 'text',
      dues: 'decimal',
      draughtMetres: 'number',
      dangerousGoods: 'boolean',
      remarks: 'text',
      agent: 'object',
      crew: 'array',
    });
    expect(at('$.port')).toMatchObject({ kind: 'code', list: 'locode' });
    expect(at('$.agent.country')).toMatchObject({ kind: 'code', list: 'country' });
    expect(at('$.direction')).toMatchObject({ kind: 'enum', options: ['arrival', 'departure'] });
    expect(at('$.eta')).toMatchObject({ kind: 'text', format: 'date-time' });
    expect(at('$.remarks')).toMatchObject({ kind: 'text', maxLength: 200, required: false });
    const crew = at('$.crew');
    expect(crew).toMatchObject({ kind: 'array', minItems: 1, maxItems: 3 });
    expect(at('$.crew[0]').kind).toBe('object');
    expect(at('$.crew[0].rank')).toMatchObject({ kind: 'enum', options: ['master', 'officer', 'rating'], required: true });
    expect(at('$.crew[0].documents[2]')).toMatchObject({ kind: 'text' });
  });

  it('marks what the schema requires, at every level', () => {
    expect(at('$.vesselImo').required).toBe(true);
    expect(at('$.eta').required).toBe(false);
    expect(at('$.agent.name').required).toBe(true);
    expect(at('$.agent.country').required).toBe(false);
    expect(at('$.crew[0].name').required).toBe(true);
    expect(at('$.crew[0].age').required).toBe(false);
  });

  it('labels and helps in the language asked for, falling back to title, description and the name', () => {
    expect(labelOf(at('$.vesselImo'), 'en')).toBe('IMO number');
    expect(labelOf(at('$.vesselImo'), 'zh')).toBe('IMO 编号');
    expect(at('$.vesselImo').help).toEqual({ en: 'Seven digits', zh: '七位数字' });
    expect(labelOf(at('$.crew[0].rank'), 'zh')).toBe('职务');
    expect(labelOf(at('$.eta'), 'en')).toBe('Estimated arrival');
    // No Chinese words in the schema: the English ones rather than nothing.
    expect(labelOf(at('$.eta'), 'zh')).toBe('Estimated arrival');
    expect(at('$.eta').help).toEqual({ en: 'UTC' });
    expect(labelOf(at('$.draughtMetres'), 'en')).toBe('Draught metres');
    expect(at('$.draughtMetres').help).toBeUndefined();
  });

  it('names a problem path by the labels of the fields on its way', () => {
    expect(pathLabel(root, '$.crew[1].rank', 'en', words)).toBe('Crew 2: Rank');
    expect(pathLabel(root, '$.crew[1].rank', 'zh', words)).toBe('船员 2: 职务');
    expect(pathLabel(root, '$.agent.name', 'zh', words)).toBe('船舶代理: 名称');
    expect(pathLabel(root, '$.crew[0].documents[1]', 'en', words)).toBe('Crew 1: Documents 2');
    expect(pathLabel(root, '$', 'en', words)).toBe('The document');
    expect(pathLabel(root, '$.nothingHere', 'en', words)).toBeUndefined();
    expect(pathLabel(root, 'querystring:$.order', 'en', words)).toBeUndefined();
  });
});

describe('the form values and the document', () => {
  it('starts empty with the fewest rows an array must have', () => {
    expect(emptyForm(root)).toEqual({
      vesselImo: '',
      direction: '',
      port: '',
      eta: '',
      dues: '',
      draughtMetres: '',
      dangerousGoods: '',
      remarks: '',
      agent: { name: '', country: '' },
      crew: [{ name: '', rank: '', age: '', documents: [] }],
    });
  });

  it('sends exact decimals as strings, numbers and booleans as JSON, and leaves out empty optional fields', () => {
    let form: FormValue = emptyForm(root);
    const set = (path: string, value: FormValue) => {
      form = withValue(form, pathSteps(path) ?? [], value);
    };
    set('$.vesselImo', '9074729');
    set('$.direction', 'arrival');
    set('$.port', 'CNSHA');
    set('$.dues', ' 1200.50 ');
    set('$.draughtMetres', '11.2');
    set('$.dangerousGoods', 'false');
    set('$.agent.name', 'Sinoagent');
    set('$.crew[0].name', 'Li Wei');
    set('$.crew[0].rank', 'master');
    set('$.crew[0].age', '48');
    set('$.crew[1]', { name: 'Ana', rank: 'rating', age: 'forty', documents: ['P123'] });
    expect(toDocument(root, form)).toEqual({
      vesselImo: '9074729',
      direction: 'arrival',
      port: 'CNSHA',
      dues: '1200.50',
      draughtMetres: 11.2,
      dangerousGoods: false,
      agent: { name: 'Sinoagent' },
      crew: [
        { name: 'Li Wei', rank: 'master', age: 48 },
        // What does not parse is sent as typed, so the API names the field and the problem.
        { name: 'Ana', rank: 'rating', age: 'forty', documents: ['P123'] },
      ],
    });
    expect(valueAt(form, ['crew', 1, 'documents', 0])).toBe('P123');
  });

  it('sends a required field empty rather than leaving it out, so the API names it', () => {
    const document = toDocument(root, emptyForm(root)) as Record<string, unknown>;
    expect(document.vesselImo).toBe('');
    expect(document.agent).toEqual({ name: '' });
    expect(document.crew).toEqual([{ name: '', rank: '' }]);
    expect(document).not.toHaveProperty('eta');
  });

  it('reads a stored document (a draft) back into the same form, dropping what the schema has no field for', () => {
    const stored = { vesselImo: '9074729', direction: 'departure', port: 'CNSHA', dues: 30, dangerousGoods: true, agent: { name: 'A', country: 'PA' }, crew: [{ name: 'B', rank: 'officer', age: 30 }], extra: 1 };
    const form = fromDocument(root, stored);
    expect(valueAt(form, ['dues'])).toBe('30');
    expect(valueAt(form, ['dangerousGoods'])).toBe('true');
    expect(valueAt(form, ['crew', 0, 'documents'])).toEqual([]);
    const { extra: _extra, ...known } = stored;
    expect(toDocument(root, form)).toEqual({ ...known, dues: '30' });
  });

  it('changes one value and shares the rest', () => {
    const form = emptyForm(root);
    const changed = withValue(form, ['agent', 'country'], 'PA');
    expect(valueAt(changed, ['agent', 'country'])).toBe('PA');
    expect(valueAt(form, ['agent', 'country'])).toBe('');
    expect(valueAt(changed, ['crew'])).toBe(valueAt(form, ['crew']));
  });
});

describe('the goods declaration through the generic form', () => {
  it('reads the published schema, and a valid declaration survives the round trip through the form', async () => {
    const { Compile } = await import('typebox/compile');
    const { createDocTypeRegistry } = await import('../src/doctypes/index.js');
    const { importDeclaration } = await import('./support/fixtures.js');
    const published = createDocTypeRegistry().publish('goods-declaration');
    const tree = describeSchema(published.schema);
    const declaration = importDeclaration();
    const document = toDocument(tree, fromDocument(tree, declaration));
    expect(Compile(published.schema as never).Check(document)).toBe(true);
    // Decimals come back as exact strings; everything else as it was.
    expect(JSON.parse(JSON.stringify(document, (_key, value: unknown) => (typeof value === 'number' ? String(value) : value)))).toEqual(
      JSON.parse(JSON.stringify(declaration, (_key, value: unknown) => (typeof value === 'number' ? String(value) : value))),
    );
    expect(nodeAt(tree, ['lines', 0, 'hsCode'])).toMatchObject({ kind: 'code', list: 'hs', required: true });
    expect(nodeAt(tree, ['lines', 0, 'quantity'])?.kind).toBe('decimal');
    expect(nodeAt(tree, ['direction'])).toMatchObject({ kind: 'enum', options: ['import', 'export'] });
  });
});
