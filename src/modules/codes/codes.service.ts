import { basename } from 'node:path';
import { KouanError } from '../../shared/errors.js';
import { nowIso } from '../../shared/ids.js';
import { readHsFile } from './hs-import.js';
import { readLocodeFile, type LocodeRejection } from './locode-import.js';
import { readTariffFile } from './tariff-import.js';
import { readCustomsOfficeFile } from './customs-office-import.js';
import { readCodeListFile } from './code-list-import.js';
import { isStored, type CodeListDefinition, type CodeListRegistry, type CodeName, type SpecialList } from './code-list-registry.js';
import { CUSTOMS_DISTRICTS, districtOf } from './customs-districts.js';
import { CN_UNITS } from './cn-units.js';
import type { CodeListStatus } from './codes.schema.js';
import { EmptyImportError, type CodeListEntryRecord, type CodesRepository, type ListStatus, type TariffRecord } from './codes.repository.js';

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

/** A UN/LOCODE place as the checks need it. */
export interface LocodePlace {
  readonly country: string;
  /** The eight-position function classifier (1 port, 2 rail, 3 road, 4 airport, 5 postal, 6 multimodal, 7 fixed transport, B border crossing). */
  readonly functions: string;
}

/** A tariff line as the checks need it. */
export interface TariffLine {
  readonly code: string;
  readonly unit1: string;
  readonly unit2: string | null;
}

/** What the imported lists say about the codes of one document. */
export interface ReferenceLookup {
  /** HS subheadings (six digits). */
  readonly hs: ImportedLookup;
  /** Ten-digit lines: `chapters` are the requested chapters the loaded tariff covers. */
  readonly tariff: { readonly loaded: boolean; readonly chapters: ReadonlySet<string>; readonly lines: ReadonlyMap<string, TariffLine> };
  readonly locode: ImportedLookup & { readonly places: ReadonlyMap<string, LocodePlace> };
  /** `loaded` when the full list of offices is imported; districts are always known. */
  readonly customsOffice: ImportedLookup;
  /** The store-backed lists asked for, by id. */
  readonly stored: ReadonlyMap<string, ImportedLookup>;
}

export interface ReferenceRequest {
  /** Six-digit HS subheadings. */
  readonly hs: readonly string[];
  readonly locode: readonly string[];
  /** Ten-digit tariff lines. */
  readonly tariff?: readonly string[];
  readonly customsOffice?: readonly string[];
  /** Codes of store-backed lists, by list id. */
  readonly stored?: ReadonlyMap<string, readonly string[]>;
}

/** What an import did: the entries now in the list, and the rows it skipped (with their line and why). */
export interface ImportResult {
  readonly entries: number;
  readonly rejected: LocodeRejection[];
}

/** The GACC unit of measurement (计量单位) of a statutory unit code, with the Rec 20 codes that state a quantity in it. */
export function cnUnit(code: string): { zh: string; rec20: readonly string[] } | undefined {
  return CN_UNITS.get(code);
}

/** The directly-subordinate customs district (直属海关) a customs office code belongs to. */
export { districtOf };

/** How many candidates a tariff search ranks. */
const TARIFF_SEARCH_CAP = 500;

/** How long a process trusts what it knows of which lists are imported (imports in other processes show after this). */
const LOADED_LISTS_TTL_MS = 5_000;

export class CodesService {
  private loadedLists: { readonly at: number; readonly lists: Promise<ReadonlySet<string>> } | undefined;

  /** @param registry the lists this deployment knows; other modules register theirs on it at start-up. */
  constructor(
    private readonly repository: CodesRepository,
    readonly registry: CodeListRegistry,
  ) {}

  /** Looks up a document's HS subheadings, tariff lines, UN/LOCODEs and customs offices in the imported lists, one query per list asked. */
  async resolve(request: ReferenceRequest): Promise<ReferenceLookup> {
    const loaded = await this.loaded();
    const tariffCodes = request.tariff ?? [];
    const offices = request.customsOffice ?? [];
    const stored = [...(request.stored ?? new Map<string, readonly string[]>())].filter(([list]) => loaded.has(list));
    const none = <T>(value: T) => Promise.resolve(value);
    const [hs, places, lines, chapters, known, entries] = await Promise.all([
      loaded.has('hs') ? this.repository.knownHs(request.hs) : none(new Set<string>()),
      loaded.has('locode') ? this.repository.locodePlaces(request.locode) : none(new Map<string, LocodePlace>()),
      loaded.has('tariff') ? this.repository.tariffLines(tariffCodes) : none(new Map<string, TariffRecord>()),
      loaded.has('tariff') ? this.repository.tariffChapters(tariffCodes.map((code) => code.slice(0, 2))) : none(new Set<string>()),
      loaded.has('customs-offices') ? this.repository.knownCustomsOffices(offices) : none(new Set<string>()),
      stored.length > 0 ? this.repository.knownEntries(new Map(stored)) : none(new Map<string, Set<string>>()),
    ]);
    return {
      hs: { loaded: loaded.has('hs'), known: hs },
      tariff: { loaded: loaded.has('tariff'), chapters, lines },
      locode: { loaded: loaded.has('locode'), known: new Set(places.keys()), places },
      customsOffice: { loaded: loaded.has('customs-offices'), known },
      stored: new Map([...(request.stored?.keys() ?? [])].map((list) => [list, { loaded: loaded.has(list), known: entries.get(list) ?? new Set<string>() }])),
    };
  }

  /** Every registered list: whether it is loaded, how many entries it has and where imported ones came from. */
  async status(): Promise<CodeListStatus[]> {
    const imported = new Map<string, ListStatus>((await this.repository.listStatus()).map((status) => [status.list, status]));
    return this.registry.all().map(({ id: list, title, source }) => {
      if (source.kind === 'built-in') return { list, title, kind: source.kind, loaded: true, entries: source.entries.size, source: 'built in', importedAt: null };
      const status = imported.get(list);
      return { list, title, kind: source.kind, loaded: (status?.entries ?? 0) > 0, entries: status?.entries ?? 0, source: status?.source ?? 'not imported', importedAt: status?.importedAt ?? null };
    });
  }

  /** Searches any registered list by code prefix or name, for type-ahead in clients. */
  async search(list: string, query: string, limit: number): Promise<{ loaded: boolean; entries: CodeEntry[] }> {
    const q = query.trim();
    const definition = this.definition(list);
    switch (definition.source.kind) {
      case 'built-in':
        return { loaded: true, entries: searchBuiltIn(definition.source.entries, q, limit) };
      case 'store': {
        const rows = await this.repository.searchEntries(list, q, limit);
        return { loaded: rows.length > 0 || (await this.isLoaded(list)), entries: rows.map(storedEntry) };
      }
      case 'special':
        return this.searchSpecial(list as SpecialList, q, limit);
    }
  }

  private async searchSpecial(list: SpecialList, q: string, limit: number): Promise<{ loaded: boolean; entries: CodeEntry[] }> {
    switch (list) {
      case 'hs': {
        // The national tariff's lines (with Chinese names) come first, then the HS nomenclature's headings.
        const lines = q === '' ? [] : rankTariff(await this.repository.searchTariff(q, TARIFF_SEARCH_CAP), q).slice(0, limit);
        const rows = lines.length >= limit ? [] : await this.repository.searchHs(q, limit - lines.length);
        const loaded = rows.length > 0 || lines.length > 0 || (await this.isLoaded('hs')) || (await this.isLoaded('tariff'));
        return {
          loaded,
          entries: [...lines.map(tariffEntry), ...rows.map((row) => ({ code: row.code, en: row.description, extra: { level: row.level, parent: row.parent } }))],
        };
      }
      case 'tariff': {
        const lines = q === '' ? [] : rankTariff(await this.repository.searchTariff(q, TARIFF_SEARCH_CAP), q).slice(0, limit);
        return { loaded: lines.length > 0 || (await this.isLoaded('tariff')), entries: lines.map(tariffEntry) };
      }
      case 'customs-offices':
        // Not loaded: the entries are the built-in districts, which is all a customs office is checked against.
        return { loaded: await this.isLoaded('customs-offices'), entries: await this.searchCustomsOffices(q, limit) };
      case 'locode': {
        const rows = await this.repository.searchLocodes(q, limit);
        const loaded = rows.length > 0 || (await this.isLoaded('locode'));
        return {
          loaded,
          entries: rows.map((row) => ({ code: row.code, en: row.name, extra: { country: row.country, subdivision: row.subdivision, functions: row.functions, status: row.status } })),
        };
      }
    }
  }

  /** Imports any importable list from its file, replacing it: a store-backed list, or one of hs, locode, tariff, customs-offices. */
  async importList(list: string, path: string): Promise<ImportResult> {
    const definition = this.definition(list);
    switch (definition.source.kind) {
      case 'store':
        return this.importStored(definition, path);
      case 'special':
        return this.importSpecial(list as SpecialList, path);
      case 'built-in':
        throw new KouanError('CODE_LIST_NOT_IMPORTABLE', { params: { list, kind: 'built in', importable: this.importable().join(', ') } });
    }
  }

  private importSpecial(list: SpecialList, path: string): Promise<ImportResult> {
    switch (list) {
      case 'hs':
        return this.importHs(path);
      case 'locode':
        return this.importLocode(path);
      case 'tariff':
        return this.importTariff(path);
      case 'customs-offices':
        return this.importCustomsOffices(path);
    }
  }

  /** The ids of the lists an operator imports. */
  importable(): string[] {
    return this.registry
      .all()
      .filter((definition) => definition.source.kind !== 'built-in')
      .map((definition) => definition.id);
  }

  /** Imports a store-backed list from CSV (`code,en,zh` and extra columns, or the GACC table as published), replacing it. */
  private async importStored(definition: CodeListDefinition, path: string): Promise<ImportResult> {
    if (!isStored(definition)) throw new Error(`${definition.id} is not store-backed`);
    const entries = await this.importFile(path, () => this.repository.replaceEntries(definition.id, readCodeListFile(path, definition), basename(path), nowIso()));
    return { entries, rejected: [] };
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

  /** Imports a national tariff from the documented CSV (docs/operations.md, "Code lists"), replacing it. */
  async importTariff(path: string): Promise<{ entries: number; rejected: LocodeRejection[] }> {
    return { entries: await this.importFile(path, () => this.repository.replaceTariff(readTariffFile(path), basename(path), nowIso())), rejected: [] };
  }

  /** Imports the full list of customs offices (GACC 关区代码 CSV, `code,name_zh`), replacing it; rows outside the 42 districts are skipped and reported. */
  async importCustomsOffices(path: string): Promise<{ entries: number; rejected: LocodeRejection[] }> {
    const rejected: LocodeRejection[] = [];
    const rows = readCustomsOfficeFile(path, (skip) => rejected.push(skip));
    const entries = await this.importFile(path, () => this.repository.replaceCustomsOffices(rows, basename(path), nowIso()));
    return { entries, rejected };
  }

  /** Offices of the imported list, or the built-in districts (as their own XX00 offices) while none is imported. */
  private async searchCustomsOffices(query: string, limit: number): Promise<CodeEntry[]> {
    if (await this.isLoaded('customs-offices')) {
      const rows = await this.repository.searchCustomsOffices(query, limit);
      return rows.map((row) => {
        const district = CUSTOMS_DISTRICTS.get(row.district);
        const en = row.code.endsWith('00') && district !== undefined ? district.en : `Office ${row.code} of ${district?.en ?? row.district}`;
        return { code: row.code, en, zh: row.nameZh, extra: { district: row.district } };
      });
    }
    const upper = query.toUpperCase();
    const lower = query.toLowerCase();
    return [...CUSTOMS_DISTRICTS.values()]
      .map((district) => ({ code: `${district.prefix}00`, en: district.en, zh: district.zh, extra: { district: district.prefix } }))
      .filter((entry) => query === '' || entry.code.startsWith(upper) || entry.en.toLowerCase().includes(lower) || entry.zh.includes(query))
      .slice(0, limit);
  }

  private async importFile(path: string, run: () => Promise<number>): Promise<number> {
    try {
      const count = await run();
      this.loadedLists = undefined;
      return count;
    } catch (error) {
      if (error instanceof KouanError) throw error;
      // Refused inside the import's transaction: the list is as it was.
      if (error instanceof EmptyImportError) throw new KouanError('CODE_IMPORT_FAILED', { params: { reason: `${basename(path)} has no rows` } });
      throw new KouanError('CODE_IMPORT_FAILED', { params: { reason: error instanceof Error ? error.message : String(error) } });
    }
  }

  private definition(list: string): CodeListDefinition {
    const definition = this.registry.get(list);
    if (definition === undefined) throw new KouanError('CODE_LIST_UNKNOWN', { params: { list } });
    return definition;
  }

  private async isLoaded(list: string): Promise<boolean> {
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

function storedEntry(row: CodeListEntryRecord): CodeEntry {
  // Most of China's parameter tables have Chinese names only; `en` is never empty.
  return { code: row.code, en: row.en === '' ? row.zh : row.en, ...(row.zh === '' ? {} : { zh: row.zh }), ...(Object.keys(row.extra).length === 0 ? {} : { extra: row.extra }) };
}

/** Best first: names holding the query as typed, then names holding more of its character pairs, then code order. */
function rankTariff(lines: readonly TariffRecord[], query: string): TariffRecord[] {
  const compact = query.replace(/\s+/g, '');
  const pairs = Array.from({ length: Math.max(compact.length - 1, 0) }, (_, index) => compact.slice(index, index + 2));
  const score = (line: TariffRecord) => {
    const names = `${line.nameZh} ${line.nameEn.toLowerCase()}`;
    const whole = line.code.startsWith(compact) || names.includes(compact.toLowerCase()) ? 1 : 0;
    return whole * 1000 + pairs.filter((pair) => names.includes(pair.toLowerCase())).length;
  };
  return lines
    .map((line) => ({ line, score: score(line) }))
    .sort((a, b) => b.score - a.score || (a.line.code < b.line.code ? -1 : a.line.code > b.line.code ? 1 : 0))
    .map(({ line }) => line);
}

function tariffEntry(line: TariffRecord): CodeEntry {
  const unitName = (code: string | null) => (code === null ? null : `${code} ${CN_UNITS.get(code)?.zh ?? ''}`.trim());
  return {
    code: line.code,
    en: line.nameEn === '' ? line.nameZh : line.nameEn,
    zh: line.nameZh,
    extra: { level: 10, unit1: unitName(line.unit1), unit2: unitName(line.unit2), declarationElements: line.declarationElements.join('|') },
  };
}

function searchBuiltIn(list: ReadonlyMap<string, CodeName>, query: string, limit: number): CodeEntry[] {
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
