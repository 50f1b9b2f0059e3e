/**
 * Two typed dictionaries (en.ts, zh.ts) and the chosen language: taken from the browser the first time,
 * remembered afterwards, set on <html lang> and sent to the API as Accept-Language so that its messages match.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { configureClient } from '../api/client';
import type { Language } from '../api/types';
import { en, type MessageKey } from './en';
import { zh } from './zh';

const DICTIONARIES: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, zh };
const STORAGE_KEY = 'kouan.language';

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: Translate;
  /** A UTC instant as the person reads it: local date and time in the chosen language. */
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

const I18nContext = createContext<I18n | undefined>(undefined);

export function translate(language: Language, key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  const text = DICTIONARIES[language][key];
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  configureClient({ language });

  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
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
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    // Calendar dates (validity of a licence, a day of the dashboard) are UTC days, not instants.
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return {
      language,
      setLanguage,
      t: (key, params) => translate(language, key, params),
      dateTime: (iso) => (iso === null || iso === undefined ? '—' : dateTimeFormat.format(new Date(iso))),
      date: (iso) => (iso === null || iso === undefined ? '—' : dateFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso))),
      number: (value, digits) => {
        if (value === null || value === undefined || value === '') return '—';
        const numeric = typeof value === 'number' ? value : Number(value);
        if (!Number.isFinite(numeric)) return String(value);
        return new Intl.NumberFormat(locale, digits === undefined ? {} : { maximumFractionDigits: digits }).format(numeric);
      },
    };
  }, [language, setLanguage]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (context === undefined) throw new Error('useI18n outside I18nProvider');
  return context;
}
