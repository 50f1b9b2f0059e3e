/**
 * The goods declaration's JSON Schema (报关单), every field labelled in Chinese and English.
 */
import Type, { type Static } from 'typebox';
import { annotated, Country, Decimal, Locode, Uscc } from '../../modules/doctypes/fields.js';
import { enumLabelled, labelled } from '../../modules/doctypes/labels.js';
import { WRITE_OFF_KINDS } from '../../modules/ledger/ledger.schema.js';

/** How a temporary admission's item leaves the account. */
const WRITE_OFF_LABELS = {
  're-export': { en: 'Re-export', zh: '复运出境' },
  conversion: { en: 'Conversion to a definitive import', zh: '转为正式进口' },
  abandonment: { en: 'Abandonment to customs', zh: '放弃交由海关处理' },
  destruction: { en: 'Destruction under supervision', zh: '监管销毁' },
} as const;

/** The modes of transport at the border (运输方式). */
const TRANSPORT_MODES = {
  sea: { en: 'Sea', zh: '水路运输' },
  air: { en: 'Air', zh: '航空运输' },
  road: { en: 'Road', zh: '公路运输' },
  rail: { en: 'Rail', zh: '铁路运输' },
  post: { en: 'Post', zh: '邮件运输' },
  multimodal: { en: 'Multimodal', zh: '多式联运' },
} as const;

/** A new object per use: a label set on one field must not show on another. */
const Trader = () =>
  Type.Object(
  {
    id: Type.Optional(labelled(Uscc('Unified social credit code; required for the domestic importer or exporter'), { en: 'Unified social credit code', zh: '统一社会信用代码' })),
    name: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Name', zh: '名称' }),
    country: Type.Optional(labelled(Country('ISO 3166-1 alpha-2; required for the foreign party'), { en: 'Country', zh: '国别（地区）' })),
    address: Type.Optional(labelled(Type.String({ maxLength: 500 }), { en: 'Address', zh: '地址' })),
  },
  { additionalProperties: false },
);

const DocumentReference = Type.Object(
  {
    type: labelled(Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$', description: 'Ledger account type, e.g. automatic-import-licence' }), { en: 'Document type', zh: '证件类型' }),
    number: labelled(Type.String({ minLength: 1, maxLength: 64, description: 'The licence or certificate number' }), { en: 'Document number', zh: '证件编号' }),
    key: Type.Optional(
      labelled(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$', description: "The account's line, when it is not found by HS code: a temporary admission's item number" }), { en: 'Item no. on the document', zh: '证件项号' }),
    ),
    writeOff: Type.Optional(
      labelled(enumLabelled(Type.Enum(WRITE_OFF_KINDS, { description: 'Temporary admission: how the line writes the item off (re-export by default for an export, conversion to a definitive import for an import)' }), WRITE_OFF_LABELS), { en: 'Write-off', zh: '核销方式' }),
    ),
  },
  { additionalProperties: false },
);

export const GoodsLineSchema = Type.Object(
  {
    hsCode: labelled(annotated(Type.String({ pattern: '^\\d{10}$', description: 'Ten-digit tariff line; the first six digits are the HS subheading' }), {
      'x-code-list': 'hs',
      'x-error-code': 'HS_FORMAT',
    }), { en: 'HS code', zh: '商品编号' }),
    description: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Description of goods', zh: '商品名称及规格' }),
    quantity: labelled(Decimal('Quantity in `unit`', 15, 6, true), { en: 'Quantity', zh: '数量' }),
    unit: labelled(annotated(Type.String({ pattern: '^[A-Z0-9]{2,3}$', description: 'UN/ECE Recommendation 20 unit code' }), { 'x-code-list': 'unit', 'x-error-code': 'UNIT_UNKNOWN' }), { en: 'Unit', zh: '计量单位' }),
    grossWeightKg: Type.Optional(labelled(Decimal('Gross weight in kilograms', 15, 3, true), { en: 'Gross weight (kg)', zh: '毛重（千克）' })),
    netWeightKg: labelled(Decimal('Net weight in kilograms', 15, 3, true), { en: 'Net weight (kg)', zh: '净重（千克）' }),
    value: labelled(Decimal('Line value in the declaration currency', 15, 2, true), { en: 'Value', zh: '总价' }),
    originCountry: labelled(Country('Country of origin'), { en: 'Country of origin', zh: '原产国（地区）' }),
    documents: Type.Optional(labelled(Type.Array(DocumentReference, { maxItems: 20 }), { en: 'Licences and certificates', zh: '随附单证' }, { en: 'Licences and certificates the line uses, by ledger account type and number', zh: '该商品项使用的许可证件，填写证件类型与编号' })),
  },
  { additionalProperties: false },
);

export const GoodsDeclarationSchema = Type.Object(
  {
    direction: labelled(enumLabelled(Type.Enum(['import', 'export']), { import: { en: 'Import', zh: '进口' }, export: { en: 'Export', zh: '出口' } }), { en: 'Import or export', zh: '进出口' }),
    declarant: labelled(Uscc('The declaring party: the importer or exporter itself, or its customs broker'), { en: 'Declarant', zh: '申报单位' }),
    consignee: labelled(Trader(), { en: 'Consignee', zh: '收货人' }),
    consignor: labelled(Trader(), { en: 'Consignor', zh: '发货人' }),
    customsOffice: labelled(annotated(Type.String({ pattern: '^\\d{4}$', description: 'Four-digit customs office code (关区代码); its first two digits are the customs district (直属海关)' }), {
      'x-code-list': 'customs-offices',
    }), { en: 'Customs office', zh: '申报地海关' }),
    portOfEntry: Type.Optional(labelled(Locode('UN/LOCODE of the port of entry; imports only'), { en: 'Port of entry', zh: '入境口岸' })),
    portOfExit: Type.Optional(labelled(Locode('UN/LOCODE of the port of exit; exports only'), { en: 'Port of exit', zh: '离境口岸' })),
    countryOfDispatch: Type.Optional(labelled(Country('Country the goods were dispatched from; required for imports'), { en: 'Country of dispatch', zh: '启运国（地区）' })),
    countryOfDestination: Type.Optional(labelled(Country('Country of destination; required for exports'), { en: 'Country of destination', zh: '运抵国（地区）' })),
    currency: labelled(annotated(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency of the line values' }), { 'x-code-list': 'currency', 'x-error-code': 'CURRENCY_UNKNOWN' }), { en: 'Currency', zh: '币制' }),
    incoterm: Type.Optional(labelled(annotated(Type.String({ pattern: '^[A-Z]{3}$', description: 'Incoterms 2020 rule' }), { 'x-code-list': 'incoterm', 'x-error-code': 'INCOTERM_UNKNOWN' }), { en: 'Incoterm', zh: '成交方式' })),
    tradeMode: Type.Optional(
      labelled(
        annotated(Type.String({ pattern: '^\\d{4}$', description: 'Trade mode (监管方式), four digits: 0110 general trade, 0214/0615 processing trade, 2600 temporary goods, 2700 exhibition goods ...' }), { 'x-code-list': 'trade-mode' }),
        { en: 'Trade mode', zh: '监管方式' },
        { en: 'Processing trade (0214, 0615) cites the manual on every line; exhibition and temporary goods (2700, 2600) cite the temporary admission', zh: '加工贸易（0214、0615）每项须填报手册；展览品及暂时进出境货物（2700、2600）须填报暂时进境账册' },
      ),
    ),
    transport: labelled(Type.Object(
      {
        mode: labelled(enumLabelled(Type.Enum(['sea', 'air', 'road', 'rail', 'post', 'multimodal']), TRANSPORT_MODES), { en: 'Transport mode', zh: '运输方式' }),
        vesselImo: Type.Optional(labelled(annotated(Type.String({ pattern: '^\\d{7}$', description: 'IMO ship number' }), { 'x-check': 'imo', 'x-error-code': 'IMO_CHECK_DIGIT' }), { en: 'Vessel IMO number', zh: '船舶 IMO 编号' })),
        voyage: Type.Optional(labelled(Type.String({ minLength: 1, maxLength: 32 }), { en: 'Voyage', zh: '航次号' })),
        billOfLading: Type.Optional(labelled(Type.String({ minLength: 1, maxLength: 35 }), { en: 'Bill of lading', zh: '提运单号' })),
        containers: Type.Optional(
          labelled(Type.Array(annotated(Type.String({ pattern: '^[A-Z]{3}[UJZ]\\d{7}$', description: 'ISO 6346 container number' }), { 'x-check': 'container', 'x-error-code': 'CONTAINER_CHECK_DIGIT' }), {
            maxItems: 999,
          }), { en: 'Containers', zh: '集装箱号' }),
        ),
      },
      { additionalProperties: false },
    ), { en: 'Transport', zh: '运输信息' }),
    lines: labelled(Type.Array(GoodsLineSchema, { minItems: 1, maxItems: 50, description: "Goods lines; China's declaration form holds at most 50" }), { en: 'Goods lines', zh: '商品项' }),
  },
  { additionalProperties: false, title: 'Goods declaration', $id: 'https://kouan.dev/schemas/goods-declaration/v1' },
);

export type GoodsDeclaration = Static<typeof GoodsDeclarationSchema>;
export type GoodsLine = GoodsDeclaration['lines'][number];

