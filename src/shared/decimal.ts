/**
 * Exact decimals. Quantities, weights and money travel as JSON numbers or decimal strings and are kept as
 * canonical decimal strings ("820.5", "0.001"); arithmetic goes through scaled BigInts, never binary floats.
 */

export interface DecimalLimits {
  /** Digits before the point. */
  readonly integer: number;
  /** Digits after the point. */
  readonly scale: number;
}

export type DecimalParse =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly code: 'DECIMAL_INVALID' | 'DECIMAL_PRECISION' };

const DECIMAL_STRING = /^-?(\d+)(?:\.(\d+))?$/;
/** A JSON number survives JSON.parse exactly only while it has at most this many significant digits. */
export const SAFE_SIGNIFICANT_DIGITS = 15;

/** Parses a JSON number or decimal string into the canonical decimal string, within the limits. */
export function parseDecimal(input: unknown, limits: DecimalLimits): DecimalParse {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, code: 'DECIMAL_INVALID' };
    text = numberToPlainString(input);
    if (significantDigits(text) > SAFE_SIGNIFICANT_DIGITS) return { ok: false, code: 'DECIMAL_PRECISION' };
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return { ok: false, code: 'DECIMAL_INVALID' };
  }
  const match = DECIMAL_STRING.exec(text);
  if (!match) return { ok: false, code: 'DECIMAL_INVALID' };
  const negative = text.startsWith('-');
  const integerPart = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (integerPart.length > limits.integer || fraction.length > limits.scale) return { ok: false, code: 'DECIMAL_PRECISION' };
  const isZero = /^0*$/.test(integerPart) && fraction === '';
  const body = fraction === '' ? integerPart : `${integerPart}.${fraction}`;
  return { ok: true, value: negative && !isZero ? `-${body}` : body };
}

/** The decimal as a BigInt scaled by 10^scale (the value must have at most `scale` decimals). */
export function toScaled(value: string, scale: number): bigint {
  const match = DECIMAL_STRING.exec(value);
  if (!match) throw new RangeError(`not a decimal: ${value}`);
  const fraction = match[2] ?? '';
  if (fraction.length > scale) throw new RangeError(`${value} has more than ${scale} decimals`);
  const digits = BigInt((match[1] ?? '0') + fraction.padEnd(scale, '0'));
  return value.startsWith('-') ? -digits : digits;
}

/** The canonical decimal string of a BigInt scaled by 10^scale. */
export function fromScaled(scaled: bigint, scale: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, '0');
  const integerPart = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const body = fraction === '' ? integerPart : `${integerPart}.${fraction}`;
  return negative && body !== '0' ? `-${body}` : body;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const scale = Math.max(decimals(a), decimals(b));
  const x = toScaled(a, scale);
  const y = toScaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The exact sum of decimal strings. */
export function sumDecimals(values: readonly string[]): string {
  const scale = values.reduce((max, value) => Math.max(max, decimals(value)), 0);
  return fromScaled(values.reduce((total, value) => total + toScaled(value, scale), 0n), scale);
}

function decimals(value: string): number {
  const point = value.indexOf('.');
  return point < 0 ? 0 : value.length - point - 1;
}

function numberToPlainString(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent notation (1e21, 1e-7): expand it from its own digits, which are exact.
  const [mantissa = '', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [whole = '', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}

/** Significant digits of a plain decimal (sign, point, leading and trailing zeros do not count). */
export function significantDigits(text: string): number {
  return text.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
}
