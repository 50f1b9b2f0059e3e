/**
 * How a goods declaration splits: customs always receives the whole declaration; inspection and quarantine
 * receives the header and the lines whose HS code its table routes to it, each with its line number.
 */
import Type from 'typebox';
import type { PartSpec } from '../../modules/doctypes/doctype.js';
import { labelled } from '../../modules/doctypes/labels.js';
import { GoodsDeclarationSchema, GoodsLineSchema, type GoodsDeclaration, type GoodsLine } from './schema.js';

/** What CIQ receives: the header, and the lines it inspects with their line numbers on the declaration. */
export const InspectionPartSchema = Type.Object(
  {
    ...Type.Omit(GoodsDeclarationSchema, ['lines']).properties,
    lines: labelled(
      Type.Array(
        Type.Object(
          {
            lineNumber: labelled(Type.Integer({ minimum: 1, maximum: 50, description: 'The line number on the declaration (from 1)' }), { en: 'Line number', zh: '商品序号' }),
            ...GoodsLineSchema.properties,
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 50 },
      ),
      { en: 'Goods lines to inspect', zh: '法检商品项' },
    ),
  },
  { additionalProperties: false, $id: 'https://kouan.dev/schemas/goods-declaration.inspection/v1' },
);

export function goodsDeclarationParts(inspectionPrefixes: readonly string[]): PartSpec<GoodsDeclaration>[] {
  const needsInspection = (line: GoodsLine) => inspectionPrefixes.some((prefix) => line.hsCode.startsWith(prefix));
  return [
    {
      agency: 'CUS',
      docType: 'goods-declaration.customs',
      condition: { en: 'Always: customs receives the whole declaration.', zh: '始终生成：海关接收完整报关单。' },
      applies: () => true,
      project: (document) => document,
      schema: GoodsDeclarationSchema,
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
      schema: InspectionPartSchema,
    },
  ];
}
