/** Guards for reading a JSON document that may not match its schema. */
import type { FieldError } from '../../shared/errors.js';
import type { LooseDocument } from './doctype.js';

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function obj(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A canonical decimal string, as the decimal normalisation leaves valid decimals. */
export function decimal(value: unknown): string | undefined {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? value : undefined;
}

/**
 * One ITEM_NUMBER_DUPLICATE per item of `document[list]` whose integer `no` an earlier item already has: the rule
 * every document type with numbered lists (materials, products, exhibits) shares.
 */
export function duplicateItemNumbers(document: LooseDocument, list: string): FieldError[] {
  const seen = new Set<number>();
  return arr(document[list]).flatMap((item, index): FieldError[] => {
    const no = obj(item)?.no;
    if (typeof no !== 'number') return [];
    if (!seen.has(no)) {
      seen.add(no);
      return [];
    }
    return [{ path: `$.${list}[${index}].no`, code: 'ITEM_NUMBER_DUPLICATE', params: { value: no } }];
  });
}
