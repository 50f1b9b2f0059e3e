/**
 * A text field that looks codes up as you type (GET /api/v1/codes/{list}?q=): HS codes, countries, ports,
 * currencies, units, Incoterms. It follows the ARIA combobox pattern, so it works with the keyboard and a
 * screen reader: arrows move through the suggestions, Enter takes one, Escape closes the list.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, segment } from '../api/client';
import type { CodeEntry, CodeSearch, FieldProblem } from '../api/types';
import { MarkedText, useI18n } from '../i18n/i18n';
import { describedBy, FieldShell, requiredProps } from './field';

/** The lists the portal names; a document type's schema may name any other the API serves (its `x-code-list`). */
export type CodeList = 'hs' | 'country' | 'locode' | 'currency' | 'unit' | 'incoterm' | 'agency' | (string & {});

interface CodeLookupProps {
  readonly id: string;
  readonly list: CodeList;
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  /** The value a chosen entry puts in the field (an HS subheading becomes a ten-digit line). */
  readonly pick?: (entry: CodeEntry) => string;
  readonly errors?: readonly FieldProblem[] | undefined;
  readonly hint?: string | undefined;
  readonly required?: boolean | undefined;
  readonly className?: string | undefined;
  readonly onBlur?: () => void;
}

const DEBOUNCE_MS = 200;
const SHOWN = 8;

/**
 * The server answers matches in list order; what the person most likely means comes first here: the code they
 * typed, then codes starting with it, then names starting with it, then the rest.
 */
export function rank(entries: readonly CodeEntry[], typed: string): CodeEntry[] {
  const upper = typed.trim().toUpperCase();
  const lower = typed.trim().toLowerCase();
  const score = (entry: CodeEntry) =>
    entry.code === upper ? 0 : entry.code.startsWith(upper) ? 1 : entry.en.toLowerCase().startsWith(lower) || (entry.zh ?? '').startsWith(typed.trim()) ? 2 : 3;
  return entries
    .map((entry, index) => ({ entry, index, score: score(entry) }))
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .slice(0, SHOWN)
    .map(({ entry }) => entry);
}

export function CodeLookup({ id, list, label, value, onValue, pick = (entry) => entry.code, errors = [], hint, required, className, onBlur }: CodeLookupProps) {
  const { t, count, language } = useI18n();
  const [entries, setEntries] = useState<readonly CodeEntry[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [notLoaded, setNotLoaded] = useState(false);
  const [query, setQuery] = useState<string | undefined>(undefined);
  const listId = `${id}-options`;
  const blurTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (query === undefined || query.trim() === '') {
      setEntries([]);
      return undefined;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api.get<CodeSearch>(`/codes/${segment(list)}`, { q: query.trim(), limit: 40 }, controller.signal).then(
        (answer) => {
          setEntries(rank(answer.entries, query));
          setNotLoaded(!answer.loaded);
          setActive(-1);
        },
        // A failed lookup only means no suggestions: the field still takes any code, and validation checks it.
        () => setEntries([]),
      );
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [list, query]);

  const choose = (entry: CodeEntry) => {
    onValue(pick(entry));
    setOpen(false);
    setQuery(undefined);
    setEntries([]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && entries.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((index) => (index + 1) % entries.length);
    } else if (event.key === 'ArrowUp' && entries.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((index) => (index <= 0 ? entries.length - 1 : index - 1));
    } else if (event.key === 'Enter' && open && active >= 0) {
      const entry = entries[active];
      if (entry !== undefined) {
        event.preventDefault();
        choose(entry);
      }
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const expanded = open && entries.length > 0;
  const name = (entry: CodeEntry) => (language === 'zh' && entry.zh !== undefined ? entry.zh : entry.en);
  const notLoadedHint = notLoaded ? t('lookup.notLoaded') : undefined;
  const shownHint = [hint, notLoadedHint].filter((text) => text !== undefined).join(' ') || undefined;

  return (
    <FieldShell id={id} label={label} hint={shownHint} errors={errors} required={required} className={`lookup${className === undefined ? '' : ` ${className}`}`}>
      <input
        id={id}
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={errors.length > 0 ? true : undefined}
        aria-describedby={describedBy(id, shownHint, errors)}
        {...requiredProps(required)}
        value={value}
        onChange={(event) => {
          onValue(event.target.value);
          setQuery(event.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => window.clearTimeout(blurTimer.current)}
        onBlur={() => {
          blurTimer.current = window.setTimeout(() => setOpen(false), 150);
          onBlur?.();
        }}
      />
      <ul id={listId} role="listbox" className="lookup-options" hidden={!expanded} aria-label={label}>
        {entries.map((entry, index) => (
          <li
            key={entry.code}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(entry)}
          >
            <span className="code">{entry.code}</span> <MarkedText text={name(entry)} />
          </li>
        ))}
      </ul>
      <span className="visually-hidden" aria-live="polite">
        {expanded ? count('lookup.count', entries.length) : ''}
      </span>
    </FieldShell>
  );
}
