/**
 * How a processing-trade filing splits: commerce approves the business (加工贸易业务批准证) from the contract and
 * its goods; customs files the manual (备案) from everything, consumption included.
 */
import Type from 'typebox';
import type { PartSpec } from '../../modules/doctypes/doctype.js';
import { labelled } from '../../modules/doctypes/labels.js';
import { ProcessingTradeFilingSchema, ProductSchema, type ProcessingTradeFiling } from './schema.js';

/** What commerce sees: the filing without the consumption of each product. */
export const BusinessApprovalSchema = Type.Object(
  {
    ...Type.Omit(ProcessingTradeFilingSchema, ['products']).properties,
    products: labelled(Type.Array(Type.Omit(ProductSchema, ['consumption']), { minItems: 1, maxItems: 200 }), { en: 'Exported products', zh: '出口成品' }),
  },
  { additionalProperties: false, $id: 'https://kouan.dev/schemas/processing-trade-filing.business-approval/v1' },
);

export function processingTradeParts(commerceApproval: boolean): PartSpec<ProcessingTradeFiling>[] {
  const customs: PartSpec<ProcessingTradeFiling> = {
    agency: 'CUS',
    docType: 'processing-trade-filing.customs',
    condition: { en: 'Always: customs files the manual from the whole filing.', zh: '始终生成：海关据完整备案资料设立手册。' },
    applies: () => true,
    project: (document) => document,
    schema: ProcessingTradeFilingSchema,
  };
  const commerce: PartSpec<ProcessingTradeFiling> = {
    agency: 'MOC',
    docType: 'processing-trade-filing.business-approval',
    condition: {
      en: 'When this deployment requires commerce\'s business approval ("commerceApproval"): commerce receives the contract and its goods without consumption.',
      zh: '本平台要求商务主管部门业务审批时生成（见 commerceApproval）：商务部门接收合同及进出口商品，不含单耗。',
    },
    applies: () => commerceApproval,
    project: ({ products, ...rest }) => ({ ...rest, products: products.map(({ consumption: _consumption, ...product }) => product) }),
    schema: BusinessApprovalSchema,
  };
  return [customs, commerce];
}
