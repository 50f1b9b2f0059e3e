// A small RFC 4180 reader for the code list files: one record per line (no field spans lines), streamed so
// that the 115k-line UN/LOCODE file never sits in memory as a whole.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { KouanError } from '../../shared/errors.js';

/** One non-blank line of a CSV file split into fields, with its 1-based line number in the file. */
export interface CsvRow {
  readonly lineNumber: number;
  readonly fields: string[];
}

/** Splits one CSV line into its fields (RFC 4180: quoted fields, "" for a quote inside one); throws on bad quoting. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let start = 0;
  for (;;) {
    let end: number;
    if (line.charAt(start) === '"') {
      let value = '';
      let cursor = start + 1;
      for (;;) {
        const quote = line.indexOf('"', cursor);
        if (quote === -1) throw new Error(`the quoted field at column ${start + 1} is not closed`);
        value += line.slice(cursor, quote);
        if (line.charAt(quote + 1) !== '"') {
          end = quote + 1;
          break;
        }
        value += '"';
        cursor = quote + 2;
      }
      if (end < line.length && line.charAt(end) !== ',') {
        throw new Error(`unexpected text after the quoted field at column ${start + 1}`);
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', start);
      end = comma === -1 ? line.length : comma;
      const value = line.slice(start, end);
      if (value.includes('"')) throw new Error(`a quote inside the unquoted field at column ${start + 1}`);
      fields.push(value);
    }
    if (end >= line.length) return fields;
    start = end + 1;
  }
}

/** The error a code list reader throws for a line it cannot read; the message names the line. */
export function importError(lineNumber: number, reason: string, cause?: unknown): KouanError {
  // The file's path stays out: `extra` reaches API clients, and the caller knows which file it passed.
  const error = new KouanError('CODE_IMPORT_FAILED', {
    params: { reason: `line ${lineNumber}: ${reason}` },
    extra: { line: lineNumber },
  });
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** Streams the non-blank lines of a CSV file, split into fields; throws naming the line on bad quoting. */
export async function* readCsvRows(path: string): AsyncGenerator<CsvRow> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      // Spreadsheet exports often begin with a byte order mark (the HS sections file does).
      const line = lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text;
      if (line.trim() === '') continue;
      let fields: string[];
      try {
        fields = parseCsvLine(line);
      } catch (error) {
        throw importError(lineNumber, error instanceof Error ? error.message : String(error), error);
      }
      yield { lineNumber, fields };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Streams the records of a CSV file keyed by its header row; skips blank lines, throws naming a line of the wrong width. */
export async function* readCsvRecords(path: string): AsyncGenerator<Record<string, string>> {
  let header: readonly string[] | undefined;
  for await (const { lineNumber, fields } of readCsvRows(path)) {
    if (header === undefined) {
      const repeated = fields.find((name, index) => fields.indexOf(name) !== index);
      if (repeated !== undefined) throw importError(lineNumber, `the header repeats the column "${repeated}"`);
      header = fields;
      continue;
    }
    if (fields.length !== header.length) {
      throw importError(lineNumber, `${fields.length} fields where the header has ${header.length}`);
    }
    const columns = header;
    yield Object.fromEntries(columns.map((name, index) => [name, fields[index] ?? '']));
  }
}
