/** The processing-trade filing's cross-field rules: item numbers, what products consume, the manual's period. */
import type { FieldError } from '../../shared/errors.js';
import type { CrossFieldRule, LooseDocument } from '../../modules/doctypes/doctype.js';
import { arr, duplicateItemNumbers, obj, str } from '../../modules/doctypes/loose.js';

/** The item numbers of a list, each with its index. */
const numbers = (document: LooseDocument, list: 'materials' | 'products') =>
  arr(document[list]).flatMap((item, index) => {
    const no = obj(item)?.no;
    return typeof no === 'number' ? [{ no, index }] : [];
  });

/** Days between two ISO dates (b − a), or undefined when either is not a date. */
function daysBetween(a: string | undefined, b: string | undefined): number | undefined {
  const from = a === undefined ? NaN : Date.parse(`${a}T00:00:00Z`);
  const to = b === undefined ? NaN : Date.parse(`${b}T00:00:00Z`);
  return Number.isNaN(from) || Number.isNaN(to) ? undefined : Math.round((to - from) / 86_400_000);
}

export const rules: readonly CrossFieldRule[] = [
  {
    id: 'item-numbers-unique',
    description: { en: 'Each material and each product has its own number in its list.', zh: '料件、成品序号在各自表内不得重复。' },
    codes: ['ITEM_NUMBER_DUPLICATE'],
    check(document) {
      return [...duplicateItemNumbers(document, 'materials'), ...duplicateItemNumbers(document, 'products')];
    },
  },
  {
    id: 'consumption-of-listed-materials',
    description: { en: 'A product consumes only materials of the filing, each once.', zh: '成品单耗只能引用本备案的料件，且每种料件只列一次。' },
    codes: ['MATERIAL_UNKNOWN', 'ITEM_NUMBER_DUPLICATE'],
    check(document) {
      const materials = new Set(numbers(document, 'materials').map(({ no }) => no));
      return arr(document.products).flatMap((product, productIndex) => {
        const seen = new Set<number>();
        return arr(obj(product)?.consumption).flatMap((entry, index): FieldError[] => {
          const material = obj(entry)?.material;
          if (typeof material !== 'number') return [];
          const path = `$.products[${productIndex}].consumption[${index}].material`;
          if (!materials.has(material)) return [{ path, code: 'MATERIAL_UNKNOWN', params: { value: material } }];
          if (seen.has(material)) return [{ path, code: 'ITEM_NUMBER_DUPLICATE', params: { value: material } }];
          seen.add(material);
          return [];
        });
      });
    },
  },
  {
    id: 'manual-period',
    description: {
      en: 'The manual ends after the contract was signed and within five years of it (customs sets the period within the contract term).',
      zh: '手册有效期须晚于合同签订日期，且不超过其后五年（海关在合同期限内核定）。',
    },
    codes: ['PROCESSING_PERIOD_INVALID'],
    check(document) {
      const signedOn = str(obj(document.contract)?.signedOn);
      const days = daysBetween(signedOn, str(document.validTo));
      if (days === undefined || (days > 0 && days <= 5 * 366)) return [];
      return [{ path: '$.validTo', code: 'PROCESSING_PERIOD_INVALID', params: { signedOn: signedOn ?? '' } }];
    },
  },
];
