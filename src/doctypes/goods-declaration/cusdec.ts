/**
 * The goods declaration as a UN/EDIFACT CUSDEC message (directory D.00B): read from a declarant's interchange
 * into the canonical document, which is then validated as any JSON one, and printed from a stored one. One
 * message per interchange, one declaration per message. docs/goods-declaration.md has the mapping table.
 *
 *   UNH  CUSDEC:D:00B:UN
 *   BGM  C002 1001 929 goods declaration for importation | 830 for exportation; 1004 the reference; 1225 9
 *   CST  ++ C246 7361 the trade mode (监管方式), 1131 117 (customs procedure), 3055 ZZZ
 *   LOC  3227 22 customs office of clearance (关区), 24 port of entry, 9 port of loading (exit),
 *        35 exportation country (dispatch), 28 country of destination; 3055 ZZZ / 6 (UN/LOCODE)
 *   DTM  137 the day it was prepared      EQD  CN + C237 8260 the container number
 *   RFF  BM:<bill of lading>  (SG1)
 *   TDT  20 main carriage + 8028 voyage + C220 8067 mode (1 sea, 2 rail, 3 road, 4 air, 5 mail, 6 multimodal)
 *        + C222 8213 the IMO number :146:11 (SG4)
 *   NAD  DT declarant, CN consignee, CZ consignor: C082 3039 the unified social credit code ::ZZZ, C080 3036
 *        the name, 3207 the country (SG6)
 *   TOD  +++ C100 4053 the Incoterm (SG7)   MOA 39 invoice total + CUX 2:<currency>:4 (SG8, SG9)
 *   UNS  D, then per goods line (SG30):
 *   CST  1496 line number + C246 7361 the ten-digit tariff line :108:ZZZ
 *   FTX  AAA +++ the description        LOC 27 country of origin
 *   MEA  AAE + AAD gross / AAC net weight, KGM; CT ++ <unit>:<quantity> the quantity
 *   MOA  38 the line's amount :<currency>
 *   DOC  C002 1000 the ledger account type + C503 1004 its number, then in its group RFF ACD:<item key> and
 *        GIS <write-off>:WOK:ZZZ (Kouan's convention with its senders: CUSDEC has no element for either)
 *   UNS  S, UNT
 *
 * Read leniently (other qualifiers of the same meaning are taken: GIS TM for the trade mode, LOC 41 for the
 * office, MEA G/AAF, QTY 47, MOA 40/146/203), printed as above. Qualifiers follow UNCL D.00B and the SARS and
 * ABF message guides; a customs partner's own guide may want other 1131 code lists.
 */
import { parseInterchange, VERSION_4_SERVICE_CHARACTERS, type Segment } from '../../formats/edifact/tokenizer.js';
import { printSegment } from '../../formats/edifact/printer.js';
import type { FieldError } from '../../shared/errors.js';
import type { DocTypeFormat, FormatContext, FormatReading } from '../../modules/doctypes/doctype.js';
import { WRITE_OFF_KINDS } from '../../modules/ledger/ledger.schema.js';
import type { GoodsDeclaration, GoodsLine } from './schema.js';

const DOCUMENT_CODES = { import: '929', export: '830' } as const;
const TRANSPORT_MODES: readonly [GoodsDeclaration['transport']['mode'], string][] = [
  ['sea', '1'],
  ['rail', '2'],
  ['road', '3'],
  ['air', '4'],
  ['post', '5'],
  ['multimodal', '6'],
];
const LOC = { customsOffice: '22', portOfEntry: '24', portOfExit: '9', countryOfDispatch: '35', countryOfDestination: '28', origin: '27' } as const;
/** Other qualifiers senders use for the same place: the office of entry (41), the place of discharge (11). */
const LOC_ALSO: Readonly<Record<string, readonly string[]>> = { '22': ['41', '96'], '24': ['11'] };
const PARTIES = { declarant: 'DT', consignee: 'CN', consignor: 'CZ' } as const;

type Json = Record<string, unknown>;

/** The value of component `component` of element `element` (both 0-based), or undefined when empty or absent. */
function value(segment: Segment | undefined, element: number, component = 0): string | undefined {
  const text = segment?.elements[element]?.[component];
  return text === undefined || text === '' ? undefined : text;
}

const where = (segment: Segment) => `segment ${segment.index} (${segment.tag})`;

/** Reads one CUSDEC interchange into the canonical goods declaration, or says what in it cannot be read. */
export function readCusdec(text: string): FormatReading {
  const interchange = parseInterchange(text);
  const errors: FieldError[] = [];
  const messages = interchange.messages.filter((message) => message.type === 'CUSDEC');
  const [message] = messages;
  if (message === undefined || messages.length !== 1 || interchange.messages.length !== 1) {
    return { errors: [{ path: 'UNH', code: 'MESSAGE_NOT_ONE', params: { type: 'CUSDEC', count: messages.length } }] };
  }
  const segments = message.segments;
  const detail = segments.findIndex((segment) => segment.tag === 'UNS' && value(segment, 0) === 'D');
  const summary = segments.findIndex((segment) => segment.tag === 'UNS' && value(segment, 0) === 'S');
  const header = segments.slice(0, detail < 0 ? segments.length : detail);
  const items = detail < 0 ? [] : segments.slice(detail + 1, summary < 0 ? segments.length - 1 : summary);
  const first = (tag: string, qualifier?: string) => header.find((segment) => segment.tag === tag && (qualifier === undefined || value(segment, 0) === qualifier));

  const bgm = first('BGM');
  const code = value(bgm, 0);
  const direction = code === DOCUMENT_CODES.import ? 'import' : code === DOCUMENT_CODES.export ? 'export' : undefined;
  if (direction === undefined) errors.push({ path: bgm === undefined ? 'BGM' : where(bgm), code: 'MESSAGE_VALUE_UNKNOWN', params: { element: 'BGM 1001', value: code ?? '', codes: `${DOCUMENT_CODES.import} (import), ${DOCUMENT_CODES.export} (export)` } });

  const party = (qualifier: string): Json | undefined => {
    const nad = first('NAD', qualifier);
    if (nad === undefined) return undefined;
    const id = value(nad, 1);
    // C080 3036 in up to five components of 35 characters; C058 (name and address lines) when C080 is empty.
    const joined = (element: number) => (nad.elements[element] ?? []).join('');
    const name = joined(3) === '' ? (joined(2) === '' ? undefined : joined(2)) : joined(3);
    const country = value(nad, 8);
    return { ...(id === undefined ? {} : { id }), ...(name === undefined ? {} : { name }), ...(country === undefined ? {} : { country }) };
  };
  const declarant = value(first('NAD', PARTIES.declarant), 1);
  const place = (qualifier: string) => value([qualifier, ...(LOC_ALSO[qualifier] ?? [])].map((candidate) => first('LOC', candidate)).find((found) => found !== undefined), 1);
  const tdt = first('TDT', '20') ?? first('TDT');
  const modeCode = value(tdt, 2);
  const mode = TRANSPORT_MODES.find(([, candidate]) => candidate === modeCode)?.[0];
  if (tdt !== undefined && mode === undefined) errors.push({ path: where(tdt), code: 'MESSAGE_VALUE_UNKNOWN', params: { element: 'TDT 8067', value: modeCode ?? '', codes: TRANSPORT_MODES.map(([name, candidate]) => `${candidate} (${name})`).join(', ') } });
  const containers = header.filter((segment) => segment.tag === 'EQD' && value(segment, 0) === 'CN').map((segment) => value(segment, 1)).filter((id) => id !== undefined);
  const transport: Json = {
    ...(mode === undefined ? {} : { mode }),
    ...(value(tdt, 7) === undefined ? {} : { vesselImo: value(tdt, 7) }),
    ...(value(tdt, 1) === undefined ? {} : { voyage: value(tdt, 1) }),
    ...billOfLading(header),
    ...(containers.length === 0 ? {} : { containers }),
  };

  const lines: Json[] = [];
  let line: Json | undefined;
  for (const segment of items) {
    if (segment.tag === 'CST') {
      line = { hsCode: value(segment, 1) ?? '' };
      lines.push(line);
      continue;
    }
    if (line === undefined) {
      // The first such segment is named; those after it are of the same item, misplaced with it.
      if (!errors.some((error) => error.code === 'MESSAGE_SEGMENT_MISPLACED')) errors.push({ path: where(segment), code: 'MESSAGE_SEGMENT_MISPLACED', params: { tag: segment.tag, before: 'CST' } });
      continue;
    }
    readItemSegment(segment, line);
  }
  if (errors.length > 0) return { errors };

  const importing = direction === 'import';
  const currency = value(first('CUX'), 0, 1);
  const incoterm = value(first('TOD'), 2);
  const procedure = header.find((segment) => segment.tag === 'CST' && value(segment, 1) !== undefined);
  const tradeMode = value(procedure, 1) ?? value(header.find((segment) => segment.tag === 'GIS' && value(segment, 0, 1) === 'TM'), 0);
  const document: Json = {
    direction,
    ...(declarant === undefined ? {} : { declarant }),
    ...withParty('consignee', party(PARTIES.consignee)),
    ...withParty('consignor', party(PARTIES.consignor)),
    ...(place(LOC.customsOffice) === undefined ? {} : { customsOffice: place(LOC.customsOffice) }),
    ...(importing ? optional('portOfEntry', place(LOC.portOfEntry)) : optional('portOfExit', place(LOC.portOfExit))),
    ...(importing ? optional('countryOfDispatch', place(LOC.countryOfDispatch)) : optional('countryOfDestination', place(LOC.countryOfDestination))),
    ...optional('currency', currency),
    ...optional('incoterm', incoterm),
    ...optional('tradeMode', tradeMode),
    transport,
    lines,
  };
  return { document };
}

function optional(name: string, text: string | undefined): Json {
  return text === undefined ? {} : { [name]: text };
}

function withParty(name: string, party: Json | undefined): Json {
  return party === undefined ? {} : { [name]: party };
}

/** The bill of lading from whichever RFF of the header carries it (BM). */
function billOfLading(header: readonly Segment[]): Json {
  const rff = header.find((segment) => segment.tag === 'RFF' && value(segment, 0, 0) === 'BM');
  const number = value(rff, 0, 1);
  return number === undefined ? {} : { billOfLading: number };
}

/** One segment of a goods item into its line. */
function readItemSegment(segment: Segment, line: Json): void {
  switch (segment.tag) {
    case 'FTX':
      if (value(segment, 0) === 'AAA') line.description = [0, 1, 2, 3, 4].map((component) => value(segment, 3, component) ?? '').join('');
      return;
    case 'LOC':
      if (value(segment, 0) === LOC.origin) line.originCountry = value(segment, 1);
      return;
    case 'MEA': {
      const purpose = value(segment, 0);
      const kind = value(segment, 1);
      const unit = value(segment, 2, 0);
      const amount = value(segment, 2, 1);
      if (amount === undefined) return;
      if (purpose === 'CT') {
        line.quantity = amount;
        line.unit = unit;
      } else if (unit === 'KGM' && (kind === 'AAD' || kind === 'G')) line.grossWeightKg = amount;
      else if (unit === 'KGM' && (kind === 'AAC' || kind === 'AAF' || kind === 'N')) line.netWeightKg = amount;
      return;
    }
    case 'QTY':
      if (value(segment, 0, 0) === '47') {
        line.quantity = value(segment, 0, 1);
        line.unit = value(segment, 0, 2);
      }
      return;
    case 'MOA':
      if (['38', '40', '146', '203'].includes(value(segment, 0, 0) ?? '') && line.value === undefined) line.value = value(segment, 0, 1);
      return;
    case 'DOC': {
      const type = value(segment, 0, 3) ?? value(segment, 0);
      const number = value(segment, 1);
      if (type === undefined || number === undefined) return;
      const documents = (line.documents as Json[] | undefined) ?? [];
      documents.push({ type, number });
      line.documents = documents;
      return;
    }
    case 'RFF':
    case 'GIS': {
      // In a DOC group: the item key (RFF ACD) and the write-off (GIS ...:WOK) of the document just cited.
      const cited = (line.documents as Json[] | undefined)?.at(-1);
      if (cited === undefined) return;
      if (segment.tag === 'RFF' && value(segment, 0, 0) === 'ACD') cited.key = value(segment, 0, 1);
      const writeOff = WRITE_OFF_KINDS.find((kind) => kind === value(segment, 0, 0));
      if (segment.tag === 'GIS' && value(segment, 0, 1) === 'WOK' && writeOff !== undefined) cited.writeOff = writeOff;
      return;
    }
    default:
      return;
  }
}

/** The interchange of one CUSDEC message carrying the stored declaration (syntax UNOW 4: UTF-8, for Chinese names). */
export function printCusdec(document: GoodsDeclaration, context: FormatContext): string {
  const at = context.preparedAt;
  const date = at.slice(2, 4) + at.slice(5, 7) + at.slice(8, 10);
  const time = at.slice(11, 13) + at.slice(14, 16);
  const reference = (context.number ?? context.submissionId).slice(-14);
  const segment = (tag: string, ...elements: (string | undefined | (string | undefined)[])[]): Segment => ({
    tag,
    elements: trim(elements.map((element) => (Array.isArray(element) ? trim(element.map((component) => component ?? '')) : [element ?? '']))),
    index: 0,
    position: 0,
  });
  const importing = document.direction === 'import';
  // A name is written in C080's components of 35 characters (3036, up to five).
  const names = (name: string) => [0, 1, 2, 3, 4].map((part) => name.slice(part * 35, part * 35 + 35) || undefined);
  const nad = (qualifier: string, party: { id?: string; name: string; country?: string } | undefined) =>
    party === undefined ? [] : [segment('NAD', qualifier, party.id === undefined ? undefined : [party.id, '', 'ZZZ'], undefined, names(party.name), undefined, undefined, undefined, undefined, party.country)];
  const total = document.lines.reduce((sum, line) => sum + Number(line.value), 0);
  const body: Segment[] = [
    segment('UNH', '1', ['CUSDEC', 'D', '00B', 'UN']),
    segment('BGM', DOCUMENT_CODES[document.direction], context.number ?? context.submissionId, '9'),
    ...(document.tradeMode === undefined ? [] : [segment('CST', undefined, [document.tradeMode, '117', 'ZZZ'])]),
    segment('LOC', LOC.customsOffice, [document.customsOffice, '', 'ZZZ']),
    ...(importing ? place(LOC.portOfEntry, document.portOfEntry) : place(LOC.portOfExit, document.portOfExit)),
    ...(importing ? place(LOC.countryOfDispatch, document.countryOfDispatch) : place(LOC.countryOfDestination, document.countryOfDestination)),
    segment('DTM', ['137', at.slice(0, 10).replaceAll('-', ''), '102']),
    ...(document.transport.containers ?? []).map((container) => segment('EQD', 'CN', container)),
    ...(document.transport.billOfLading === undefined ? [] : [segment('RFF', ['BM', document.transport.billOfLading])]),
    segment('TDT', '20', document.transport.voyage, [TRANSPORT_MODES.find(([mode]) => mode === document.transport.mode)?.[1]], undefined, undefined, undefined, undefined, document.transport.vesselImo === undefined ? undefined : [document.transport.vesselImo, '146', '11']),
    segment('NAD', PARTIES.declarant, [document.declarant, '', 'ZZZ']),
    ...nad(PARTIES.consignee, document.consignee),
    ...nad(PARTIES.consignor, document.consignor),
    ...(document.incoterm === undefined ? [] : [segment('TOD', undefined, undefined, document.incoterm)]),
    // The invoice total, to hold the currency (SG8 MOA, SG9 CUX): the lines' amounts added up.
    segment('MOA', ['39', String(Math.round(total * 100) / 100), document.currency]),
    segment('CUX', ['2', document.currency, '4']),
    segment('UNS', 'D'),
    ...document.lines.flatMap((line, index) => printLine(segment, line, index, document.currency)),
    segment('UNS', 'S'),
  ];
  function place(qualifier: string, code: string | undefined): Segment[] {
    return code === undefined ? [] : [segment('LOC', qualifier, code.length === 5 ? [code, '', '6'] : code)];
  }
  const message = [...body, segment('UNT', String(body.length + 1), '1')];
  const characters = VERSION_4_SERVICE_CHARACTERS;
  const envelope = [segment('UNB', ['UNOW', '4'], [context.sender], ['CNCUSTOMS'], [date, time], reference), ...message, segment('UNZ', '1', reference)];
  return envelope.map((item) => printSegment(item, characters)).join('\n') + '\n';
}

function printLine(segment: (tag: string, ...elements: (string | undefined | (string | undefined)[])[]) => Segment, line: GoodsLine, index: number, currency: string): Segment[] {
  const description = line.description;
  return [
    segment('CST', String(index + 1), [line.hsCode, '108', 'ZZZ']),
    segment('FTX', 'AAA', undefined, undefined, [0, 1, 2, 3, 4].map((part) => description.slice(part * 70, part * 70 + 70) || undefined)),
    segment('LOC', LOC.origin, line.originCountry),
    ...(line.grossWeightKg === undefined ? [] : [segment('MEA', 'AAE', 'AAD', ['KGM', String(line.grossWeightKg)])]),
    segment('MEA', 'AAE', 'AAC', ['KGM', String(line.netWeightKg)]),
    segment('MEA', 'CT', undefined, [line.unit, String(line.quantity)]),
    segment('MOA', ['38', String(line.value), currency]),
    ...(line.documents ?? []).flatMap((reference) => [
      segment('DOC', ['', '', '', reference.type], reference.number),
      ...(reference.key === undefined ? [] : [segment('RFF', ['ACD', reference.key])]),
      ...(reference.writeOff === undefined ? [] : [segment('GIS', [reference.writeOff, 'WOK', 'ZZZ'])]),
    ]),
  ];
}

/** Drops empty trailing elements and components, as EDIFACT writes them. */
function trim<T>(items: T[]): T[] {
  const empty = (item: T) => (Array.isArray(item) ? item.every((component) => component === '') : item === '');
  let end = items.length;
  while (end > 0 && empty(items[end - 1] as T)) end -= 1;
  return items.slice(0, end);
}

export const cusdec: DocTypeFormat<GoodsDeclaration> = {
  id: 'cusdec',
  title: { en: 'UN/EDIFACT CUSDEC (D.00B)', zh: 'UN/EDIFACT 海关申报报文 CUSDEC（D.00B）' },
  mediaType: 'application/edifact',
  extension: 'edi',
  recognizes: (text) => /UNH\+[^+']*\+CUSDEC:/.test(text.slice(0, 2000)),
  parse: readCusdec,
  print: printCusdec,
};
