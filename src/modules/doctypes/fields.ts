/**
 * Field builders every document type's schema uses: Kouan's keywords (exact decimals, code lists, check digits)
 * on the JSON Schema types, each call a new schema object so that each field takes its own label.
 */
import Type, { type TSchema } from 'typebox';
import type { Annotations } from './validation.js';

export const annotated = <T extends TSchema>(schema: T, annotations: Annotations): T => Object.assign(schema, annotations);

const DECIMAL_STRING = '^-?\\d+(\\.\\d+)?$';

/** An exact decimal with at most `integer` integer and `scale` decimal digits, as a JSON number or a decimal string. */
export const Decimal = (description: string, integer: number, scale: number, positive = false) =>
  annotated(Type.Union([Type.Number(), Type.String({ pattern: DECIMAL_STRING })], { description }), { 'x-decimal': { integer, scale, positive } });

/** A unified social credit code (统一社会信用代码, GB 32100) with its check digit. */
export const Uscc = (description: string) =>
  annotated(Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', description }), { 'x-check': 'uscc', 'x-error-code': 'USCC_INVALID' });

/** An ISO 3166-1 alpha-2 country code. */
export const Country = (description: string) => annotated(Type.String({ pattern: '^[A-Z]{2}$', description }), { 'x-code-list': 'country', 'x-error-code': 'COUNTRY_UNKNOWN' });

/** A UN/LOCODE. */
export const Locode = (description: string) => annotated(Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$', description }), { 'x-code-list': 'locode', 'x-error-code': 'LOCODE_FORMAT' });

/** A ten-digit tariff line of the national tariff (its first six digits the HS subheading). */
export const HsCode = (description = 'Ten-digit tariff line; the first six digits are the HS subheading') =>
  annotated(Type.String({ pattern: '^\\d{10}$', description }), { 'x-code-list': 'hs', 'x-error-code': 'HS_FORMAT' });

/** A UN/ECE Recommendation 20 unit code. */
export const Unit = (description = 'UN/ECE Recommendation 20 unit code') => annotated(Type.String({ pattern: '^[A-Z0-9]{2,3}$', description }), { 'x-code-list': 'unit', 'x-error-code': 'UNIT_UNKNOWN' });

/** An ISO 4217 currency code. */
export const Currency = (description = 'ISO 4217 currency') => annotated(Type.String({ pattern: '^[A-Z]{3}$', description }), { 'x-code-list': 'currency', 'x-error-code': 'CURRENCY_UNKNOWN' });

/** A four-digit customs office code (关区代码); its first two digits are the customs district (直属海关). */
export const CustomsOffice = (description = 'Four-digit customs office code (关区代码); its first two digits are the customs district (直属海关)') =>
  annotated(Type.String({ pattern: '^\\d{4}$', description }), { 'x-code-list': 'customs-offices' });

/** A calendar date, YYYY-MM-DD. */
export const DateOnly = (description: string) => Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', description });
