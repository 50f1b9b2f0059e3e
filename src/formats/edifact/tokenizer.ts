// The project's own UN/EDIFACT reader (ISO 9735 syntax versions 1 to 4, character-level): it honours the
// service string advice (UNA), splits segments, data elements and components with the release character, and
// checks the interchange envelope (UNB ... UNZ) and each message (UNH ... UNT) before anything is mapped.
// Everything is refused at the first problem, with the segment and the character offset where it lies, so
// that a sender can find it in the file they sent.

export type EdifactErrorCode =
  | 'EDIFACT_TOO_LARGE'
  | 'EDIFACT_SYNTAX'
  | 'EDIFACT_UNTERMINATED'
  | 'EDIFACT_ENVELOPE'
  | 'EDIFACT_COUNT_MISMATCH'
  | 'EDIFACT_REFERENCE_MISMATCH';

/** Where a problem lies: the segment's ordinal in the text (0-based, UNA included when present) and its tag. */
export interface SegmentLocator {
  readonly index: number;
  readonly tag: string;
}

/** A refused interchange: a stable code, the segment concerned (null when none) and a character offset. */
export class EdifactError extends Error {
  readonly code: EdifactErrorCode;
  readonly segment: SegmentLocator | null;
  readonly position: number;
  readonly detail: string;

  constructor(code: EdifactErrorCode, segment: SegmentLocator | null, position: number, detail: string) {
    const where = segment === null ? `at character ${position}` : `in segment ${segment.index} (${segment.tag}) at character ${position}`;
    super(`${detail} (${where})`);
    this.name = 'EdifactError';
    this.code = code;
    this.segment = segment;
    this.position = position;
    this.detail = detail;
  }
}

/** The service characters of an interchange, from its UNA or the ISO 9735 defaults. */
export interface ServiceCharacters {
  readonly component: string;
  readonly element: string;
  readonly decimal: string;
  /** A space means that the interchange has no release character. */
  readonly release: string;
  /** Syntax version 4's repetition separator, or a space (reserved) before it; not interpreted here. */
  readonly repetition: string;
  readonly terminator: string;
}

export const DEFAULT_SERVICE_CHARACTERS: ServiceCharacters = {
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  repetition: ' ',
  terminator: "'",
};

/** One segment: its tag, its data elements (each a list of components, unescaped), where it starts. */
export interface Segment {
  readonly tag: string;
  readonly elements: string[][];
  /** Ordinal of the segment in the text, 0-based; UNA counts when present. */
  readonly index: number;
  /** Character offset of the segment's first character in the text. */
  readonly position: number;
}

export interface Message {
  /** Message type from UNH S009, e.g. IFTSTA, CODECO, COARRI. */
  readonly type: string;
  /** Directory version and release, e.g. D95B. */
  readonly version: string;
  /** Controlling agency, e.g. UN. */
  readonly agency: string;
  /** Message reference number (UNH 0062). */
  readonly reference: string;
  /** Every segment of the message, UNH and UNT included (UNT counts them so). */
  readonly segments: Segment[];
}

export interface Interchange {
  readonly syntax: { readonly identifier: string; readonly version: string };
  readonly serviceCharacters: ServiceCharacters;
  /** Whether the text began with a UNA service string advice. */
  readonly hasServiceStringAdvice: boolean;
  readonly sender: string;
  readonly recipient: string;
  /** UNB date and time of preparation, ISO 8601 UTC (EDIFACT carries no zone here). */
  readonly preparedAt: string;
  /** Interchange control reference (UNB 0020). */
  readonly controlRef: string;
  readonly header: Segment;
  readonly messages: Message[];
  readonly trailer: Segment;
}

export interface ParseLimits {
  /** Largest accepted interchange in UTF-8 bytes; default 5 MiB. */
  readonly maxBytes?: number;
  /** Largest accepted number of segments, UNA included; default 100 000. */
  readonly maxSegments?: number;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_SEGMENTS = 100_000;

// A segment with the offset of each of its data elements, so that a problem in one element is reported where
// that element starts rather than where the segment does.
interface Token {
  readonly segment: Segment;
  readonly elementPositions: number[];
  /** Offset of the segment terminator. */
  readonly end: number;
}

const TAG = /^[A-Z][A-Z0-9]{2}$/;
const ALPHANUMERIC = /^[A-Za-z0-9]$/;

/** Reads and checks one EDIFACT interchange; throws EdifactError at the first problem. */
export function parseInterchange(text: string, limits: ParseLimits = {}): Interchange {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxSegments = limits.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  // A character takes at least one byte, so a text longer than the limit in characters is too large without
  // counting its bytes.
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new EdifactError('EDIFACT_TOO_LARGE', null, 0, `The interchange is larger than ${maxBytes} bytes`);
  }
  const { characters, start, hasUna } = readServiceStringAdvice(text);
  const tokens = readSegments(text, characters, start, hasUna ? 1 : 0, maxSegments);
  return assemble(text, tokens, characters, hasUna);
}

function readServiceStringAdvice(text: string): { characters: ServiceCharacters; start: number; hasUna: boolean } {
  if (!text.startsWith('UNA')) return { characters: DEFAULT_SERVICE_CHARACTERS, start: 0, hasUna: false };
  const una: SegmentLocator = { index: 0, tag: 'UNA' };
  if (text.length < 9) {
    throw new EdifactError('EDIFACT_UNTERMINATED', una, text.length, 'The service string advice needs six characters after UNA');
  }
  const characters: ServiceCharacters = {
    component: text.charAt(3),
    element: text.charAt(4),
    decimal: text.charAt(5),
    release: text.charAt(6),
    repetition: text.charAt(7),
    terminator: text.charAt(8),
  };
  const active: [string, number][] = [
    [characters.component, 3],
    [characters.element, 4],
    [characters.terminator, 8],
  ];
  if (characters.release !== ' ') active.push([characters.release, 6]);
  if (characters.repetition !== ' ') active.push([characters.repetition, 7]);
  const seen = new Set<string>();
  for (const [character, position] of active) {
    if (ALPHANUMERIC.test(character) || character === ' ' || character === '\r' || character === '\n') {
      throw new EdifactError('EDIFACT_SYNTAX', una, position, `"${character}" cannot be a service character`);
    }
    if (seen.has(character)) {
      throw new EdifactError('EDIFACT_SYNTAX', una, position, `"${character}" is given for two service characters`);
    }
    seen.add(character);
  }
  if (characters.decimal !== '.' && characters.decimal !== ',') {
    throw new EdifactError('EDIFACT_SYNTAX', una, 5, `The decimal mark must be "." or ",", not "${characters.decimal}"`);
  }
  return { characters, start: 9, hasUna: true };
}

function* readSegments(text: string, characters: ServiceCharacters, start: number, firstIndex: number, maxSegments: number): Generator<Token> {
  const { component, element, terminator } = characters;
  const release = characters.release === ' ' ? undefined : characters.release;
  let index = firstIndex;
  let i = start;
  for (;;) {
    // Line breaks between segments are common in files written for people to read; they carry nothing.
    while (i < text.length && (text.charAt(i) === '\r' || text.charAt(i) === '\n')) i += 1;
    if (i >= text.length) return;
    const segmentStart = i;
    if (index >= maxSegments) {
      throw new EdifactError('EDIFACT_TOO_LARGE', { index, tag: text.slice(i, i + 3) }, i, `The interchange has more than ${maxSegments} segments`);
    }
    const elements: string[][] = [];
    const elementPositions: number[] = [];
    let components: string[] = [];
    let value = '';
    let runStart = i;
    let elementStart = i;
    let terminated = false;
    while (i < text.length) {
      const character = text.charAt(i);
      if (character === release) {
        if (i + 1 >= text.length) break;
        value += text.slice(runStart, i) + text.charAt(i + 1);
        i += 2;
        runStart = i;
        continue;
      }
      if (character === component || character === element || character === terminator) {
        components.push(value + text.slice(runStart, i));
        value = '';
        runStart = i + 1;
        if (character !== component) {
          elements.push(components);
          elementPositions.push(elementStart);
          components = [];
          elementStart = i + 1;
        }
        if (character === terminator) {
          terminated = true;
          i += 1;
          break;
        }
      }
      i += 1;
    }
    const tagElement = elements.shift() ?? [text.slice(segmentStart, Math.min(i, segmentStart + 3))];
    elementPositions.shift();
    const tag = tagElement.join(component);
    if (!terminated) {
      throw new EdifactError('EDIFACT_UNTERMINATED', { index, tag }, segmentStart, 'The text ends inside a segment: no segment terminator');
    }
    if (tagElement.length !== 1 || !TAG.test(tag)) {
      throw new EdifactError('EDIFACT_SYNTAX', { index, tag }, segmentStart, `"${tag}" is not a segment tag`);
    }
    yield { segment: { tag, elements, index, position: segmentStart }, elementPositions, end: i - 1 };
    index += 1;
  }
}

function locate(segment: Segment): SegmentLocator {
  return { index: segment.index, tag: segment.tag };
}

// The offset of a data element, or of the segment's end when the element is missing.
function elementPosition(token: Token, element: number): number {
  return token.elementPositions[element] ?? token.end;
}

function value(segment: Segment, element: number, componentIndex = 0): string {
  return segment.elements[element]?.[componentIndex] ?? '';
}

function assemble(text: string, tokens: Generator<Token>, characters: ServiceCharacters, hasUna: boolean): Interchange {
  const first = tokens.next();
  if (first.done === true) {
    throw new EdifactError('EDIFACT_ENVELOPE', null, text.length, 'The text holds no interchange: UNB is missing');
  }
  const headerToken = first.value;
  const header = headerToken.segment;
  if (header.tag !== 'UNB') {
    throw new EdifactError('EDIFACT_ENVELOPE', locate(header), header.position, `An interchange starts with UNB, not ${header.tag}`);
  }
  const fail = (token: Token, element: number, detail: string, code: EdifactErrorCode = 'EDIFACT_ENVELOPE'): never => {
    throw new EdifactError(code, locate(token.segment), elementPosition(token, element), detail);
  };
  const syntaxIdentifier = value(header, 0, 0);
  const syntaxVersion = value(header, 0, 1);
  if (!/^UNO[A-Z]$/.test(syntaxIdentifier) || !/^[1-4]$/.test(syntaxVersion)) {
    fail(headerToken, 0, `UNB syntax identifier "${syntaxIdentifier}:${syntaxVersion}" is not UNOx:1-4`);
  }
  const sender = value(header, 1);
  if (sender === '') fail(headerToken, 1, 'UNB has no interchange sender');
  const recipient = value(header, 2);
  if (recipient === '') fail(headerToken, 2, 'UNB has no interchange recipient');
  const preparedAt = preparationTime(value(header, 3, 0), value(header, 3, 1));
  if (preparedAt === undefined) fail(headerToken, 3, 'UNB date and time of preparation must be YYMMDD (or CCYYMMDD) and HHMM');
  const controlRef = value(header, 4);
  if (controlRef === '') fail(headerToken, 4, 'UNB has no interchange control reference');

  const messages: Message[] = [];
  let trailer: Segment | undefined;
  let open: { token: Token; segments: Segment[] } | undefined;
  let last: Segment = header;
  for (const token of tokens) {
    const segment = token.segment;
    last = segment;
    if (trailer !== undefined) {
      throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position, `${segment.tag} follows the interchange trailer UNZ`);
    }
    if (open !== undefined) {
      if (segment.tag === 'UNT') {
        open.segments.push(segment);
        messages.push(closeMessage(open.token, open.segments, token, fail));
        open = undefined;
        continue;
      }
      if (segment.tag.startsWith('UN') && segment.tag !== 'UNS') {
        throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position,
          `Message ${value(open.token.segment, 0)} (UNH at segment ${open.token.segment.index}) is not closed by UNT before ${segment.tag}`);
      }
      open.segments.push(segment);
      continue;
    }
    switch (segment.tag) {
      case 'UNH':
        open = { token, segments: [segment] };
        break;
      case 'UNZ': {
        const count = value(segment, 0);
        if (!/^\d+$/.test(count) || Number(count) !== messages.length) {
          fail(token, 0, `UNZ counts ${count === '' ? 'nothing' : count} message(s); the interchange has ${messages.length}`, 'EDIFACT_COUNT_MISMATCH');
        }
        if (value(segment, 1) !== controlRef) {
          fail(token, 1, `UNZ control reference "${value(segment, 1)}" differs from UNB's "${controlRef}"`, 'EDIFACT_REFERENCE_MISMATCH');
        }
        trailer = segment;
        break;
      }
      case 'UNG':
        throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position, 'Functional groups (UNG ... UNE) are not accepted; send messages directly in the interchange');
      default:
        throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position, `${segment.tag} stands outside a message (UNH ... UNT)`);
    }
  }
  if (open !== undefined) {
    throw new EdifactError('EDIFACT_UNTERMINATED', locate(last), text.length,
      `The text ends inside message ${value(open.token.segment, 0)}: UNT and UNZ are missing`);
  }
  if (trailer === undefined) {
    throw new EdifactError('EDIFACT_UNTERMINATED', locate(last), text.length, 'The text ends before the interchange trailer UNZ');
  }
  return {
    syntax: { identifier: syntaxIdentifier, version: syntaxVersion },
    serviceCharacters: characters,
    hasServiceStringAdvice: hasUna,
    sender,
    recipient,
    preparedAt: preparedAt ?? '',
    controlRef,
    header,
    messages,
    trailer,
  };
}

function closeMessage(
  headerToken: Token,
  segments: Segment[],
  trailerToken: Token,
  fail: (token: Token, element: number, detail: string, code?: EdifactErrorCode) => never,
): Message {
  const header = headerToken.segment;
  const reference = value(header, 0);
  if (reference === '') fail(headerToken, 0, 'UNH has no message reference number');
  const type = value(header, 1, 0);
  if (!/^[A-Z]{6}$/.test(type)) fail(headerToken, 1, `UNH message type "${type}" is not six letters`);
  const directory = value(header, 1, 1);
  const release = value(header, 1, 2);
  const agency = value(header, 1, 3);
  if (directory === '' || release === '' || agency === '') {
    fail(headerToken, 1, 'UNH message identifier needs type, version, release and controlling agency');
  }
  const trailer = trailerToken.segment;
  const count = value(trailer, 0);
  if (!/^\d+$/.test(count) || Number(count) !== segments.length) {
    fail(trailerToken, 0, `UNT counts ${count === '' ? 'nothing' : count} segment(s); message ${reference} has ${segments.length}`, 'EDIFACT_COUNT_MISMATCH');
  }
  if (value(trailer, 1) !== reference) {
    fail(trailerToken, 1, `UNT message reference "${value(trailer, 1)}" differs from UNH's "${reference}"`, 'EDIFACT_REFERENCE_MISMATCH');
  }
  return { type, version: `${directory}${release}`, agency, reference, segments };
}

// UNB carries YYMMDD up to syntax version 3 and CCYYMMDD from version 4, with HHMM; no time zone is given,
// so the time is read as UTC.
function preparationTime(date: string, time: string): string | undefined {
  let year: number;
  let rest: string;
  if (/^\d{8}$/.test(date)) {
    year = Number(date.slice(0, 4));
    rest = date.slice(4);
  } else if (/^\d{6}$/.test(date)) {
    year = 2000 + Number(date.slice(0, 2));
    rest = date.slice(2);
  } else {
    return undefined;
  }
  if (!/^\d{4}$/.test(time)) return undefined;
  const month = Number(rest.slice(0, 2));
  const day = Number(rest.slice(2, 4));
  const hour = Number(time.slice(0, 2));
  const minute = Number(time.slice(2, 4));
  const instant = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (instant.getUTCMonth() !== month - 1 || instant.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  return instant.toISOString().replace('.000Z', 'Z');
}
