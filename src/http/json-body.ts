/**
 * JSON bodies with exact numbers. JSON.parse turns every number into a binary double, which keeps at most 15
 * significant digits exactly, so a quantity like 200.0000000000000001 would silently become 200. Before
 * parsing, number literals longer than that are turned into decimal strings with the same digits; the decimal
 * rules then accept them exactly or refuse them with DECIMAL_PRECISION, never round them.
 */
import { SAFE_SIGNIFICANT_DIGITS, significantDigits } from '../shared/decimal.js';

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// A run this long can only come from a number too long for a double (or from inside a string).
const LONG_RUN = /\d[\d.]{15}/;

/** The JSON text with over-long number literals quoted; any other text is returned unchanged. */
export function quoteLongNumbers(text: string): string {
  if (!LONG_RUN.test(text)) return text;
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      index = endOfString(text, index);
      continue;
    }
    if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
      NUMBER.lastIndex = index;
      const match = NUMBER.exec(text);
      if (match === null) {
        index += 1;
        continue;
      }
      const literal = match[0];
      if (!/[eE]/.test(literal) && significantDigits(literal) > SAFE_SIGNIFICANT_DIGITS) {
        out += `${text.slice(copiedUpTo, index)}"${literal}"`;
        copiedUpTo = index + literal.length;
      }
      index += literal.length;
      continue;
    }
    index += 1;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
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
