/**
 * The exhibition filing (会展商品备案): an exhibition agent files the event and its exhibit list once, for the
 * goods to enter under temporary admission for the event (监管方式 2700 展览品).
 */
import Type, { type Static } from 'typebox';
import { Country, Currency, CustomsOffice, DateOnly, Decimal, HsCode, Locode, Unit, Uscc } from '../../modules/doctypes/fields.js';
import { enumLabelled, labelled } from '../../modules/doctypes/labels.js';

/** What stands in for the import duties and taxes while the exhibits are in the country. */
export const GUARANTEE_KINDS = {
  deposit: { en: 'Cash deposit', zh: '保证金' },
  'bank-guarantee': { en: 'Bank guarantee', zh: '银行保函' },
  'ata-carnet': { en: 'ATA carnet (its white import and re-export vouchers)', zh: 'ATA 单证册（白色进口、复出口凭证）' },
} as const;

/** What the agent means to do with an exhibit after the event; customs writes the temporary admission off accordingly. */
export const INTENDED_DISPOSALS = {
  're-export': { en: 'Re-export', zh: '复运出境' },
  sale: { en: 'Sale at or after the event (definitive import)', zh: '展卖（转为正式进口）' },
  consumption: { en: 'Consumed or given away at the event', zh: '展览期间消耗或赠送' },
} as const;

export const ExhibitSchema = Type.Object(
  {
    no: labelled(Type.Integer({ minimum: 1, maximum: 9999, description: 'Item number (序号), unique in the list' }), { en: 'Item no.', zh: '序号' }),
    hsCode: labelled(HsCode(), { en: 'HS code', zh: '商品编号' }),
    description: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Description', zh: '商品名称及规格' }),
    quantity: labelled(Decimal('Quantity in `unit`', 15, 6, true), { en: 'Quantity', zh: '数量' }),
    unit: labelled(Unit(), { en: 'Unit', zh: '计量单位' }),
    value: labelled(Decimal('Value in the filing currency', 15, 2, true), { en: 'Value', zh: '价值' }),
    originCountry: labelled(Country('Country of origin'), { en: 'Country of origin', zh: '原产国（地区）' }),
    exhibitor: labelled(Type.String({ minLength: 1, maxLength: 255, description: 'The exhibitor that brings the item' }), { en: 'Exhibitor', zh: '参展商' }),
    disposal: labelled(enumLabelled(Type.Enum(Object.keys(INTENDED_DISPOSALS) as ['re-export', 'sale', 'consumption'], { description: 're-export, sale (definitive import) or consumption at the event' }), INTENDED_DISPOSALS), { en: 'Intended disposal', zh: '处置方式' }),
  },
  { additionalProperties: false },
);

export const ExhibitionFilingSchema = Type.Object(
  {
    declarant: labelled(Uscc('The filing party: the exhibition agent itself, or its broker'), { en: 'Declarant', zh: '申报单位' }),
    agent: labelled(
      Type.Object(
        {
          id: labelled(Uscc('Unified social credit code'), { en: 'Unified social credit code', zh: '统一社会信用代码' }),
          name: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Name', zh: '名称' }),
        },
        { additionalProperties: false },
      ),
      { en: 'Exhibition agent', zh: '展览品代理人' },
      { en: 'The enterprise answerable to customs for the exhibits until each is written off', zh: '在展览品核销前对海关负责的企业' },
    ),
    event: labelled(
      Type.Object(
        {
          name: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Event name', zh: '展会名称' }),
          venue: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Venue', zh: '展览场所' }),
          place: labelled(Locode('UN/LOCODE of the city of the venue'), { en: 'City', zh: '举办城市' }),
          organiser: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Organiser', zh: '主办单位' }),
          opensOn: labelled(DateOnly('First day of the event'), { en: 'Opens on', zh: '开幕日期' }),
          closesOn: labelled(DateOnly('Last day of the event'), { en: 'Closes on', zh: '闭幕日期' }),
        },
        { additionalProperties: false },
      ),
      { en: 'Event', zh: '展会' },
    ),
    customsOffice: labelled(CustomsOffice(), { en: 'Customs office', zh: '主管海关' }),
    portOfEntry: labelled(Locode('UN/LOCODE where the exhibits enter'), { en: 'Port of entry', zh: '入境口岸' }),
    currency: labelled(Currency(), { en: 'Currency', zh: '币制' }),
    guarantee: labelled(
      Type.Object(
        {
          kind: labelled(enumLabelled(Type.Enum(Object.keys(GUARANTEE_KINDS) as ['deposit', 'bank-guarantee', 'ata-carnet']), GUARANTEE_KINDS), { en: 'Guarantee', zh: '担保方式' }),
          amount: Type.Optional(labelled(Decimal('Amount of a deposit or bank guarantee, in the filing currency', 15, 2, true), { en: 'Amount', zh: '担保金额' })),
          carnetNumber: Type.Optional(labelled(Type.String({ pattern: '^[A-Z]{2}[A-Z0-9/-]{3,30}$', description: "An ATA carnet's number (it starts with the issuing country's code)" }), { en: 'ATA carnet no.', zh: 'ATA 单证册号' })),
        },
        { additionalProperties: false },
      ),
      { en: 'Guarantee', zh: '担保' },
      { en: 'An ATA carnet stands in for a deposit or guarantee: its vouchers are the import and re-export documents', zh: 'ATA 单证册可替代保证金或保函，其凭证即为进出境单证' },
    ),
    exhibits: labelled(Type.Array(ExhibitSchema, { minItems: 1, maxItems: 500 }), { en: 'Exhibits', zh: '展览品清单' }),
  },
  { additionalProperties: false, title: 'Exhibition filing', $id: 'https://kouan.dev/schemas/exhibition-filing/v1' },
);

export type ExhibitionFiling = Static<typeof ExhibitionFilingSchema>;
export type Exhibit = ExhibitionFiling['exhibits'][number];
