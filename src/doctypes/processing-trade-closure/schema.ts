/**
 * The processing-trade closure (加工贸易手册核销, 报核): when the contract is done, the manual's holder reports, per
 * material line of the manual, what was imported, what the exports consumed and how the stock left went —
 * sold on the domestic market (内销, with commerce's approval and duty paid), carried over as leftover (余料),
 * scrap (边角料) or destroyed under supervision — and customs closes the manual.
 */
import Type, { type Static } from 'typebox';
import { CustomsOffice, Decimal, Uscc } from '../../modules/doctypes/fields.js';
import { labelled } from '../../modules/doctypes/labels.js';

const Quantity = (description: string, label: { en: string; zh: string }) => labelled(Decimal(description, 15, 6), label);

export const ReportedMaterialSchema = Type.Object(
  {
    line: labelled(Type.Integer({ minimum: 1, maximum: 9999, description: "The manual's material line (its lineNo in the ledger account)" }), { en: 'Manual line no.', zh: '料件项号' }),
    imported: Quantity('Quantity imported under the manual, in the line unit', { en: 'Imported', zh: '进口数量' }),
    consumed: Quantity('Quantity the exported products consumed', { en: 'Consumed by exports', zh: '出口成品耗用' }),
    domesticSales: Quantity('Quantity sold on the domestic market (内销), duty paid', { en: 'Domestic sales', zh: '内销数量' }),
    leftover: Quantity('Leftover material (余料), carried over or re-exported', { en: 'Leftover', zh: '余料数量' }),
    scrap: Quantity('Scrap and offcuts (边角料)', { en: 'Scrap', zh: '边角料数量' }),
    destroyed: Quantity('Destroyed under customs supervision', { en: 'Destroyed', zh: '销毁数量' }),
  },
  { additionalProperties: false },
);

export const ProcessingTradeClosureSchema = Type.Object(
  {
    declarant: labelled(Uscc('The filing party: the manual holder itself, or its broker'), { en: 'Declarant', zh: '申报单位' }),
    enterprise: labelled(
      Type.Object(
        {
          id: labelled(Uscc('Unified social credit code'), { en: 'Unified social credit code', zh: '统一社会信用代码' }),
          name: labelled(Type.String({ minLength: 1, maxLength: 255 }), { en: 'Name', zh: '名称' }),
        },
        { additionalProperties: false },
      ),
      { en: 'Operating enterprise', zh: '经营企业' },
      { en: 'The holder of the manual', zh: '手册持有企业' },
    ),
    manual: labelled(Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{2,63}$', description: 'The processing-trade manual (its ledger account number)' }), { en: 'Manual no.', zh: '手册编号' }),
    customsOffice: labelled(CustomsOffice(), { en: 'Competent customs', zh: '主管海关' }),
    domesticSalesApproval: Type.Optional(
      labelled(Type.String({ minLength: 1, maxLength: 64, description: "Commerce's approval of the domestic sales (内销批准证) number; required when any material is sold domestically" }), { en: 'Domestic sales approval no.', zh: '内销批准证号' }),
    ),
    materials: labelled(Type.Array(ReportedMaterialSchema, { minItems: 1, maxItems: 100 }), { en: 'Materials reported', zh: '料件核销表' }),
  },
  { additionalProperties: false, title: 'Processing-trade closure', $id: 'https://kouan.dev/schemas/processing-trade-closure/v1' },
);

export type ProcessingTradeClosure = Static<typeof ProcessingTradeClosureSchema>;
export type ReportedMaterial = ProcessingTradeClosure['materials'][number];
