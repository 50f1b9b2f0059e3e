/**
 * How a processing-trade closure splits: customs closes the manual from the whole report; commerce sees the
 * domestic sales it approved, when there are any.
 */
import Type from 'typebox';
import type { PartSpec } from '../../modules/doctypes/doctype.js';
import { labelled } from '../../modules/doctypes/labels.js';
import { hasDomesticSales } from './rules.js';
import { ProcessingTradeClosureSchema, ReportedMaterialSchema, type ProcessingTradeClosure } from './schema.js';

/** What commerce sees: the manual, the approval and, per material line, what was sold domestically. */
export const DomesticSalesSchema = Type.Object(
  {
    ...Type.Pick(ProcessingTradeClosureSchema, ['declarant', 'enterprise', 'manual', 'customsOffice', 'domesticSalesApproval']).properties,
    materials: labelled(Type.Array(Type.Pick(ReportedMaterialSchema, ['line', 'domesticSales']), { minItems: 1, maxItems: 100 }), { en: 'Materials sold domestically', zh: '内销料件' }),
  },
  { additionalProperties: false, $id: 'https://kouan.dev/schemas/processing-trade-closure.domestic-sales/v1' },
);

export const closureParts: readonly PartSpec<ProcessingTradeClosure>[] = [
  {
    agency: 'CUS',
    docType: 'processing-trade-closure.customs',
    condition: { en: 'Always: customs reconciles the report with the manual and closes it.', zh: '始终生成：海关核对报核数据并对手册结案。' },
    applies: () => true,
    project: (document) => document,
    schema: ProcessingTradeClosureSchema,
  },
  {
    agency: 'MOC',
    docType: 'processing-trade-closure.domestic-sales',
    condition: { en: 'When some material is sold on the domestic market (内销): commerce sees what it approved.', zh: '有料件内销时生成：商务主管部门核对其批准的内销。' },
    applies: (document) => hasDomesticSales(document.materials),
    project: ({ declarant, enterprise, manual, customsOffice, domesticSalesApproval, materials }) => ({
      declarant,
      enterprise,
      manual,
      customsOffice,
      ...(domesticSalesApproval === undefined ? {} : { domesticSalesApproval }),
      materials: materials.filter((material) => hasDomesticSales([material])).map(({ line, domesticSales }) => ({ line, domesticSales })),
    }),
    schema: DomesticSalesSchema,
  },
];
