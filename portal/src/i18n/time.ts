/**
 * Times as the platform keeps them: every instant is shown in the platform's time zone (GET /api/v1/platform,
 * `timeZone`), with that zone's offset at that instant, so an officer in Urumqi and a broker abroad read the
 * same clock as the port. The API's times stay UTC; only the portal's display changes. The one formatter of
 * instants for every page (useI18n().dateTime uses it).
 */
import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import type { Language } from '../api/types';

/** The zone shown when the platform does not say (an older server, or the call failed): China's platforms. */
export const FALLBACK_TIME_ZONE = 'Asia/Shanghai';

interface PlatformAnswer {
  readonly timeZone?: unknown;
}

let timeZone = FALLBACK_TIME_ZONE;
let asked = false;
const listeners = new Set<() => void>();

const validZone = (zone: unknown): zone is string => {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Asks the platform for its time zone once (after sign-in: the call may need a session); keeps the fallback on any failure. */
export function loadPlatformTimeZone(): void {
  if (asked) return;
  asked = true;
  api.get<PlatformAnswer>('/platform').then(
    (answer) => {
      if (!validZone(answer.timeZone) || answer.timeZone === timeZone) return;
      timeZone = answer.timeZone;
      listeners.forEach((listener) => listener());
    },
    // The fallback stays: a server without /platform is still usable, its times shown in China Standard Time.
    () => undefined,
  );
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The platform's time zone, re-rendering when it arrives. */
export function usePlatformTimeZone(): string {
  return useSyncExternalStore(subscribe, () => timeZone);
}

const localeOf = (language: Language): string => (language === 'zh' ? 'zh-CN' : 'en-GB');

/** `UTC+08:00`, `UTC-03:30`, `UTC`: the zone's offset at that instant (daylight saving included). */
export function utcOffset(instant: Date, zone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  return name.replace(/^GMT/, 'UTC');
}

/** Formats instants in one zone and language: "1 Dec 2026, 06:33 UTC+08:00" / "2026年12月1日 06:33 UTC+08:00". */
export function instantFormatter(language: Language, zone: string): (iso: string | null | undefined) => string {
  const format = new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
  return (iso) => {
    if (iso === null || iso === undefined || iso === '') return '—';
    const instant = new Date(iso);
    if (Number.isNaN(instant.getTime())) return iso;
    return `${format.format(instant)} ${utcOffset(instant, zone)}`;
  };
}
