import type { StoredCodeList } from './code-list-registry.js';
import { importError, readCsvRows } from './csv.js';

/** One entry of a store-backed list as read from its file. */
export interface CodeListEntryRow {
  readonly code: string;
  readonly en: string;
  readonly zh: string;
  /** The file's other columns, by header name (empty cells left out). */
  readonly extra: Readonly<Record<string, string>>;
}

const EN_COLUMNS = ['en', 'name_en'];
const ZH_COLUMNS = ['zh', 'name_zh'];

/**
 * Streams the entries of a store-backed list from a UTF-8 CSV file with a header row: a `code` column, the names
 * in `en` (or `name_en`) and `zh` (or `name_zh`), or the columns the list's definition names, at least one of the
 * two; every other column is kept as the entry's `extra`. So `code,en,zh` and the GACC parameter tables as
 * published (`code,name_zh,old_customs_code,...`) are both read as they are. A code that does not fit the list's
 * pattern, an entry with no name, a code given twice or a line of the wrong width throws naming its line.
 */
export async function* readCodeListFile(path: string, list: StoredCodeList): AsyncGenerator<CodeListEntryRow> {
  const pattern = new RegExp(list.source.codePattern, 'u');
  let header: { readonly names: readonly string[]; readonly code: number; readonly en: number; readonly zh: number } | undefined;
  const seen = new Set<string>();
  for await (const { lineNumber, fields } of readCsvRows(path)) {
    if (header === undefined) {
      header = readHeader(lineNumber, fields, list);
      continue;
    }
    if (fields.length !== header.names.length) throw importError(lineNumber, `${fields.length} fields where the header has ${header.names.length}`);
    const code = (fields[header.code] ?? '').trim();
    const en = (fields[header.en] ?? '').trim();
    const zh = (fields[header.zh] ?? '').trim();
    if (!pattern.test(code)) throw importError(lineNumber, `the code "${code}" does not match ${list.source.codePattern}, the form of ${list.id} codes`);
    if (en === '' && zh === '') throw importError(lineNumber, `the code ${code} has no name`);
    if (seen.has(code)) throw importError(lineNumber, `the code ${code} is given twice`);
    seen.add(code);
    const names = header.names;
    const extra: Record<string, string> = {};
    names.forEach((name, index) => {
      const value = (fields[index] ?? '').trim();
      if (index !== header?.code && index !== header?.en && index !== header?.zh && value !== '') extra[name] = value;
    });
    yield { code, en, zh, extra };
  }
}

function readHeader(lineNumber: number, fields: readonly string[], list: StoredCodeList): { names: readonly string[]; code: number; en: number; zh: number } {
  const names = fields.map((name) => name.trim());
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw importError(lineNumber, `the header repeats the column "${repeated}"`);
  const find = (candidates: readonly string[]) => names.findIndex((name) => candidates.includes(name));
  const code = names.indexOf('code');
  const en = find(list.source.columns?.en === undefined ? EN_COLUMNS : [list.source.columns.en]);
  const zh = find(list.source.columns?.zh === undefined ? ZH_COLUMNS : [list.source.columns.zh]);
  if (code === -1 || (en === -1 && zh === -1)) {
    throw importError(lineNumber, `expected a header with a "code" column and the names in "${list.source.columns?.en ?? 'en'}" or "${list.source.columns?.zh ?? 'zh'}" (such as code,en,zh)`);
  }
  return { names, code, en, zh };
}
