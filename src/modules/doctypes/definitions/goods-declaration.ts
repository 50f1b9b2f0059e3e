/**
 * The goods declaration (报关单): one import or export of goods, declared once and split into a customs part
 * and, when any goods need it, an inspection-and-quarantine part.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { compareDecimal } from '../../../shared/decimal.js';
import type { FieldError } from '../../../shared/errors.js';
import { cnUnit } from '../../codes/index.js';
import type { AdvisoryRule, Caller, CrossFieldRule, DocTypeDefinition, LedgerClaim, LooseDocument, Notice } from '../doctype.js';
import { arr, decimal, obj, str } from '../loose.js';
import type { Annotations } from '../validation.js';

const annotated = <T extends TSchema>(schema: T, annotations: Annotations): T => Object.assign(schema, annotations);

const DECIMAL_STRING = '^-?\\d+(\\.\\d+)?$';
const Decimal = (description: string, integer: number, scale: number, positive = false) =>
  annotated(Type.Union([Type.Number(), Type.String({ pattern: DECIMAL_STRING })], { description }), { 'x-decimal': { integer, scale, positive } });

const Uscc = (description: string) =>
  annotated(Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', description }), { 'x-check': 'uscc', 'x-error-code': 'USCC_INVALID' });
const Country = (description: string) => annotated(Type.String({ pattern: '^[A-Z]{2}$', description }), { 'x-code-list': 'country', 'x-error-code': 'COUNTRY_UNKNOWN' });
const Locode = (description: string) => annotated(Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$', description }), { 'x-code-list': 'locode', 'x-error-code': 'LOCODE_FORMAT' });

const Trader = Type.Object(
  {
    id: Type.Optional(Uscc('Unified social credit code; required for the domestic importer or exporter')),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    country: Type.Optional(Country('ISO 3166-1 alpha-2; required for the foreign party')),
    address: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const DocumentReference = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$', description: 'Ledger account type, e.g. automatic-import-licence' }),
    number: Type.String({ minLength: 1, maxLength: 64, description: 'The licence or certificate number' }),
  },
  { additionalProperties: false },
);

const Line = Type.Object(
  {
    hsCode: annotated(Type.String({ pattern: '^\\d{10}$', description: 'Ten-digit tariff line; the first six digits are the HS subheading' }), {
      'x-code-list': 'hs',
      'x-error-code': 'HS_FORMAT',
    }),
    description: Type.String({ minLength: 1, maxLength: 255 }),
    quantity: Decimal('Quantity in `unit`', 15, 6, true),
    unit: annotated(Type.String({ pattern: '^[A-Z0-9]{2,3}$', description: 'UN/ECE Recommendation 20 unit code' }), { 'x-code-list': 'unit', 'x-error-code': 'UNIT_UNKNOWN' }),
    grossWeightKg: Type.Optional(Decimal('Gross weight in kilograms', 15, 3, true)),
    netWeightKg: Decimal('Net weight in kilograms', 15, 3, true),
    value: Decimal('Line value in the declaration currency', 15, 2, true),
    originCountry: Country('Country of origin'),
    documents: Type.Optional(Type.Array(DocumentReference, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const GoodsDeclarationSchema = Type.Object(
  {
    direction: Type.Enum(['import', 'export']),
    declarant: Uscc('The declaring party: the importer or exporter itself, or its customs broker'),
    consignee: Trader,
    consignor: Trader,
    customsOffice: annotated(Type.String({ pattern: '^\\d{4}$', description: 'Four-digit customs office code (关区代码); its first two digits are the customs district (直属海关)' }), {
      'x-code-list': 'customs-offices',
    }),
    portOfEntry: Type.Optional(Locode('UN/LOCODE of the port of entry; imports only')),
    portOfExit: Type.Optional(Locode('UN/LOCODE of the port of exit; exports only')),
    countryOfDispatch: Type.Optional(Country('Country the goods were dispatched from; required for imports')),
    countryOfDestination: Type.Optional(Country('Country of destination; required for exports')),
    currency: annotated(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency of the line values' }), { 'x-code-list': 'currency', 'x-error-code': 'CURRENCY_UNKNOWN' }),
    incoterm: Type.Optional(annotated(Type.String({ pattern: '^[A-Z]{3}$', description: 'Incoterms 2020 rule' }), { 'x-code-list': 'incoterm', 'x-error-code': 'INCOTERM_UNKNOWN' })),
    transport: Type.Object(
      {
        mode: Type.Enum(['sea', 'air', 'road', 'rail', 'post', 'multimodal']),
        vesselImo: Type.Optional(annotated(Type.String({ pattern: '^\\d{7}$', description: 'IMO ship number' }), { 'x-check': 'imo', 'x-error-code': 'IMO_CHECK_DIGIT' })),
        voyage: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
        billOfLading: Type.Optional(Type.String({ minLength: 1, maxLength: 35 })),
        containers: Type.Optional(
          Type.Array(annotated(Type.String({ pattern: '^[A-Z]{3}[UJZ]\\d{7}$', description: 'ISO 6346 container number' }), { 'x-check': 'container', 'x-error-code': 'CONTAINER_CHECK_DIGIT' }), {
            maxItems: 999,
          }),
        ),
      },
      { additionalProperties: false },
    ),
    lines: Type.Array(Line, { minItems: 1, maxItems: 50, description: "Goods lines; China's declaration form holds at most 50" }),
  },
  { additionalProperties: false, title: 'Goods declaration', $id: 'https://kouan.dev/schemas/goods-declaration/v1' },
);

export type GoodsDeclaration = Static<typeof GoodsDeclarationSchema>;
type Line = GoodsDeclaration['lines'][number];

const domesticTraderField = (document: LooseDocument): 'consignee' | 'consignor' | undefined =>
  document.direction === 'import' ? 'consignee' : document.direction === 'export' ? 'consignor' : undefined;

/** Why the caller may not declare for the document's domestic trader, or undefined when it may (rule `declarant-is-caller`). */
function standingProblem(document: LooseDocument, caller: Caller): FieldError | undefined {
  const declarant = str(document.declarant);
  if (declarant === undefined) return undefined;
  if (declarant !== caller.partyId) return { path: '$.declarant', code: 'DECLARANT_NOT_CALLER', params: { party: caller.partyId } };
  const domestic = domesticTraderField(document);
  const traderId = domestic === undefined ? undefined : str(obj(document[domestic])?.id);
  if (traderId === undefined || traderId === declarant) return undefined;
  if (!caller.roles.includes('broker')) return { path: '$.declarant', code: 'BROKER_ROLE_REQUIRED' };
  const direction = str(document.direction);
  const mandate = caller.mandates?.find((candidate) => candidate.principal === traderId);
  if (direction !== undefined && mandate?.directions.includes(direction) !== true) {
    return { path: '$.declarant', code: 'DELEGATION_REQUIRED', params: { trader: traderId, docType: 'goods-declaration', direction } };
  }
  return undefined;
}

/** The port a declaration crosses the border at: an import's port of entry, an export's port of exit. */
const borderPortField = (document: LooseDocument): 'portOfEntry' | 'portOfExit' | undefined =>
  document.direction === 'import' ? 'portOfEntry' : document.direction === 'export' ? 'portOfExit' : undefined;

/** The rule that the border port lies in the country whose single window this is. */
function portInCountry(country: string): CrossFieldRule {
  return {
    id: 'port-in-country',
    description: {
      en: `An import's portOfEntry and an export's portOfExit are in ${country}, the country of this single window (their UN/LOCODE starts ${country}).`,
      zh: `进口的入境口岸、出口的出境口岸须在本单一窗口所在国 ${country} 境内（UN/LOCODE 以 ${country} 开头）。`,
    },
    codes: ['PORT_NOT_IN_COUNTRY'],
    check(document) {
      const field = borderPortField(document);
      const port = field === undefined ? undefined : str(document[field]);
      if (field === undefined || port === undefined || !/^[A-Z]{2}[A-Z2-9]{3}$/.test(port) || port.startsWith(country)) return [];
      return [{ path: `$.${field}`, code: 'PORT_NOT_IN_COUNTRY', params: { field, direction: String(document.direction), country, value: port } }];
    },
  };
}

/** UN/LOCODE function classifier positions that fit each transport mode (a border crossing, B, serves road and rail). */
const FUNCTIONS_FOR_MODE: Readonly<Record<string, readonly string[]>> = {
  sea: ['1'],
  rail: ['2', 'B'],
  road: ['3', 'B'],
  air: ['4'],
  post: ['5'],
  multimodal: ['6'],
};

const advisories: readonly AdvisoryRule[] = [
  {
    id: 'port-function-for-mode',
    description: {
      en: 'The border port is listed in UN/LOCODE with a function for the transport mode (1 sea port, 2 rail, 3 road, 4 airport, 5 postal, 6 multimodal, B border crossing for road and rail); a notice otherwise, since the trade uses some codes beyond their listed functions.',
      zh: '口岸在 UN/LOCODE 中的功能代码应与运输方式相符（1 港口、2 铁路、3 公路、4 机场、5 邮局、6 多式联运、B 边境口岸适用于公路和铁路）；不符时仅作提示，因部分代码按惯例用于其他运输方式。',
    },
    notices: ['PORT_FUNCTION_MISMATCH'],
    advise(document, references) {
      const field = borderPortField(document);
      const port = field === undefined ? undefined : str(document[field]);
      const mode = str(obj(document.transport)?.mode);
      const fitting = mode === undefined ? undefined : FUNCTIONS_FOR_MODE[mode];
      const place = port === undefined ? undefined : references.place(port);
      // A classifier of 0 says the functions are not known: nothing to compare.
      if (field === undefined || place === undefined || fitting === undefined || place.functions.includes('0')) return [];
      if (fitting.some((position) => place.functions.includes(position))) return [];
      return [{ code: 'PORT_FUNCTION_MISMATCH', path: `$.${field}`, params: { value: port ?? '', mode: mode ?? '', functions: place.functions } }];
    },
  },
  {
    id: 'statutory-units',
    description: {
      en: "Where a national tariff is loaded, each line's quantity is given in the tariff line's statutory units (法定计量单位): kilograms are met by the net weight, other units by the line's unit; a notice otherwise.",
      zh: '已导入税则时，商品项数量应以该税号的法定计量单位申报：千克以净重满足，其他单位以商品项的计量单位满足；不符时仅作提示。',
    },
    notices: ['STATUTORY_UNIT_NOT_DECLARED'],
    advise(document, references) {
      return arr(document.lines).flatMap((value, index): Notice[] => {
        const line = obj(value);
        const hsCode = str(line?.hsCode);
        const declared = str(line?.unit);
        const tariffLine = hsCode === undefined ? undefined : references.tariffLine(hsCode);
        if (tariffLine === undefined || declared === undefined) return [];
        return [tariffLine.unit1, tariffLine.unit2].flatMap((code, position): Notice[] => {
          // Every goods line carries its net weight in kilograms: a statutory kilogram is always declared.
          if (code === null || code === '035') return [];
          const unit = cnUnit(code);
          if (unit === undefined || unit.rec20.includes(declared)) return [];
          return [{ code: 'STATUTORY_UNIT_NOT_DECLARED', path: `$.lines[${index}].unit`, params: { hsCode: tariffLine.code, unit: `${unit.zh} (${code})`, position: position + 1, declared } }];
        });
      });
    },
  },
];

const rules: readonly CrossFieldRule[] = [
  {
    id: 'port-for-direction',
    description: { en: 'An import names portOfEntry and no portOfExit; an export names portOfExit and no portOfEntry.', zh: '进口填报入境口岸、不填出境口岸；出口反之。' },
    codes: ['PORT_OF_ENTRY_REQUIRED', 'PORT_OF_EXIT_REQUIRED', 'PORT_WRONG_DIRECTION'],
    check(document) {
      const errors: FieldError[] = [];
      if (document.direction === 'import') {
        if (document.portOfEntry === undefined) errors.push({ path: '$.portOfEntry', code: 'PORT_OF_ENTRY_REQUIRED' });
        if (document.portOfExit !== undefined) errors.push({ path: '$.portOfExit', code: 'PORT_WRONG_DIRECTION', params: { field: 'portOfExit', direction: 'import' } });
      }
      if (document.direction === 'export') {
        if (document.portOfExit === undefined) errors.push({ path: '$.portOfExit', code: 'PORT_OF_EXIT_REQUIRED' });
        if (document.portOfEntry !== undefined) errors.push({ path: '$.portOfEntry', code: 'PORT_WRONG_DIRECTION', params: { field: 'portOfEntry', direction: 'export' } });
      }
      return errors;
    },
  },
  {
    id: 'country-for-direction',
    description: { en: 'An import names countryOfDispatch; an export names countryOfDestination.', zh: '进口须填报启运国，出口须填报运抵国。' },
    codes: ['FIELD_REQUIRED'],
    check(document) {
      if (document.direction === 'import' && document.countryOfDispatch === undefined) return [{ path: '$.countryOfDispatch', code: 'FIELD_REQUIRED' }];
      if (document.direction === 'export' && document.countryOfDestination === undefined) return [{ path: '$.countryOfDestination', code: 'FIELD_REQUIRED' }];
      return [];
    },
  },
  {
    id: 'traders',
    description: {
      en: 'The domestic trader (consignee of an import, consignor of an export) has a unified social credit code; the foreign one has a country.',
      zh: '境内收发货人（进口为收货人，出口为发货人）须有统一社会信用代码，境外收发货人须有国别。',
    },
    codes: ['TRADER_ID_REQUIRED', 'COUNTRY_REQUIRED'],
    check(document) {
      const domestic = domesticTraderField(document);
      if (domestic === undefined) return [];
      const foreign = domestic === 'consignee' ? 'consignor' : 'consignee';
      const errors: FieldError[] = [];
      const domesticParty = obj(document[domestic]);
      const foreignParty = obj(document[foreign]);
      if (domesticParty !== undefined && domesticParty.id === undefined) errors.push({ path: `$.${domestic}.id`, code: 'TRADER_ID_REQUIRED', params: { field: domestic } });
      if (foreignParty !== undefined && foreignParty.country === undefined) errors.push({ path: `$.${foreign}.country`, code: 'COUNTRY_REQUIRED' });
      return errors;
    },
  },
  {
    id: 'declarant-is-caller',
    description: {
      en: 'The declarant is the submitting party; declaring for another enterprise needs the broker role and an active delegation from it covering goods declarations, the direction and today.',
      zh: '申报单位须为提交主体；代理其他企业申报须具备报关企业角色，并持有该企业涵盖报关单、进出口方向及当日的有效委托。',
    },
    codes: ['DECLARANT_NOT_CALLER', 'BROKER_ROLE_REQUIRED', 'DELEGATION_REQUIRED'],
    check(document, caller: Caller) {
      const problem = standingProblem(document, caller);
      return problem === undefined ? [] : [problem];
    },
  },
  {
    id: 'net-within-gross',
    description: { en: "A line's net weight is not above its gross weight.", zh: '商品项净重不得大于毛重。' },
    codes: ['NET_WEIGHT_ABOVE_GROSS'],
    check(document) {
      return arr(document.lines).flatMap((line, index) => {
        const net = decimal(obj(line)?.netWeightKg);
        const gross = decimal(obj(line)?.grossWeightKg);
        return net !== undefined && gross !== undefined && compareDecimal(net, gross) > 0
          ? [{ path: `$.lines[${index}].netWeightKg`, code: 'NET_WEIGHT_ABOVE_GROSS' as const, params: { net, gross } }]
          : [];
      });
    },
  },
  {
    id: 'sea-vessel',
    description: { en: 'A sea shipment names its vessel by IMO number.', zh: '海运须填报船舶 IMO 编号。' },
    codes: ['VESSEL_REQUIRED'],
    check(document) {
      const transport = obj(document.transport);
      return transport?.mode === 'sea' && transport.vesselImo === undefined ? [{ path: '$.transport.vesselImo', code: 'VESSEL_REQUIRED' }] : [];
    },
  },
  {
    id: 'containers-unique',
    description: { en: 'Each container is listed once.', zh: '集装箱号不得重复。' },
    codes: ['CONTAINER_DUPLICATE'],
    check(document) {
      const seen = new Set<string>();
      return arr(obj(document.transport)?.containers).flatMap((container, index) => {
        const number = str(container);
        if (number === undefined) return [];
        if (seen.has(number)) return [{ path: `$.transport.containers[${index}]`, code: 'CONTAINER_DUPLICATE' as const, params: { value: number } }];
        seen.add(number);
        return [];
      });
    },
  },
];

/**
 * The ledger's view of a declaration: every well-formed goods line with the documents it cites, for the
 * domestic trader only when the caller is the declarant and may declare for that trader (itself, or a broker
 * with its delegation for the direction today).
 */
function ledgerClaim(document: LooseDocument, caller: Caller): LedgerClaim | undefined {
  const direction = document.direction;
  if (direction !== 'import' && direction !== 'export') return undefined;
  const trader = str(obj(document[direction === 'import' ? 'consignee' : 'consignor'])?.id);
  const standing = str(document.declarant) === caller.partyId && standingProblem(document, caller) === undefined;
  return {
    direction,
    holder: standing ? trader : undefined,
    caller: caller.partyId,
    port: str(document[direction === 'import' ? 'portOfEntry' : 'portOfExit']),
    lines: arr(document.lines).flatMap((value, index) => {
      const line = obj(value);
      const hsCode = str(line?.hsCode);
      const quantity = decimal(line?.quantity);
      const unit = str(line?.unit);
      if (hsCode === undefined || !/^\d{10}$/.test(hsCode) || quantity === undefined || unit === undefined) return [];
      const documents = arr(line?.documents).flatMap((reference) => {
        const type = str(obj(reference)?.type);
        const number = str(obj(reference)?.number);
        return type === undefined || number === undefined ? [] : [{ type, number }];
      });
      return [{ path: `$.lines[${index}]`, hsCode, quantity, unit, documents }];
    }),
  };
}

export interface GoodsDeclarationOptions {
  /** HS prefixes whose lines go to inspection and quarantine (CIQ). */
  readonly inspectionPrefixes: readonly string[];
  /** The country of this single window (ISO 3166-1 alpha-2): border ports of declarations lie in it. */
  readonly country: string;
}

/** The goods declaration's definition, routing to CIQ the lines whose HS code starts with one of `inspectionPrefixes`. */
export function goodsDeclaration({ inspectionPrefixes, country }: GoodsDeclarationOptions): DocTypeDefinition<GoodsDeclaration> {
  const needsInspection = (line: Line) => inspectionPrefixes.some((prefix) => line.hsCode.startsWith(prefix));
  return {
    id: 'goods-declaration',
    version: 1,
    title: { en: 'Goods declaration', zh: '货物报关单' },
    schema: GoodsDeclarationSchema,
    rules: [...rules.slice(0, 1), portInCountry(country), ...rules.slice(1)],
    advisories,
    parts: [
      {
        agency: 'CUS',
        docType: 'goods-declaration.customs',
        condition: { en: 'Always: customs receives the whole declaration.', zh: '始终生成：海关接收完整报关单。' },
        applies: () => true,
        project: (document) => document,
      },
      {
        agency: 'CIQ',
        docType: 'goods-declaration.inspection',
        condition: {
          en: 'When any line\'s HS code starts with a prefix of the inspection table (see "inspectionHsPrefixes"); CIQ receives the header and those lines.',
          zh: '任一商品项的商品编码以法检目录前缀开头时生成（见 inspectionHsPrefixes）；检验检疫接收表头及这些商品项。',
        },
        applies: (document) => document.lines.some(needsInspection),
        project: (document) => {
          const { lines, ...header } = document;
          return { ...header, lines: lines.flatMap((line, index) => (needsInspection(line) ? [{ lineNumber: index + 1, ...line }] : [])) };
        },
      },
    ],
    traderOf: (document) => (document.direction === 'import' ? document.consignee.id : document.consignor.id),
    ledger: { claim: ledgerClaim, writeOffOn: 'CUS' },
    publish: { inspectionHsPrefixes: inspectionPrefixes, country },
  };
}
