/**
 * The processing-trade filing (加工贸易手册备案): the processing contract entered once, with the materials to be
 * imported duty-bonded, the products to be exported and what each product consumes of each material.
 */
import Type, { type Static } from 'typebox';
import { Country, Currency, CustomsOffice, DateOnly, Decimal, HsCode, Unit, Uscc } from '../../modules/doctypes/fields.js';
import { enumLabelled, labelled } from '../../modules/doctypes/labels.js';

/** Processing trade modes (监管方式): supplied materials (来料加工) and imported materials (进料对口). */
export const PROCESSING_TRADE_MODES = { '0214': { en: 'Processing with supplied materials', zh: '来料加工' }, '0615': { en: 'Processing with imported materials', zh: '进料对口' } } as const;

const Enterprise = (label: { en: string; zh: string }, help: { en: string; zh: string }) =>
  labelled(
    Type.Object(
      {
        id: labelled(Uscc('Unified social credit code'), { en: 'Unified social credit code', zh: '统一社会信用代码' }),
        name: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Name', zh: '名称' }),
      },
      { additionalProperties: false },
    ),
    label,
    help,
  );

const ItemNumber = (label: { en: string; zh: string }) => labelled(Type.Integer({ minimum: 1, maximum: 9999, description: 'Item number (序号), unique in its list' }), label);

export const MaterialSchema = Type.Object(
  {
    no: ItemNumber({ en: 'Material no.', zh: '料件序号' }),
    hsCode: labelled(HsCode(), { en: 'HS code', zh: '商品编号' }),
    description: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Description', zh: '商品名称及规格' }),
    quantity: labelled(Decimal('Quantity to import under the contract, in `unit`', 15, 6, true), { en: 'Quantity', zh: '数量' }),
    unit: labelled(Unit(), { en: 'Unit', zh: '计量单位' }),
    value: labelled(Decimal('Value in the contract currency', 15, 2, true), { en: 'Value', zh: '总价' }),
  },
  { additionalProperties: false },
);

export const ConsumptionSchema = Type.Object(
  {
    material: labelled(Type.Integer({ minimum: 1, maximum: 9999, description: 'The material no. consumed' }), { en: 'Material no.', zh: '料件序号' }),
    unitConsumption: labelled(Decimal('Material units consumed per product unit, waste included (单耗)', 9, 6, true), { en: 'Unit consumption', zh: '单耗' }, {
      en: 'Net consumption divided by (1 − process waste rate): what the manual writes off per product unit exported',
      zh: '净耗 ÷（1 − 工艺损耗率），即每出口一个成品单位核减的料件数量',
    }),
    wastePct: Type.Optional(labelled(Decimal('Process waste rate in percent (工艺损耗率), already included in unitConsumption', 3, 4), { en: 'Waste rate (%)', zh: '工艺损耗率（%）' })),
  },
  { additionalProperties: false },
);

export const ProductSchema = Type.Object(
  {
    no: ItemNumber({ en: 'Product no.', zh: '成品序号' }),
    hsCode: labelled(HsCode(), { en: 'HS code', zh: '商品编号' }),
    description: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Description', zh: '商品名称及规格' }),
    quantity: labelled(Decimal('Quantity to export under the contract, in `unit`', 15, 6, true), { en: 'Quantity', zh: '数量' }),
    unit: labelled(Unit(), { en: 'Unit', zh: '计量单位' }),
    value: labelled(Decimal('Value in the contract currency', 15, 2, true), { en: 'Value', zh: '总价' }),
    consumption: labelled(Type.Array(ConsumptionSchema, { minItems: 1, maxItems: 100 }), { en: 'Consumption of materials', zh: '单耗' }),
  },
  { additionalProperties: false },
);

export const ProcessingTradeFilingSchema = Type.Object(
  {
    declarant: labelled(Uscc('The filing party: the operating enterprise itself, or its broker'), { en: 'Declarant', zh: '申报单位' }),
    enterprise: Enterprise({ en: 'Operating enterprise', zh: '经营企业' }, { en: 'The enterprise that holds the manual and imports and exports under it', zh: '持有手册并据以进出口的企业' }),
    processor: Type.Optional(Enterprise({ en: 'Processing enterprise', zh: '加工企业' }, { en: 'The factory that processes the goods, when it is not the operating enterprise', zh: '实际加工的企业（与经营企业不同时填写）' })),
    tradeMode: labelled(enumLabelled(Type.Enum(Object.keys(PROCESSING_TRADE_MODES) as ['0214', '0615'], { description: 'Trade mode (监管方式): 0214 processing with supplied materials, 0615 with imported materials' }), PROCESSING_TRADE_MODES), { en: 'Trade mode', zh: '监管方式' }),
    customsOffice: labelled(CustomsOffice(), { en: 'Competent customs', zh: '主管海关' }),
    contract: labelled(
      Type.Object(
        {
          number: labelled(Type.String({ minLength: 1, maxLength: 64 }), { en: 'Contract no.', zh: '合同号' }),
          signedOn: labelled(DateOnly('Date the contract was signed'), { en: 'Signed on', zh: '签订日期' }),
          foreignParty: labelled(
            Type.Object(
              {
                name: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Name', zh: '名称' }),
                country: labelled(Country('Country of the foreign party'), { en: 'Country', zh: '国别（地区）' }),
              },
              { additionalProperties: false },
            ),
            { en: 'Foreign party', zh: '外商' },
          ),
          currency: labelled(Currency(), { en: 'Currency', zh: '币制' }),
        },
        { additionalProperties: false },
      ),
      { en: 'Processing contract', zh: '加工贸易合同' },
    ),
    validTo: labelled(DateOnly('Last day the manual may be used (有效期)'), { en: 'Valid to', zh: '有效期至' }),
    materials: labelled(Type.Array(MaterialSchema, { minItems: 1, maxItems: 100 }), { en: 'Imported materials', zh: '进口料件' }),
    products: labelled(Type.Array(ProductSchema, { minItems: 1, maxItems: 200 }), { en: 'Exported products', zh: '出口成品' }),
  },
  { additionalProperties: false, title: 'Processing-trade filing', $id: 'https://kouan.dev/schemas/processing-trade-filing/v1' },
);

export type ProcessingTradeFiling = Static<typeof ProcessingTradeFilingSchema>;
