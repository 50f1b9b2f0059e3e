/**
 * The goods declaration as the form holds it (every field a string, as typed) and as the API takes it (the
 * published schema: GET /api/v1/doctypes/goods-declaration). Empty fields are left out of the document, so the
 * API answers "required" rather than "bad format" for what the person has not filled yet.
 */

export type Direction = 'import' | 'export';
export const TRANSPORT_MODES = ['sea', 'air', 'road', 'rail', 'post', 'multimodal'] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

export interface TraderForm {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly address: string;
}

export interface DocumentForm {
  readonly key: string;
  readonly type: string;
  readonly number: string;
}

export interface LineForm {
  readonly key: string;
  readonly hsCode: string;
  readonly description: string;
  readonly quantity: string;
  readonly unit: string;
  readonly grossWeightKg: string;
  readonly netWeightKg: string;
  readonly value: string;
  readonly originCountry: string;
  readonly documents: readonly DocumentForm[];
}

export interface TransportForm {
  readonly mode: TransportMode;
  readonly vesselImo: string;
  readonly voyage: string;
  readonly billOfLading: string;
  /** Container numbers as typed: separated by commas, spaces or new lines. */
  readonly containers: string;
}

export interface DeclarationForm {
  readonly direction: Direction;
  readonly declarant: string;
  readonly customsOffice: string;
  /** portOfEntry of an import, portOfExit of an export. */
  readonly port: string;
  /** countryOfDispatch of an import, countryOfDestination of an export. */
  readonly country: string;
  readonly currency: string;
  readonly incoterm: string;
  /** 监管方式, four digits; empty: not given. */
  readonly tradeMode: string;
  readonly consignee: TraderForm;
  readonly consignor: TraderForm;
  readonly transport: TransportForm;
  readonly lines: readonly LineForm[];
}

export const LINE_FIELDS = ['hsCode', 'description', 'quantity', 'unit', 'grossWeightKg', 'netWeightKg', 'value', 'originCountry'] as const;
export type LineField = (typeof LINE_FIELDS)[number];
export const TRADER_FIELDS = ['id', 'name', 'country', 'address'] as const;

let serial = 0;
/** A key that keeps React's rows attached to the same line while lines are added and removed. */
export const newKey = (): string => `k${(serial += 1)}`;

export const emptyTrader = (): TraderForm => ({ id: '', name: '', country: '', address: '' });
export const emptyDocument = (): DocumentForm => ({ key: newKey(), type: '', number: '' });
export const emptyLine = (): LineForm => ({
  key: newKey(),
  hsCode: '',
  description: '',
  quantity: '',
  unit: '',
  grossWeightKg: '',
  netWeightKg: '',
  value: '',
  originCountry: '',
  documents: [],
});

export function emptyDeclaration(declarant: string): DeclarationForm {
  return {
    direction: 'import',
    declarant,
    customsOffice: '',
    port: '',
    country: '',
    currency: '',
    incoterm: '',
    tradeMode: '',
    consignee: emptyTrader(),
    consignor: emptyTrader(),
    transport: { mode: 'sea', vesselImo: '', voyage: '', billOfLading: '', containers: '' },
    lines: [emptyLine()],
  };
}

export const portPath = (direction: Direction): string => (direction === 'import' ? '$.portOfEntry' : '$.portOfExit');
export const countryPath = (direction: Direction): string => (direction === 'import' ? '$.countryOfDispatch' : '$.countryOfDestination');

type Json = Record<string, unknown>;

function put(target: Json, name: string, value: string): void {
  const trimmed = value.trim();
  if (trimmed !== '') target[name] = trimmed;
}

export const splitContainers = (text: string): string[] =>
  text
    .split(/[\s,;，；]+/)
    .map((value) => value.trim().toUpperCase())
    .filter((value) => value !== '');

function traderData(trader: TraderForm): Json {
  const data: Json = {};
  for (const field of TRADER_FIELDS) put(data, field, trader[field]);
  return data;
}

/** The document the API validates and stores, from what the form holds. */
export function toDocument(form: DeclarationForm): Json {
  const data: Json = { direction: form.direction };
  put(data, 'declarant', form.declarant);
  data.consignee = traderData(form.consignee);
  data.consignor = traderData(form.consignor);
  put(data, 'customsOffice', form.customsOffice);
  put(data, form.direction === 'import' ? 'portOfEntry' : 'portOfExit', form.port);
  put(data, form.direction === 'import' ? 'countryOfDispatch' : 'countryOfDestination', form.country);
  put(data, 'currency', form.currency);
  put(data, 'incoterm', form.incoterm);
  put(data, 'tradeMode', form.tradeMode);
  const transport: Json = { mode: form.transport.mode };
  put(transport, 'vesselImo', form.transport.vesselImo);
  put(transport, 'voyage', form.transport.voyage);
  put(transport, 'billOfLading', form.transport.billOfLading);
  const containers = splitContainers(form.transport.containers);
  if (containers.length > 0) transport.containers = containers;
  data.transport = transport;
  // Every line and every reference row is sent, even an empty one, so that the API's paths point at the rows shown.
  data.lines = form.lines.map((line) => {
    const item: Json = {};
    for (const field of LINE_FIELDS) put(item, field, line[field]);
    if (line.documents.length > 0)
      item.documents = line.documents.map((document) => {
        const reference: Json = {};
        put(reference, 'type', document.type);
        put(reference, 'number', document.number);
        return reference;
      });
    return item;
  });
  return data;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const object = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

function traderForm(value: unknown): TraderForm {
  const trader = object(value);
  return { id: text(trader.id), name: text(trader.name), country: text(trader.country), address: text(trader.address) };
}

/** The form for a stored document (a draft, or a copy of a submission); unknown fields are dropped. */
export function fromDocument(value: unknown, declarant: string): DeclarationForm {
  const data = object(value);
  const direction: Direction = data.direction === 'export' ? 'export' : 'import';
  const transport = object(data.transport);
  const mode = TRANSPORT_MODES.find((candidate) => candidate === transport.mode) ?? 'sea';
  const lines = list(data.lines).map((raw): LineForm => {
    const line = object(raw);
    return {
      ...emptyLine(),
      hsCode: text(line.hsCode),
      description: text(line.description),
      quantity: text(line.quantity),
      unit: text(line.unit),
      grossWeightKg: text(line.grossWeightKg),
      netWeightKg: text(line.netWeightKg),
      value: text(line.value),
      originCountry: text(line.originCountry),
      documents: list(line.documents).map((reference) => ({ key: newKey(), type: text(object(reference).type), number: text(object(reference).number) })),
    };
  });
  return {
    direction,
    declarant: text(data.declarant) || declarant,
    customsOffice: text(data.customsOffice),
    port: direction === 'import' ? text(data.portOfEntry) || text(data.portOfExit) : text(data.portOfExit) || text(data.portOfEntry),
    country: direction === 'import' ? text(data.countryOfDispatch) : text(data.countryOfDestination),
    currency: text(data.currency),
    incoterm: text(data.incoterm),
    tradeMode: text(data.tradeMode),
    consignee: traderForm(data.consignee),
    consignor: traderForm(data.consignor),
    transport: {
      mode,
      vesselImo: text(transport.vesselImo),
      voyage: text(transport.voyage),
      billOfLading: text(transport.billOfLading),
      containers: list(transport.containers).map(text).join(', '),
    },
    lines: lines.length > 0 ? lines : [emptyLine()],
  };
}

/** HS lists hold 2-, 4- and 6-digit codes; a declaration line needs ten digits, so a chosen code is padded. */
export const tenDigits = (code: string): string => (/^\d{6}$/.test(code) ? `${code}0000` : code);

/** True when a problem at `errorPath` belongs to what the person touched at `touchedPath` (one contains the other). */
export function related(errorPath: string, touchedPath: string): boolean {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(errorPath, touchedPath) || within(touchedPath, errorPath);
}
