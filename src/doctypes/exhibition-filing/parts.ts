/**
 * How an exhibition filing splits: customs admits the exhibits temporarily (the whole list); inspection and
 * quarantine sees the exhibits its table routes to it; commerce sees the event; market regulation sees the
 * exhibits to be sold (展卖), when there are any.
 */
import Type from 'typebox';
import type { PartSpec } from '../../modules/doctypes/doctype.js';
import { labelled } from '../../modules/doctypes/labels.js';
import { ExhibitionFilingSchema, ExhibitSchema, type Exhibit, type ExhibitionFiling } from './schema.js';

const withExhibits = (id: string, label: { en: string; zh: string }) =>
  Type.Object(
    {
      ...Type.Omit(ExhibitionFilingSchema, ['exhibits']).properties,
      exhibits: labelled(Type.Array(ExhibitSchema, { minItems: 1, maxItems: 500 }), label),
    },
    { additionalProperties: false, $id: `https://kouan.dev/schemas/exhibition-filing.${id}/v1` },
  );

export const InspectionExhibitsSchema = withExhibits('inspection', { en: 'Exhibits to inspect', zh: '需检验检疫的展览品' });
export const SaleExhibitsSchema = withExhibits('sale', { en: 'Exhibits for sale', zh: '展卖商品' });

/** What commerce sees: the event, the agent and the totals of the list. */
export const EventSchema = Type.Object(
  {
    ...Type.Omit(ExhibitionFilingSchema, ['exhibits', 'guarantee']).properties,
    exhibitCount: labelled(Type.Integer({ minimum: 1 }), { en: 'Number of exhibits', zh: '展览品项数' }),
    exhibitors: labelled(Type.Array(Type.String(), { minItems: 1 }), { en: 'Exhibitors', zh: '参展商' }),
  },
  { additionalProperties: false, $id: 'https://kouan.dev/schemas/exhibition-filing.event/v1' },
);

export function exhibitionParts(inspectionPrefixes: readonly string[]): PartSpec<ExhibitionFiling>[] {
  const inspected = (exhibit: Exhibit) => inspectionPrefixes.some((prefix) => exhibit.hsCode.startsWith(prefix));
  const forSale = (exhibit: Exhibit) => exhibit.disposal === 'sale';
  return [
    {
      agency: 'CUS',
      docType: 'exhibition-filing.customs',
      condition: { en: 'Always: customs admits the exhibits temporarily and keeps their account.', zh: '始终生成：海关办理展览品暂时进境并建立核销账户。' },
      applies: () => true,
      project: (document) => document,
      schema: ExhibitionFilingSchema,
    },
    {
      agency: 'CIQ',
      docType: 'exhibition-filing.inspection',
      condition: { en: "When any exhibit's HS code starts with a prefix of the inspection table; CIQ receives those exhibits.", zh: '任一展览品商品编码以法检目录前缀开头时生成；检验检疫接收这些展览品。' },
      applies: (document) => document.exhibits.some(inspected),
      project: (document) => ({ ...document, exhibits: document.exhibits.filter(inspected) }),
      schema: InspectionExhibitsSchema,
    },
    {
      agency: 'MOC',
      docType: 'exhibition-filing.event',
      condition: { en: 'Always: commerce receives the event, its agent and the totals of the list.', zh: '始终生成：商务部门接收展会、代理人及展品汇总。' },
      applies: () => true,
      project: ({ exhibits, guarantee: _guarantee, ...event }) => ({ ...event, exhibitCount: exhibits.length, exhibitors: [...new Set(exhibits.map((exhibit) => exhibit.exhibitor))] }),
      schema: EventSchema,
    },
    {
      agency: 'SAIC',
      docType: 'exhibition-filing.sale',
      condition: { en: 'When any exhibit is to be sold (展卖): market regulation receives those exhibits.', zh: '有展卖商品时生成：市场监管部门接收展卖商品。' },
      applies: (document) => document.exhibits.some(forSale),
      project: (document) => ({ ...document, exhibits: document.exhibits.filter(forSale) }),
      schema: SaleExhibitsSchema,
    },
  ];
}
