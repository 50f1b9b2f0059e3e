/**
 * A code with its name beside it, wherever the portal shows one: agencies (CUS 海关), countries (DE Germany,
 * 德国), ports and places (CNSHA Shanghai, from UN/LOCODE as imported) and currencies. Names come from the codes
 * API (GET /api/v1/codes/{list}?q=CODE), asked once per code and kept for the visit; agencies are named here.
 */
import { useEffect, useState } from 'react';
import { api, segment } from '../api/client';
import type { CodeEntry, CodeSearch, Language } from '../api/types';
import { agencyNames } from '../i18n/agencies';
import { useI18n } from '../i18n/i18n';

export type NamedList = 'agency' | 'country' | 'locode' | 'currency';

const known = new Map<string, Promise<CodeEntry | null>>();

/** The entry of exactly this code, or null when the list has none (or is not loaded, or the call failed). */
export function lookUpCode(list: Exclude<NamedList, 'agency'>, code: string): Promise<CodeEntry | null> {
  const key = `${list}:${code}`;
  let entry = known.get(key);
  if (entry === undefined) {
    entry = api.get<CodeSearch>(`/codes/${segment(list)}`, { q: code, limit: 20 }).then(
      (answer) => answer.entries.find((candidate) => candidate.code === code) ?? null,
      // A name is a help, not a requirement: without one the code is shown alone (and asked again next visit).
      () => {
        known.delete(key);
        return null;
      },
    );
    known.set(key, entry);
  }
  return entry;
}

const nameIn = (entry: CodeEntry | null, language: Language): string => (entry === null ? '' : language === 'zh' ? (entry.zh ?? entry.en) : entry.en);

/** The name of a code in the chosen language; '' until it is known, and when there is none. */
export function useCodeName(list: NamedList, code: string | null | undefined): string {
  const { language } = useI18n();
  const [entry, setEntry] = useState<CodeEntry | null>(null);
  const value = code ?? '';
  useEffect(() => {
    setEntry(null);
    if (value === '' || list === 'agency') return undefined;
    let current = true;
    void lookUpCode(list, value).then((found) => {
      if (current) setEntry(found);
    });
    return () => {
      current = false;
    };
  }, [list, value]);
  if (value === '') return '';
  if (list === 'agency') return agencyNames(value)?.[language] ?? '';
  return nameIn(entry, language);
}

/** "CNSHA Shanghai": the code as code, its name after it (or the code alone). */
export function CodeName({ list, code }: { readonly list: NamedList; readonly code: string | null | undefined }) {
  const name = useCodeName(list, code);
  if (code === null || code === undefined || code === '') return <>—</>;
  return (
    <span className="code-name" data-code={code}>
      <span className="code">{code}</span>
      {name !== '' && <> {name}</>}
    </span>
  );
}
