import { importError, readCsvRows } from './csv.js';

/** One HS code: a chapter (2 digits), heading (4) or subheading (6), with the code it belongs to. */
export interface HsRow {
  code: string;
  description: string;
  /** The chapter of a heading, the heading of a subheading; null for a chapter. */
  parent: string | null;
  level: 2 | 4 | 6;
}

const HEADER = ['section', 'hscode', 'description', 'parent', 'level'] as const;

// UN Comtrade marks the top of its tree with the pseudo-code TOTAL.
const COMTRADE_TOTAL = 'TOTAL';

/**
 * Streams the HS nomenclature from the CSV of the `datasets/harmonized-system` data package (UN Comtrade),
 * columns `section,hscode,description,parent,level`.
 *
 * Skipped, because they are Comtrade's statistical additions and not part of the HS: every row of section
 * "TOTAL", that is the codes 99, 9999 and 999999 ("Commodities not specified according to kind") and the grand
 * total row whose code is "TOTAL". Every other row must be well formed, or the reader throws naming its line.
 */
export async function* readHsFile(path: string): AsyncGenerator<HsRow> {
  let headerRead = false;
  for await (const { lineNumber, fields } of readCsvRows(path)) {
    if (!headerRead) {
      if (fields.join(',') !== HEADER.join(',')) {
        throw importError(lineNumber, `expected the header "${HEADER.join(',')}"`);
      }
      headerRead = true;
      continue;
    }
    if (fields.length !== HEADER.length) {
      throw importError(lineNumber, `${fields.length} fields where the header has ${HEADER.length}`);
    }
    const [section = '', code = '', description = '', parent = '', level = ''] = fields;
    if (section === COMTRADE_TOTAL || code === COMTRADE_TOTAL) continue;
    const problem = hsRowProblem(code, description, parent, level);
    if (problem !== undefined) throw importError(lineNumber, problem);
    yield {
      code,
      description,
      parent: code.length === 2 ? null : parent,
      level: code.length === 2 ? 2 : code.length === 4 ? 4 : 6,
    };
  }
}

function hsRowProblem(code: string, description: string, parent: string, level: string): string | undefined {
  if (!/^\d{2}(?:\d{2}){0,2}$/.test(code)) return `the code "${code}" is not 2, 4 or 6 digits`;
  if (level !== String(code.length)) return `the level "${level}" does not match the ${code.length}-digit code ${code}`;
  const expectedParent = code.length === 2 ? COMTRADE_TOTAL : code.slice(0, -2);
  if (parent !== expectedParent) return `the parent "${parent}" of ${code} should be "${expectedParent}"`;
  if (description.trim() === '') return `the code ${code} has no description`;
  return undefined;
}
