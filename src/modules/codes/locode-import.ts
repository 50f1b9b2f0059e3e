import { importError, readCsvRows } from './csv.js';

/** One UN/LOCODE location. */
export interface LocodeRow {
  /** Country and location together, e.g. CNSHA. */
  code: string;
  country: string;
  name: string;
  subdivision: string | null;
  /** The eight-position function classifier, e.g. `12345---` (1 port, 2 rail, 3 road, 4 airport, ...). */
  functions: string;
  /** The status code (AI, RL, RQ, ...); null when empty or lost in the export (see below). */
  status: string | null;
}

/** A row the reader could not accept, passed to `onRejectedRow` instead of being thrown. */
export interface LocodeRejection {
  readonly lineNumber: number;
  readonly reason: string;
}

export interface LocodeReadOptions {
  /**
   * Called for each row that is not a valid UN/LOCODE entry, which is then skipped. Without it the reader
   * throws at the first such row. The reference export holds three: requested codes DE9B0, DEB90 and IT940,
   * whose 0 the UN/LOCODE manual does not allow (it reserves 0 and 1, which read like O and I).
   */
  readonly onRejectedRow?: (rejection: LocodeRejection) => void;
}

const HEADER = [
  'country', 'location', 'name', 'nameWoDiacritics', 'subdivision', 'status', 'function', 'iata', 'lat', 'lon', 'geocoded',
] as const;

// A record has these 11 fields, or 10 when the country's export lacks the trailing `geocoded` column.
const RECORD_WIDTH = HEADER.length;
const LON = 9;
const GEOCODED = 10;

// The export was made per country and concatenated without the last line break of each country, so the first
// record of a country is glued to the last field of the previous one: to its `geocoded` value ("true" + "AE")
// or, where the `geocoded` column is absent, to its longitude ("-58.08" + "AR").
const GEOCODED_GLUED_TO_COUNTRY = /^(true|false|)([A-Z]{2})$/;
const LONGITUDE_GLUED_TO_COUNTRY = /^(-?\d+(?:\.\d+)?(?:e-?\d+)?|NaN|)([A-Z]{2})$/;

/**
 * Streams the locations of the per-country UN/LOCODE CSV export (`geoapify/un-locode`), columns
 * `country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded`.
 *
 * The export has defects this reader repairs, because the locations themselves are sound:
 * - the records of two or three countries glued onto one line (see above) are split apart again;
 * - a name containing a comma was written as `"""Batu Lintang"," Sarawak"""`, which splits it over two fields,
 *   and such rows lost their status and IATA columns: the name is rejoined ("Batu Lintang, Sarawak") and the
 *   status is null;
 * - names whose accented letters were lost to U+FFFD are replaced by the name without diacritics.
 * Another known defect, a few Chinese cities carrying their airport's name and function (CNSHA), is passed
 * through as is: only the existence of a code can be relied on, not its function column.
 * Anything else malformed throws naming its line, or goes to `options.onRejectedRow`.
 */
export async function* readLocodeFile(path: string, options: LocodeReadOptions = {}): AsyncGenerator<LocodeRow> {
  let headerRead = false;
  for await (const { lineNumber, fields } of readCsvRows(path)) {
    if (!headerRead) {
      if (fields.join(',') !== HEADER.join(',')) {
        throw importError(lineNumber, `expected the header "${HEADER.join(',')}"`);
      }
      headerRead = true;
      continue;
    }
    const records = splitGluedRecords(fields);
    const parsed = typeof records === 'string' ? [records] : records.map(toLocodeRow);
    for (const result of parsed) {
      if (typeof result !== 'string') {
        yield result;
      } else if (options.onRejectedRow !== undefined) {
        options.onRejectedRow({ lineNumber, reason: result });
      } else {
        throw importError(lineNumber, result);
      }
    }
  }
}

/** The records of one line (one, or several glued together), or why the line cannot be split. */
function splitGluedRecords(line: readonly string[]): string[][] | string {
  const fields = [...line];
  const records: string[][] = [];
  let start = 0;
  while (fields.length - start > RECORD_WIDTH) {
    const gluedToLongitude = LONGITUDE_GLUED_TO_COUNTRY.exec(fields[start + LON] ?? '');
    if (gluedToLongitude !== null) {
      records.push([...fields.slice(start, start + LON), gluedToLongitude[1] ?? '']);
      start += LON;
      fields[start] = gluedToLongitude[2] ?? '';
      continue;
    }
    const gluedToGeocoded = GEOCODED_GLUED_TO_COUNTRY.exec(fields[start + GEOCODED] ?? '');
    if (gluedToGeocoded !== null) {
      records.push([...fields.slice(start, start + GEOCODED), gluedToGeocoded[1] ?? '']);
      start += GEOCODED;
      fields[start] = gluedToGeocoded[2] ?? '';
      continue;
    }
    return `${line.length} fields where a record has ${RECORD_WIDTH}, and no second record starts after field ${GEOCODED + 1}`;
  }
  records.push(fields.slice(start));
  return records;
}

/** The location of one record, or why the record is not a valid UN/LOCODE entry. */
function toLocodeRow(record: readonly string[]): LocodeRow | string {
  if (record.length !== RECORD_WIDTH && record.length !== RECORD_WIDTH - 1) {
    return `${record.length} fields where a record has ${RECORD_WIDTH}`;
  }
  const [country = '', location = ''] = record;
  const columns = (record[2] ?? '').startsWith('"') ? commaNameColumns(record) : plainColumns(record);
  if (typeof columns === 'string') return columns;
  const { name, subdivision, status, functions } = columns;
  const code = `${country}${location}`;
  if (!/^[A-Z]{2}$/.test(country)) return `the country "${country}" is not two capital letters`;
  if (!/^[A-Z2-9]{3}$/.test(location)) return `the location "${location}" of ${code} is not three capital letters or digits 2-9`;
  if (name === '') return `${code} has no name`;
  if (subdivision !== '' && !/^[A-Z0-9]{1,3}$/.test(subdivision)) return `the subdivision "${subdivision}" of ${code} is malformed`;
  if (status !== null && status !== '' && !/^[A-Z]{2}$/.test(status)) return `the status "${status}" of ${code} is malformed`;
  if (!/^[0-9B-]{8}$/.test(functions)) return `the function classifier "${functions}" of ${code} is not eight positions`;
  const geocoded = record[GEOCODED];
  if (geocoded !== undefined && !['', 'true', 'false'].includes(geocoded)) {
    return `the geocoded flag "${geocoded}" of ${code} is neither true nor false`;
  }
  return {
    code,
    country,
    name,
    subdivision: subdivision === '' ? null : subdivision,
    functions,
    status: status === '' ? null : status,
  };
}

interface LocodeColumns {
  name: string;
  subdivision: string;
  status: string | null;
  functions: string;
}

function plainColumns(record: readonly string[]): LocodeColumns {
  const [, , name = '', nameWithoutDiacritics = '', subdivision = '', status = '', functions = ''] = record;
  return { name: readableName(name, nameWithoutDiacritics), subdivision, status, functions };
}

// `"""Batu Lintang"," Sarawak""",` parses as the fields `"Batu Lintang` and ` Sarawak"`, the same again for
// the name without diacritics, then subdivision and function: status and IATA code are missing.
function commaNameColumns(record: readonly string[]): LocodeColumns | string {
  const [, , nameHead = '', nameTail = '', plainHead = '', plainTail = '', subdivision = '', functions = ''] = record;
  const quoted = nameTail.endsWith('"') && plainHead.startsWith('"') && plainTail.endsWith('"');
  if (!quoted) return `the quoted name starting ${nameHead} is split in a way this reader does not know`;
  const name = joinNameParts(nameHead.slice(1), nameTail.slice(0, -1));
  const nameWithoutDiacritics = joinNameParts(plainHead.slice(1), plainTail.slice(0, -1));
  return { name: readableName(name, nameWithoutDiacritics), subdivision, status: null, functions };
}

function joinNameParts(head: string, tail: string): string {
  return [head, tail].map((part) => part.trim()).filter((part) => part !== '').join(', ');
}

function readableName(name: string, nameWithoutDiacritics: string): string {
  return name.includes('\uFFFD') && nameWithoutDiacritics !== '' ? nameWithoutDiacritics : name;
}
