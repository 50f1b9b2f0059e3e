/**
 * The EDIFACT figure: how fast an interchange as large as POST /api/v1/events takes is read and mapped to tracking
 * events (parseInterchange of the bytes as the HTTP layer hands them, then interchangeToEvents), for an IFTSTA status report and a CODECO gate report. Each
 * interchange is generated up to 90 % of the tokenizer's default limits (bytes and segments), timed over several
 * runs after a warm-up, and must map every event it carries with no problem.
 */
import { isValidContainerNumber, isValidImoNumber } from '../src/modules/codes/index.js';
import { interchangeText } from '../src/formats/edifact/samples.fixture.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_SEGMENTS, parseInterchange } from '../src/formats/edifact/tokenizer.js';
import { interchangeToEvents } from '../src/formats/edifact/tracking.js';
import { percentile, positiveInteger, round } from './support.js';

const RUNS = positiveInteger('KOUAN_BENCH_EDIFACT_RUNS', 10);
const WARMUP_RUNS = 2;
const FILL = 0.9;
/** Consignments (IFTSTA) or containers (CODECO) per message. */
const PER_MESSAGE = 50;

export interface EdifactFigure {
  readonly message: string;
  readonly bytes: number;
  readonly segments: number;
  readonly messages: number;
  readonly events: number;
  readonly runs: number;
  /** Parse and map, bytes (10^6) per second over all runs. */
  readonly mbPerSecond: number;
  readonly parseMbPerSecond: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly maxMs: number;
  /** Events the interchange carries that did not map, plus mapping problems; must be 0. */
  readonly wrong: number;
}

const VESSELS = [
  { imo: '9321483', name: 'MSC ANNA' },
  { imo: '9454450', name: 'MSC BELLA' },
];
const PORTS = [
  { locode: 'CNSHA', terminal: 'YS4', name: 'Yangshan Phase IV' },
  { locode: 'NLRTM', terminal: 'ECTDDE', name: 'ECT Delta' },
  { locode: 'DEHAM', terminal: 'CTB', name: 'Burchardkai' },
  { locode: 'SGSIN', terminal: 'PPT', name: 'Pasir Panjang' },
];

function containerNumber(index: number): string {
  const first10 = `EDIU${String(index % 1_000_000).padStart(6, '0')}`;
  for (let digit = 0; digit <= 9; digit += 1) if (isValidContainerNumber(`${first10}${digit}`)) return `${first10}${digit}`;
  throw new Error(`no check digit makes ${first10} valid`);
}

/** EDIFACT format 203, CCYYMMDDHHMM, of a time some minutes after a fixed start. */
function dtm203(minutes: number): string {
  return new Date(Date.UTC(2026, 0, 5, 6, 0) + minutes * 60_000).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

interface Generated {
  readonly text: string;
  readonly segments: number;
  readonly messages: number;
  readonly events: number;
}

type Body = { reference: string; type: string; body: string[] };

/** Messages until the interchange is about to pass FILL of either limit; `add` appends one unit, returning its events. */
function generate(controlRef: string, type: string, header: (message: number) => string[], add: (body: string[], unit: number) => number): Generated {
  const messages: Body[] = [];
  let segments = 2;
  let bytes = 0;
  let events = 0;
  let unit = 0;
  for (let message = 0; ; message += 1) {
    const body = header(message);
    let messageEvents = 0;
    for (let count = 0; count < PER_MESSAGE; count += 1) messageEvents += add(body, unit++);
    const length = body.reduce((total, segment) => total + segment.length + 2, 0) + 40;
    if (segments + body.length + 2 > FILL * DEFAULT_MAX_SEGMENTS || bytes + length > FILL * DEFAULT_MAX_BYTES) break;
    messages.push({ reference: `M${message}`, type, body });
    segments += body.length + 2;
    bytes += length;
    events += messageEvents;
  }
  const text = interchangeText(controlRef, messages);
  return { text, segments, messages: messages.length, events };
}

/** IFTSTA: consignments of three containers, each gated in, loaded and discharged. */
function iftsta(): Generated {
  return generate(
    'BENCHST1',
    'IFTSTA:D:99B:UN',
    (message) => ['BGM+23+ST' + String(message).padStart(6, '0') + '+9', 'DTM+137:202601050600:203'],
    (body, consignment) => {
      const vessel = VESSELS[consignment % VESSELS.length] ?? { imo: '9321483', name: 'MSC ANNA' };
      const origin = PORTS[consignment % PORTS.length] ?? { locode: 'CNSHA', terminal: 'YS4', name: 'Yangshan Phase IV' };
      const destination = PORTS[(consignment + 1) % PORTS.length] ?? origin;
      const bl = `EDIBL${String(consignment).padStart(7, '0')}`;
      const equipment = [0, 1, 2].map((slot) => `EQD+CN+${containerNumber(consignment * 3 + slot)}`);
      const tdt = `TDT+20+${100 + (consignment % 50)}E+1++MSC:172:20+++${vessel.imo}:146::${vessel.name}`;
      const at = consignment % 10_000;
      body.push(
        `CNI+${consignment + 1}+${bl}`,
        `RFF+BM:${bl}`,
        'STS+1+I',
        `DTM+7:${dtm203(at)}:203`,
        `LOC+175+${origin.locode}:139:6+${origin.terminal}:TER:ZZZ:${origin.name}`,
        ...equipment,
        'STS+1+AE',
        `DTM+7:${dtm203(at + 2 * 1440)}:203`,
        `LOC+175+${origin.locode}:139:6+${origin.terminal}:TER:ZZZ:${origin.name}`,
        tdt,
        ...equipment,
        'STS+1+UV::ZZZ:Unloaded from vessel',
        `DTM+334:${dtm203(at + 20 * 1440)}:203`,
        `LOC+175+${destination.locode}:139:6+${destination.terminal}:TER:ZZZ:${destination.name}`,
        tdt,
        ...equipment,
      );
      return 9;
    },
  );
}

/** CODECO: gate-in reports of a vessel's containers, each with its bill of lading and time. */
function codeco(): Generated {
  return generate(
    'BENCHCO1',
    'CODECO:D:95B:UN:ITG13',
    (message) => {
      const vessel = VESSELS[message % VESSELS.length] ?? { imo: '9321483', name: 'MSC ANNA' };
      const port = PORTS[message % PORTS.length] ?? { locode: 'CNSHA', terminal: 'YS4', name: 'Yangshan Phase IV' };
      return [
        `BGM+34+GI${String(message).padStart(6, '0')}+9`,
        'DTM+137:202601050600:203',
        `TDT+20+${100 + (message % 50)}E+1++MSC:172:20+++${vessel.imo}:146::${vessel.name}`,
        `LOC+165+${port.locode}:139:6+${port.terminal}:TER:ZZZ:${port.name}`,
        'NAD+MS+TERMINALCN:160:ZZZ',
      ];
    },
    (body, container) => {
      body.push(`EQD+CN+${containerNumber(container)}+45G1:102:5++2+5`, `RFF+BM:EDIBL${String(Math.floor(container / 3)).padStart(7, '0')}`, `DTM+7:${dtm203(container % 10_000)}:203`);
      return 1;
    },
  );
}

function measure(message: string, generated: Generated): EdifactFigure {
  const body = Buffer.from(generated.text, 'utf8');
  const bytes = body.length;
  let wrong = 0;
  for (let run = 0; run < WARMUP_RUNS; run += 1) interchangeToEvents(parseInterchange(body));
  let parseMs = 0;
  let totalMs = 0;
  const runMs: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const interchange = parseInterchange(body);
    const parsed = performance.now();
    const mapped = interchangeToEvents(interchange);
    const done = performance.now();
    parseMs += parsed - started;
    totalMs += done - started;
    runMs.push(done - started);
    if (run === 0) wrong = Math.abs(mapped.events.length - generated.events) + mapped.problems.length;
  }
  runMs.sort((a, b) => a - b);
  return {
    message,
    bytes,
    segments: generated.segments,
    messages: generated.messages,
    events: generated.events,
    runs: RUNS,
    mbPerSecond: round((bytes * RUNS) / 1e6 / (totalMs / 1000)),
    parseMbPerSecond: round((bytes * RUNS) / 1e6 / (parseMs / 1000)),
    eventsPerSecond: round((generated.events * RUNS) / (totalMs / 1000), 0),
    p50Ms: round(percentile(runMs, 0.5)),
    maxMs: round(runMs.at(-1) ?? 0),
    wrong,
  };
}

export function benchEdifact(): EdifactFigure[] {
  if (!VESSELS.every((vessel) => isValidImoNumber(vessel.imo))) throw new Error('a bench vessel has an invalid IMO number');
  return [measure('IFTSTA', iftsta()), measure('CODECO', codeco())];
}
