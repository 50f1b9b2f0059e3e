/**
 * The unified declaration number (报关单海关编号), 18 digits, given when customs accepts the declaration:
 *
 *   2201 2026 1 000000042
 *   │    │    │ └ sequence, 9 digits, per office, year and direction, from 1, without gaps
 *   │    │    └ direction: 1 import, 0 export
 *   │    └ the calendar year of acceptance, in the platform's time zone
 *   └ the customs office that accepts it (关区代码), 4 digits
 *
 * The sequence is allocated inside the submission's transaction (submissions.repository.ts, allocateNumber),
 * so a declaration that is not stored takes no number and two stored ones never share one.
 */

/** Which counter a declaration draws its sequence from. */
export interface NumberSeries {
  readonly office: string;
  readonly year: number;
  /** '1' import, '0' export. */
  readonly direction: '0' | '1';
}

/** The largest sequence a series can give: nine digits. */
export const MAX_SEQUENCE = 999_999_999;

export const DECLARATION_NUMBER = /^\d{18}$/;

/** The series of a document: its 4-digit customsOffice and import/export direction; undefined when it has not both. */
export function seriesOf(document: unknown, acceptedAt: string, timeZone: string): NumberSeries | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const { customsOffice, direction } = document as { customsOffice?: unknown; direction?: unknown };
  if (typeof customsOffice !== 'string' || !/^\d{4}$/.test(customsOffice)) return undefined;
  if (direction !== 'import' && direction !== 'export') return undefined;
  return { office: customsOffice, year: yearIn(acceptedAt, timeZone), direction: direction === 'import' ? '1' : '0' };
}

/** The 18 digits of a series' sequence. */
export function formatNumber(series: NumberSeries, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) throw new RangeError(`sequence ${sequence} is outside 1..${MAX_SEQUENCE}`);
  return `${series.office}${String(series.year).padStart(4, '0')}${series.direction}${String(sequence).padStart(9, '0')}`;
}

/** The calendar year of an instant in a time zone: a declaration accepted at 2026-12-31T17:00Z in Shanghai is of 2027. */
export function yearIn(instant: string, timeZone: string): number {
  const year = yearFormat(timeZone).formatToParts(new Date(instant)).find((part) => part.type === 'year')?.value;
  return Number(year);
}

/** A formatter per time zone, made once: making one costs a hundred times more than using it. */
const yearFormats = new Map<string, Intl.DateTimeFormat>();

function yearFormat(timeZone: string): Intl.DateTimeFormat {
  let format = yearFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
    yearFormats.set(timeZone, format);
  }
  return format;
}
