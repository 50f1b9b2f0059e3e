import { basename } from 'node:path';
import { KouanError } from '../../shared/errors.js';
import { nowIso } from '../../shared/ids.js';
import { COUNTRIES } from './countries.js';
import { CURRENCIES } from './currencies.js';
import { INCOTERMS } from './incoterms.js';
import { UNITS } from './units.js';
import { readHsFile } from './hs-import.js';
import { readLocodeFile, type LocodeRejection } from './locode-import.js';
import type { CodesRepository, ListStatus } from './codes.repository.js';

/** Lists compiled into Kouan (always loaded) and lists imported from files by an operator. */
export const BUILT_IN_LISTS = ['country', 'currency', 'unit', 'incoterm'] as const;
export const IMPORTED_LISTS = ['hs', 'locode'] as const;
export const CODE_LISTS = [...BUILT_IN_LISTS, ...IMPORTED_LISTS, 'agency'] as const;
export type BuiltInList = (typeof BUILT_IN_LISTS)[number];
export type ImportedList = (typeof IMPORTED_LISTS)[number];
export type CodeListName = (typeof CODE_LISTS)[number];

export interface CodeEntry {
  readonly code: string;
  readonly en: string;
  readonly zh?: string;
  readonly extra?: Readonly<Record<string, string | number | null>>;
}

/** What an imported list knows about a set of codes, and whether the list is loaded at all. */
export interface ImportedLookup {
  readonly loaded: boolean;
  readonly known: ReadonlySet<string>;
}

const BUILT_IN: Readonly<Record<BuiltInList, ReadonlyMap<string, { en: string; zh: string }>>> = {
  country: COUNTRIES,
  currency: CURRENCIES,
  unit: UNITS,
  incoterm: INCOTERMS,
};

/** How long a process trusts what it knows of which lists are imported (imports in other processes show after this). */
const LOADED_LISTS_TTL_MS = 5_000;

export class CodesService {
  private loadedLists: { readonly at: number; readonly lists: Promise<ReadonlySet<string>> } | undefined;

  constructor(private readonly repository: CodesRepository) {}

  /** True when the code is in a built-in list. */
  hasBuiltIn(list: BuiltInList, code: string): boolean {
    return BUILT_IN[list].has(code);
  }

  /** Looks up HS subheadings (6 digits) and UN/LOCODEs in the imported lists, in two queries. */
  async resolve(request: { hs: readonly string[]; locode: readonly string[] }): Promise<Record<ImportedList, ImportedLookup>> {
    const loaded = await this.loaded();
    const [hs, locode] = await Promise.all([
      loaded.has('hs') ? this.repository.knownHs(request.hs) : Promise.resolve(new Set<string>()),
      loaded.has('locode') ? this.repository.knownLocodes(request.locode) : Promise.resolve(new Set<string>()),
    ]);
    return { hs: { loaded: loaded.has('hs'), known: hs }, locode: { loaded: loaded.has('locode'), known: locode } };
  }

  /** Which lists are available and where imported ones came from. */
  async status(): Promise<{ list: CodeListName; loaded: boolean; entries: number; source: string; importedAt: string | null }[]> {
    const imported = new Map<string, ListStatus>((await this.repository.listStatus()).map((status) => [status.list, status]));
    return CODE_LISTS.filter((list) => list !== 'agency').map((list) => {
      if (list === 'hs' || list === 'locode') {
        const status = imported.get(list);
        return { list, loaded: (status?.entries ?? 0) > 0, entries: status?.entries ?? 0, source: status?.source ?? 'not imported', importedAt: status?.importedAt ?? null };
      }
      return { list, loaded: true, entries: BUILT_IN[list].size, source: 'built in', importedAt: null };
    });
  }

  /** Searches a list by code prefix or name, for type-ahead in clients. */
  async search(list: string, query: string, limit: number): Promise<{ loaded: boolean; entries: CodeEntry[] }> {
    const q = query.trim();
    switch (list) {
      case 'country':
      case 'currency':
      case 'unit':
      case 'incoterm':
        return { loaded: true, entries: searchBuiltIn(BUILT_IN[list], q, limit) };
      case 'hs': {
        const rows = await this.repository.searchHs(q, limit);
        const loaded = rows.length > 0 || (await this.isLoaded('hs'));
        return { loaded, entries: rows.map((row) => ({ code: row.code, en: row.description, extra: { level: row.level, parent: row.parent } })) };
      }
      case 'locode': {
        const rows = await this.repository.searchLocodes(q, limit);
        const loaded = rows.length > 0 || (await this.isLoaded('locode'));
        return {
          loaded,
          entries: rows.map((row) => ({ code: row.code, en: row.name, extra: { country: row.country, subdivision: row.subdivision, functions: row.functions, status: row.status } })),
        };
      }
      default:
        throw new KouanError('CODE_LIST_UNKNOWN', { params: { list } });
    }
  }

  /** Imports the HS nomenclature from a CSV file (format of the UN Comtrade data package), replacing the list. */
  async importHs(path: string): Promise<{ entries: number; rejected: LocodeRejection[] }> {
    return { entries: await this.importFile(path, () => this.repository.replaceHs(readHsFile(path), basename(path), nowIso())), rejected: [] };
  }

  /** Imports UN/LOCODE from a CSV file (per-country export columns), replacing the list. */
  async importLocode(path: string): Promise<{ entries: number; rejected: LocodeRejection[] }> {
    const rejected: LocodeRejection[] = [];
    const rows = readLocodeFile(path, { onRejectedRow: (rejection) => rejected.push(rejection) });
    const entries = await this.importFile(path, () => this.repository.replaceLocodes(rows, basename(path), nowIso()));
    return { entries, rejected };
  }

  private async importFile(path: string, run: () => Promise<number>): Promise<number> {
    try {
      const count = await run();
      this.loadedLists = undefined;
      if (count === 0) throw new KouanError('CODE_IMPORT_FAILED', { params: { reason: `${path} has no rows` } });
      return count;
    } catch (error) {
      if (error instanceof KouanError) throw error;
      throw new KouanError('CODE_IMPORT_FAILED', { params: { reason: error instanceof Error ? error.message : String(error) } });
    }
  }

  private async isLoaded(list: ImportedList): Promise<boolean> {
    return (await this.loaded()).has(list);
  }

  /** The imported lists that have entries, read at most every few seconds: every submission asks. */
  private loaded(): Promise<ReadonlySet<string>> {
    const now = Date.now();
    if (this.loadedLists === undefined || now - this.loadedLists.at > LOADED_LISTS_TTL_MS) {
      const lists = this.repository.listStatus().then((statuses) => new Set(statuses.filter((status) => status.entries > 0).map((status) => status.list)));
      this.loadedLists = { at: now, lists };
      lists.catch(() => (this.loadedLists = undefined));
    }
    return this.loadedLists.lists;
  }
}

function searchBuiltIn(list: ReadonlyMap<string, { en: string; zh: string }>, query: string, limit: number): CodeEntry[] {
  const upper = query.toUpperCase();
  const lower = query.toLowerCase();
  // What a person typing "DE" means first: the code DE, then codes starting DE, then names containing it.
  const ranked: { entry: CodeEntry; rank: number }[] = [];
  for (const [code, names] of list) {
    const rank = query === '' ? 2 : code === upper ? 0 : code.startsWith(upper) ? 1 : names.en.toLowerCase().includes(lower) || names.zh.includes(query) ? 2 : -1;
    if (rank >= 0) ranked.push({ entry: { code, en: names.en, zh: names.zh }, rank });
  }
  return ranked.sort((a, b) => a.rank - b.rank || (a.entry.code < b.entry.code ? -1 : a.entry.code > b.entry.code ? 1 : 0)).slice(0, limit).map(({ entry }) => entry);
}
