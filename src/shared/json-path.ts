/** JSON paths (`$.lines[0].hsCode`), the way every error names the value it concerns. */

/** The JSON path of a value from its path segments. */
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
