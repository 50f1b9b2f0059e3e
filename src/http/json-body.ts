/**
 * JSON bodies with exact numbers. JSON.parse turns every number into a binary double, which keeps at most 15
 * significant digits exactly and nothing beyond about 1e308, so 200.0000000000000001 would silently become 200,
 * 1.0000000000000000001e0 become 1, 1e400 become Infinity (stored as null) and 1e-400 become 0. Before parsing,
 * every number literal a double does not carry exactly is turned into a decimal string with the same digits,
 * written out in full; the decimal rules then accept it exactly or refuse it with DECIMAL_PRECISION, and a field
 * that wants a JSON number refuses a string. A literal too large or too small to write out (1e400) is refused
 * with its path. Literals a double carries exactly (1.5E-7, 1e21, -0) are left alone.
 */
import { SAFE_SIGNIFICANT_DIGITS } from '../shared/decimal.js';
import { KouanError } from '../shared/errors.js';
import { jsonPath } from '../shared/json-path.js';

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
// A run this long can only come from a number too long for a double (or from inside a string); a digit before
// an e from a number in exponent notation (or, again, from a string).
const CANDIDATE = /\d[\d.]{15}|\d[eE]/;
/** The longest decimal string an exponent literal is written out to; every decimal Kouan takes is far shorter. */
export const MAX_WRITTEN_OUT = 100;

/** The JSON text with every number literal a double would change quoted as an exact decimal; any other text is returned unchanged. */
export function quoteInexactNumbers(text: string): string {
  if (!CANDIDATE.test(text)) return text;
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  // Where the scan is, for naming a refused literal: each open container, with the member key (as written,
  // decoded only when a literal is refused) or the item index.
  const path: { kind: 'object' | 'array'; at: string | number | undefined }[] = [];
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      const end = endOfString(text, index);
      const top = path.at(-1);
      if (top?.kind === 'object' && text.charCodeAt(skipWhitespace(text, end)) === 0x3a /* : */) top.at = text.slice(index, end);
      index = end;
      continue;
    }
    if (char === 0x7b /* { */ || char === 0x5b /* [ */) path.push(char === 0x7b ? { kind: 'object', at: undefined } : { kind: 'array', at: 0 });
    else if (char === 0x7d /* } */ || char === 0x5d /* ] */) path.pop();
    else if (char === 0x2c /* , */) {
      const top = path.at(-1);
      if (top?.kind === 'array' && typeof top.at === 'number') top.at += 1;
    } else if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
      NUMBER.lastIndex = index;
      const match = NUMBER.exec(text);
      if (match === null) {
        index += 1;
        continue;
      }
      const literal = match[0];
      const form = exactForm(literal);
      if (form === undefined) {
        const segments = path.map((level) => (typeof level.at === 'string' ? keyOf(level.at) : (level.at ?? '')));
        throw new KouanError('REQUEST_INVALID', {
          errors: [{ path: `body:${jsonPath(segments)}`, code: 'FIELD_RANGE', params: { limit: `a number of at most ${MAX_WRITTEN_OUT} characters written out in full (send larger ones as strings)` } }],
        });
      }
      if (form.quote) {
        out += `${text.slice(copiedUpTo, index)}"${form.text}"`;
        copiedUpTo = index + literal.length;
      }
      index += literal.length;
      continue;
    }
    index += 1;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/**
 * How a number literal is to be read: as the number when a double carries it exactly; else as a decimal string
 * of its exact value (a plain literal as it is, one with an exponent written out); undefined when writing it out
 * would take more than MAX_WRITTEN_OUT characters.
 */
export function exactForm(literal: string): { readonly quote: boolean; readonly text: string } | undefined {
  const parts = decimalParts(literal);
  if (parts === undefined) return { quote: false, text: literal };
  if (parts.digits.length <= SAFE_SIGNIFICANT_DIGITS && sameDecimal(parts, decimalParts(String(Number(literal))))) return { quote: false, text: literal };
  if (!/[eE]/.test(literal)) return { quote: true, text: literal };
  const text = writtenOut(parts);
  return text === undefined ? undefined : { quote: true, text };
}

interface DecimalParts {
  readonly negative: boolean;
  /** Significant digits, without leading or trailing zeros ('' for zero). */
  readonly digits: string;
  /** The value is digits × 10^exponent. */
  readonly exponent: number;
}

function decimalParts(literal: string): DecimalParts | undefined {
  const match = LITERAL.exec(literal);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const all = (whole + fraction).replace(/^0+/, '');
  const digits = all.replace(/0+$/, '');
  return { negative: sign === '-' && digits !== '', digits, exponent: Number(exponentText) - fraction.length + (all.length - digits.length) };
}

function sameDecimal(a: DecimalParts, b: DecimalParts | undefined): boolean {
  return b !== undefined && a.negative === b.negative && a.digits === b.digits && (a.digits === '' || a.exponent === b.exponent);
}

function writtenOut({ negative, digits, exponent }: DecimalParts): string | undefined {
  if (digits === '') return '0';
  const point = digits.length + exponent;
  const length = (negative ? 1 : 0) + (exponent >= 0 ? digits.length + exponent : point > 0 ? digits.length + 1 : 2 - point + digits.length);
  if (!Number.isSafeInteger(exponent) || length > MAX_WRITTEN_OUT) return undefined;
  const body = exponent >= 0 ? digits + '0'.repeat(exponent) : point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  return negative ? `-${body}` : body;
}

function keyOf(quoted: string): string {
  try {
    const key: unknown = JSON.parse(quoted);
    return typeof key === 'string' ? key : '';
  } catch {
    return '';
  }
}

function skipWhitespace(text: string, start: number): number {
  let index = start;
  while (index < text.length && (text[index] === ' ' || text[index] === '\t' || text[index] === '\n' || text[index] === '\r')) index += 1;
  return index;
}

function endOfString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x5c /* \ */) index += 2;
    else if (char === 0x22) return index + 1;
    else index += 1;
  }
  return index;
}
