/**
 * Two typed dictionaries (en.ts, zh.ts) and the chosen language: taken from the browser the first time,
 * remembered afterwards, set on <html lang> and sent to the API as Accept-Language so that its messages match.
 * Counts take the language's plural forms (`key.one`, `key.other`); text in the other language is marked.
 */
import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import { configureClient } from '../api/client';
import type { Language } from '../api/types';
import { en, isMessageKey, type MessageKey } from './en';
import { instantFormatter, usePlatformTimeZone } from './time';
import { zh } from './zh';

const DICTIONARIES: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, zh };
const STORAGE_KEY = 'kouan.language';

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** The keys that come in plural forms: `check.problems` for `check.problems.one` and `check.problems.other`. */
export type CountedKey = { [K in MessageKey]: K extends `${infer Base}.other` ? Base : never }[MessageKey];
/** A message with a count in it, in the plural form the language's rules choose for that count. */
export type TranslateCount = (key: CountedKey, count: number, params?: Readonly<Record<string, string | number>>) => string;

export interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: Translate;
  readonly count: TranslateCount;
  /** A UTC instant as the platform's clock shows it: date, time and offset, in the chosen language (time.ts). */
  readonly dateTime: (iso: string | null | undefined) => string;
  readonly date: (iso: string | null | undefined) => string;
  readonly number: (value: number | string | null | undefined, digits?: number) => string;
}

function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // Storage may be off (private mode); the browser's language decides then.
  }
  return (navigator.languages.length > 0 ? navigator.languages : [navigator.language]).some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

/** Exported for tests that render a component without the provider (which needs a browser). */
export const I18nContext = createContext<I18n | undefined>(undefined);

export const htmlLang = (language: Language): string => (language === 'zh' ? 'zh-CN' : 'en');
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const LATIN_WORD = /[A-Za-z]{2,}/;

/**
 * The `lang` a piece of text needs on a page in `language`, or undefined when it is in the page's language:
 * English text (an API message the server had only in English, a code's English name) on a Chinese page, and
 * Chinese text on an English page, so that screen readers pronounce it in its own language (WCAG 3.1.2).
 */
export function otherLanguageOf(text: string, language: Language): string | undefined {
  if (language === 'zh') return !HAN.test(text) && LATIN_WORD.test(text) ? 'en' : undefined;
  return HAN.test(text) ? 'zh-CN' : undefined;
}

/** Text that may be in the other language (from the API or a code list), marked with its `lang` when it is. */
export function MarkedText({ text }: { readonly text: string }) {
  const { language } = useI18n();
  const lang = otherLanguageOf(text, language);
  return lang === undefined ? <>{text}</> : <span lang={lang}>{text}</span>;
}

export function translate(language: Language, key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  const text = DICTIONARIES[language][key];
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  configureClient({ language });

  const timeZone = usePlatformTimeZone();
  // Before the first paint, so that the page is never read in the other language.
  useLayoutEffect(() => {
    document.documentElement.lang = htmlLang(language);
    document.title = translate(language, 'app.title');
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, but still switched.
    }
    setLanguageState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const locale = language === 'zh' ? 'zh-CN' : 'en-GB';
    const plurals = new Intl.PluralRules(locale);
    // Calendar dates (validity of a licence, a day of the dashboard) are UTC days, not instants.
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return {
      language,
      setLanguage,
      t: (key, params) => translate(language, key, params),
      count: (key, count, params) => {
        const form = `${key}.${plurals.select(count)}`;
        return translate(language, isMessageKey(form) ? form : `${key}.other`, { ...params, count });
      },
      dateTime: instantFormatter(language, timeZone),
      date: (iso) => (iso === null || iso === undefined ? '—' : dateFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso))),
      number: (value, digits) => {
        if (value === null || value === undefined || value === '') return '—';
        const numeric = typeof value === 'number' ? value : Number(value);
        if (!Number.isFinite(numeric)) return String(value);
        return new Intl.NumberFormat(locale, digits === undefined ? {} : { maximumFractionDigits: digits }).format(numeric);
      },
    };
  }, [language, setLanguage, timeZone]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (context === undefined) throw new Error('useI18n outside I18nProvider');
  return context;
}
