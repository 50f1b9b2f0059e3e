/**
 * People's language and time at the answer: stored data stays in UTC and language-neutral (codes and parameters);
 * what a person reads is rendered per request, in Chinese or English by Accept-Language, with times in the
 * platform's time zone (config.timeZone) and its UTC offset.
 */
import type { Language } from './errors.js';

export type { Language };

/** The languages Kouan answers in (English when Accept-Language names neither). */
export const LANGUAGES: readonly Language[] = ['zh', 'en'];

/** The language of an Accept-Language header (RFC 9110 §12.5.4): the highest-weighted of zh and en; English without one. */
export function negotiateLanguage(header: string | undefined): Language {
  if (typeof header !== 'string') return 'en';
  const preferences = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((preference) => preference.q > 0 && (isTag(preference.tag, 'zh') || isTag(preference.tag, 'en')))
    // A stable sort keeps the header's order among equal weights.
    .sort((a, b) => b.q - a.q);
  return preferences[0] !== undefined && isTag(preferences[0].tag, 'zh') ? 'zh' : 'en';
}

function isTag(tag: string, language: Language): boolean {
  return tag === language || tag.startsWith(`${language}-`);
}

/** How a person is answered: a language and the time zone times are shown in. */
export interface Locale {
  readonly language: Language;
  readonly timeZone: string;
}

/** The offset of a time zone from UTC at an instant, as ISO 8601 writes it: "+08:00", "-04:00", "+05:45", "Z" never. */
export function utcOffset(timeZone: string, at: Date = new Date()): string {
  const minutes = offsetMinutes(timeZone, at);
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

/** The offset as people read it: "UTC+8", "UTC-4", "UTC+5:45", "UTC". */
export function offsetLabel(timeZone: string, at: Date): string {
  const minutes = offsetMinutes(timeZone, at);
  if (minutes === 0) return 'UTC';
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `UTC${sign}${Math.floor(absolute / 60)}${absolute % 60 === 0 ? '' : `:${pad(absolute % 60)}`}`;
}

/** The wall-clock fields of an instant in a time zone. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant's date and time in a time zone (the IANA database that Node's Intl carries). */
export function wallClock(timeZone: string, at: Date): WallClock {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A time for a sentence, in the locale's zone: "08:40" on the day of `reference` (in that zone), "27 Nov 08:40" /
 * "11月27日 08:40" on another day of the same year, with the year on another year.
 */
export function clockText(locale: Locale, iso: string, reference: string | null): string {
  const time = wallClock(locale.timeZone, new Date(iso));
  const hhmm = `${pad(time.hour)}:${pad(time.minute)}`;
  const base = reference === null ? undefined : wallClock(locale.timeZone, new Date(reference));
  if (base !== undefined && base.year === time.year && base.month === time.month && base.day === time.day) return hhmm;
  const sameYear = base === undefined || base.year === time.year;
  if (locale.language === 'zh') return `${sameYear ? '' : `${time.year}年`}${time.month}月${time.day}日 ${hhmm}`;
  return `${time.day} ${MONTHS[time.month - 1] ?? ''}${sameYear ? '' : ` ${time.year}`} ${hhmm}`;
}

/** A full date and time with its offset, for a message that stands alone: "2026-11-27 14:40 UTC+8". */
export function dateTimeText(locale: Locale, iso: string): string {
  const at = new Date(iso);
  const time = wallClock(locale.timeZone, at);
  return `${time.year}-${pad(time.month)}-${pad(time.day)} ${pad(time.hour)}:${pad(time.minute)} ${offsetLabel(locale.timeZone, at)}`;
}

function offsetMinutes(timeZone: string, at: Date): number {
  const time = wallClock(timeZone, at);
  const asUtc = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute);
  const instant = Math.floor(at.getTime() / 60_000) * 60_000;
  return Math.round((asUtc - instant) / 60_000);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
