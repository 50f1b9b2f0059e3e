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

/** `$.a.b[0]`-style JSON path from JSON-pointer segments. */
export function jsonPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) return `${path}[${segment}]`;
    return /^[A-Za-z_$][\w$]*$/.test(segment) ? `${path}.${segment}` : `${path}[${JSON.stringify(segment)}]`;
  }, '$');
}

/** Converts a JSON pointer (`/lines/0/hsCode`) into a JSON path (`$.lines[0].hsCode`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '$';
  return jsonPath(pointer.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~')));
}
