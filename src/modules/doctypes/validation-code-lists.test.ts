import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { CODES_MODULE_LISTS, CodeListRegistry } from '../codes/index.js';
import { GoodsDeclarationSchema } from '../../doctypes/goods-declaration/index.js';
import { assertCodeListsRegistered, type Annotations } from './validation.js';

const annotated = <T extends object>(schema: T, annotations: Annotations): T => Object.assign(schema, annotations);
const registry = () => new CodeListRegistry().register(...CODES_MODULE_LISTS);

/** A filing that names lists of each kind, nested in objects, arrays and unions. */
const filing = (tradeModeList: string, packageList: string) =>
  Type.Object({
    tradeMode: annotated(Type.String({ pattern: '^\\d{4}$' }), { 'x-code-list': tradeModeList }),
    country: annotated(Type.String(), { 'x-code-list': 'country' }),
    port: annotated(Type.String(), { 'x-code-list': 'locode' }),
    lines: Type.Array(
      Type.Object({
        hsCode: annotated(Type.String(), { 'x-code-list': 'hs' }),
        packages: Type.Union([Type.Null(), annotated(Type.String(), { 'x-code-list': packageList })]),
      }),
    ),
  });

describe('assertCodeListsRegistered', () => {
  it('passes a schema whose lists are all registered: built-in, store-backed and special', () => {
    expect(() => assertCodeListsRegistered(filing('trade-mode', 'package-type'), registry())).not.toThrow();
  });

  it('passes the goods declaration as shipped', () => {
    expect(() => assertCodeListsRegistered(GoodsDeclarationSchema, registry())).not.toThrow();
  });

  it('names every place where a schema names a list the registry does not have', () => {
    expect(() => assertCodeListsRegistered(filing('trade-modes', 'crates'), registry())).toThrow(
      'the schema names code lists it cannot use:\n' +
        '#/properties/tradeMode: "trade-modes" is not a registered code list\n' +
        '#/properties/lines/items/properties/packages/anyOf/1: "crates" is not a registered code list',
    );
  });

  it('takes a list once its module has registered it', () => {
    const schema = filing('trade-mode', 'exhibition-package');
    const lists = registry();
    expect(() => assertCodeListsRegistered(schema, lists)).toThrow('"exhibition-package" is not a registered code list');
    lists.register({ id: 'exhibition-package', title: { en: 'Exhibition packages', zh: '展品包装' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d{2}$' } });
    expect(() => assertCodeListsRegistered(schema, lists)).not.toThrow();
  });

  it('refuses the tariff as a field list (hs checks tariff lines) and an x-code-list that is not a name', () => {
    const schema = Type.Object({ line: annotated(Type.String(), { 'x-code-list': 'tariff' }), other: Object.assign(Type.String(), { 'x-code-list': 7 }) });
    expect(() => assertCodeListsRegistered(schema, registry())).toThrow(/#\/properties\/line: "tariff" cannot annotate a field[^\n]*\n#\/properties\/other: x-code-list must name a list/);
  });
});
