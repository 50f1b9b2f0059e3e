import { districtOf } from './customs-districts.js';
import { importError, readCsvRows } from './csv.js';

/** One customs office (关区), with the district it belongs to. */
export interface CustomsOfficeRow {
  code: string;
  nameZh: string;
  /** The two-digit prefix of its directly-subordinate customs district. */
  district: string;
}

/** A row read but not imported, passed to `onSkippedRow`. */
export interface CustomsOfficeSkip {
  readonly lineNumber: number;
  readonly reason: string;
}

const HEADER = ['code', 'name_zh'] as const;

/**
 * Streams the customs offices of the GACC parameter list in the form of `cn-customs/customs_districts.csv`
 * (header `code,name_zh`, four-character codes such as 2201 浦江海关). Rows that belong to no directly-subordinate
 * district (0000 海关总署, 5000 广东分署, 9800 香港海关, 9900, A100 澳门海关) are not places of declaration: they are
 * passed to `onSkippedRow` and left out. A malformed row or a code given twice throws naming its line.
 */
export async function* readCustomsOfficeFile(path: string, onSkippedRow: (skip: CustomsOfficeSkip) => void = () => undefined): AsyncGenerator<CustomsOfficeRow> {
  let headerRead = false;
  const seen = new Set<string>();
  for await (const { lineNumber, fields } of readCsvRows(path)) {
    if (!headerRead) {
      if (fields.join(',') !== HEADER.join(',')) throw importError(lineNumber, `expected the header "${HEADER.join(',')}"`);
      headerRead = true;
      continue;
    }
    if (fields.length !== HEADER.length) throw importError(lineNumber, `${fields.length} fields where the header has ${HEADER.length}`);
    const code = (fields[0] ?? '').trim();
    const nameZh = (fields[1] ?? '').trim();
    if (!/^[0-9A-Z]{4}$/.test(code)) throw importError(lineNumber, `the code "${code}" is not four digits or capital letters`);
    if (nameZh === '') throw importError(lineNumber, `the office ${code} has no name`);
    if (seen.has(code)) throw importError(lineNumber, `the office ${code} is given twice`);
    seen.add(code);
    const district = districtOf(code);
    if (district === undefined) {
      onSkippedRow({ lineNumber, reason: `${code} ${nameZh} belongs to no directly-subordinate customs district` });
      continue;
    }
    yield { code, nameZh, district: district.prefix };
  }
}
