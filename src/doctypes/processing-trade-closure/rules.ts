/** The processing-trade closure's cross-field rules: one report per manual line, no negative quantity, commerce's approval for domestic sales. */
import type { FieldError } from '../../shared/errors.js';
import type { CrossFieldRule } from '../../modules/doctypes/doctype.js';
import { arr, decimal, obj } from '../../modules/doctypes/loose.js';

const QUANTITIES = ['imported', 'consumed', 'domesticSales', 'leftover', 'scrap', 'destroyed'] as const;

export const rules: readonly CrossFieldRule[] = [
  {
    id: 'one-report-per-line',
    description: { en: 'Each material line of the manual is reported once.', zh: '手册每项料件只能报核一次。' },
    codes: ['ITEM_NUMBER_DUPLICATE'],
    check(document) {
      const seen = new Set<number>();
      return arr(document.materials).flatMap((item, index): FieldError[] => {
        const line = obj(item)?.line;
        if (typeof line !== 'number') return [];
        if (seen.has(line)) return [{ path: `$.materials[${index}].line`, code: 'ITEM_NUMBER_DUPLICATE', params: { value: line } }];
        seen.add(line);
        return [];
      });
    },
  },
  {
    id: 'quantities-not-negative',
    description: { en: 'No reported quantity is negative.', zh: '报核数量不得为负数。' },
    codes: ['DECIMAL_NEGATIVE'],
    check(document) {
      return arr(document.materials).flatMap((item, index) =>
        QUANTITIES.flatMap((field): FieldError[] => (decimal(obj(item)?.[field])?.startsWith('-') === true ? [{ path: `$.materials[${index}].${field}`, code: 'DECIMAL_NEGATIVE' }] : [])),
      );
    },
  },
  {
    id: 'domestic-sales-approved',
    description: { en: "Domestic sales of bonded materials name commerce's approval.", zh: '保税料件内销须填报商务主管部门的内销批准证号。' },
    codes: ['DOMESTIC_SALES_APPROVAL_REQUIRED'],
    check(document) {
      const sold = arr(document.materials).some((item) => isPositive(decimal(obj(item)?.domesticSales) ?? '0'));
      return sold && document.domesticSalesApproval === undefined ? [{ path: '$.domesticSalesApproval', code: 'DOMESTIC_SALES_APPROVAL_REQUIRED' }] : [];
    },
  },
];

/** Whether any material is sold on the domestic market: commerce then sees the closure. */
export function hasDomesticSales(materials: readonly { readonly domesticSales: string | number }[]): boolean {
  return materials.some((material) => isPositive(String(material.domesticSales)));
}

/** Whether a canonical decimal string is above zero. */
function isPositive(value: string): boolean {
  return /^[1-9]|^0\.\d*[1-9]/.test(value);
}
