import { CN_UNITS } from './cn-units.js';
import { importError, readCsvRows } from './csv.js';

/** One line of a national tariff, as read from the operator's file. */
export interface TariffRow {
  /** The ten-digit tariff line (商品编码). */
  code: string;
  nameZh: string;
  /** Empty where the file gives no English name. */
  nameEn: string;
  /** First statutory unit (法定第一计量单位), a GACC unit code (codes/cn-units.ts). */
  unit1: string;
  /** Second statutory unit, or null when the line has one. */
  unit2: string | null;
  /** The declaration elements (申报要素), in the file's order. */
  declarationElements: string[];
  /** The file's rate columns that had a value, as written (e.g. "8%", "9/13%"); not checked yet. */
  rates: Record<string, string>;
}

/** The columns every tariff file has, in this order. */
export const TARIFF_COLUMNS = ['code', 'name_zh', 'name_en', 'unit1', 'unit2', 'declaration_elements'] as const;

/** Rate columns a tariff file may add after the required ones, in any order; their values are kept as text. */
export const TARIFF_RATE_COLUMNS = [
  'import_mfn_rate', 'import_general_rate', 'import_provisional_rate', 'vat_rate', 'consumption_tax_rate', 'export_duty_rate', 'export_rebate_rate',
] as const;

/**
 * Streams the lines of a national tariff CSV (docs/operations.md, "Code lists"): the header
 * `code,name_zh,name_en,unit1,unit2,declaration_elements` followed by any of the rate columns; one row per
 * ten-digit line; units as three-digit GACC codes; declaration elements separated by `|`. A malformed row,
 * an unknown unit or column, or a line given twice throws naming its line: a tariff is loaded whole or not at all.
 */
export async function* readTariffFile(path: string): AsyncGenerator<TariffRow> {
  let header: readonly string[] | undefined;
  const seen = new Set<string>();
  for await (const { lineNumber, fields } of readCsvRows(path)) {
    if (header === undefined) {
      header = tariffHeader(fields, lineNumber);
      continue;
    }
    if (fields.length !== header.length) throw importError(lineNumber, `${fields.length} fields where the header has ${header.length}`);
    const record = Object.fromEntries(header.map((name, index) => [name, (fields[index] ?? '').trim()]));
    const row = toTariffRow(record, header);
    if (typeof row === 'string') throw importError(lineNumber, row);
    if (seen.has(row.code)) throw importError(lineNumber, `the line ${row.code} is given twice`);
    seen.add(row.code);
    yield row;
  }
}

function tariffHeader(fields: readonly string[], lineNumber: number): readonly string[] {
  const required = fields.slice(0, TARIFF_COLUMNS.length);
  if (required.join(',') !== TARIFF_COLUMNS.join(',')) throw importError(lineNumber, `expected the header to start "${TARIFF_COLUMNS.join(',')}"`);
  const extra = fields.slice(TARIFF_COLUMNS.length);
  const unknown = extra.find((name) => !(TARIFF_RATE_COLUMNS as readonly string[]).includes(name));
  if (unknown !== undefined) throw importError(lineNumber, `unknown column "${unknown}" (rate columns: ${TARIFF_RATE_COLUMNS.join(', ')})`);
  const repeated = extra.find((name, index) => extra.indexOf(name) !== index);
  if (repeated !== undefined) throw importError(lineNumber, `the header repeats the column "${repeated}"`);
  return fields;
}

function toTariffRow(record: Readonly<Record<string, string>>, header: readonly string[]): TariffRow | string {
  const code = record.code ?? '';
  const nameZh = record.name_zh ?? '';
  const unit1 = record.unit1 ?? '';
  const unit2 = record.unit2 ?? '';
  if (!/^\d{10}$/.test(code)) return `the code "${code}" is not ten digits`;
  if (nameZh === '') return `the line ${code} has no Chinese name`;
  if (!CN_UNITS.has(unit1)) return `the first statutory unit "${unit1}" of ${code} is not a customs unit code (e.g. 035 千克, 007 个)`;
  if (unit2 !== '' && !CN_UNITS.has(unit2)) return `the second statutory unit "${unit2}" of ${code} is not a customs unit code`;
  if (unit2 === unit1) return `the line ${code} names ${unit1} as both its first and second statutory unit`;
  const rates: Record<string, string> = {};
  for (const column of header.slice(TARIFF_COLUMNS.length)) {
    const value = record[column] ?? '';
    if (value !== '') rates[column] = value;
  }
  const elements = record.declaration_elements ?? '';
  return {
    code,
    nameZh,
    nameEn: record.name_en ?? '',
    unit1,
    unit2: unit2 === '' ? null : unit2,
    declarationElements: elements === '' ? [] : elements.split('|').map((element) => element.trim()).filter((element) => element !== ''),
    rates,
  };
}
