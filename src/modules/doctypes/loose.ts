/** Guards for reading a JSON document that may not match its schema. */

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
