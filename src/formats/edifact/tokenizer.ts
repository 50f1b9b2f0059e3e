// The project's own UN/EDIFACT reader (ISO 9735 syntax versions 1 to 4, character-level): it honours the
// service string advice (UNA), decodes bytes by the UNB syntax identifier, splits segments, data elements
// (repetitions from version 4) and components with the release character, and checks the interchange envelope
// (UNB ... UNZ), each functional group (UNG ... UNE) and each message (UNH ... UNT) before anything is mapped.
// Everything is refused at the first problem, with the segment and the character offset where it lies, so
// that a sender can find it in the file they sent.

export type EdifactErrorCode =
  | 'EDIFACT_TOO_LARGE'
  | 'EDIFACT_SYNTAX'
  | 'EDIFACT_UNTERMINATED'
  | 'EDIFACT_ENVELOPE'
  | 'EDIFACT_COUNT_MISMATCH'
  | 'EDIFACT_REFERENCE_MISMATCH'
  | 'EDIFACT_CHARSET';

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
  /** Syntax version 4's repetition separator (default `*`); a space (reserved) before version 4, where it is not interpreted. */
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

/** ISO 9735-1 (syntax version 4) defaults: the same, with `*` as the repetition separator. */
export const VERSION_4_SERVICE_CHARACTERS: ServiceCharacters = { ...DEFAULT_SERVICE_CHARACTERS, repetition: '*' };

/** One segment: its tag, its data elements (each a list of components, unescaped), where it starts. */
export interface Segment {
  readonly tag: string;
  readonly elements: string[][];
  /**
   * Syntax version 4 only, and only when some data element of the segment is repeated: every occurrence of each
   * data element (each a list of components). `elements` then holds the first occurrence of each.
   */
  readonly repetitions?: string[][][];
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

/** A functional group (UNG ... UNE) and the messages in it. */
export interface Group {
  /** Message group identification (UNG 0038), e.g. IFTSTA; may be empty in syntax version 4. */
  readonly type: string;
  /** Group reference number (UNG 0048). */
  readonly reference: string;
  readonly header: Segment;
  readonly messages: Message[];
  readonly trailer: Segment;
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
  /** Every message of the interchange, those in functional groups included, in order. */
  readonly messages: Message[];
  /** The functional groups, when the interchange has them (then every message is in one); empty otherwise. */
  readonly groups: Group[];
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

export interface ParseOptions {
  /**
   * The `charset` parameter of the Content-Type, when the bytes came with one. It must agree with the UNB syntax
   * identifier (EDIFACT_CHARSET otherwise): a sender that contradicts itself is told so rather than guessed at.
   */
  readonly charset?: string;
}

/**
 * Reads and checks one EDIFACT interchange; throws EdifactError at the first problem. Bytes are decoded by the
 * UNB syntax identifier (see decodeInterchange); a string is taken as already decoded. Positions count characters
 * of the decoded text after a leading byte order mark.
 */
export function parseInterchange(input: string | Uint8Array, limits: ParseLimits = {}, options: ParseOptions = {}): Interchange {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxSegments = limits.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  let text: string;
  if (typeof input === 'string') {
    // A character takes at least one byte, so a text longer than the limit in characters is too large without
    // counting its bytes.
    if (input.length > maxBytes || Buffer.byteLength(input, 'utf8') > maxBytes) {
      throw new EdifactError('EDIFACT_TOO_LARGE', null, 0, `The interchange is larger than ${maxBytes} bytes`);
    }
    // Windows tools write a byte order mark; it is accepted at the very start only.
    text = input.startsWith('\uFEFF') ? input.slice(1) : input;
    if (options.charset !== undefined) charsetFor(syntaxIdentifierOf(text).identifier, options.charset);
  } else {
    if (input.length > maxBytes) {
      throw new EdifactError('EDIFACT_TOO_LARGE', null, 0, `The interchange is larger than ${maxBytes} bytes`);
    }
    text = decodeInterchange(input, options.charset);
  }
  const prefix = syntaxIdentifierOf(text);
  checkRepertoire(text, prefix.identifier);
  const advice = readServiceStringAdvice(text);
  const { start, hasUna } = advice;
  let characters = advice.characters;
  // Version 4 gives the repetition separator a default; before it UNA position 5 is reserved and not read.
  if (prefix.version === '4') {
    if (!hasUna) characters = VERSION_4_SERVICE_CHARACTERS;
  } else if (hasUna && characters.repetition !== ' ') {
    characters = { ...characters, repetition: ' ' };
  }
  const tokens = readSegments(text, characters, start, hasUna ? 1 : 0, maxSegments);
  return assemble(text, tokens, characters, hasUna);
}

// Syntax identifier (UNB S001 0001) -> how its bytes are decoded, and the family of Content-Type charsets that
// agrees with it (see charsetFamily). 8859-1 is decoded by Node itself, since the WHATWG label "iso-8859-1" means
// windows-1252; windows-1254 equals 8859-9 once C1 controls are refused (the repertoire check does). UNOX (ISO 2022
// code extension) and national identifiers such as KECA are refused.
type Decoding = ({ readonly kind: 'ascii' } | { readonly kind: 'latin1' } | { readonly kind: 'label'; readonly label: string }) & { readonly family: string };
const DECODINGS: ReadonlyMap<string, Decoding> = new Map<string, Decoding>([
  ['UNOA', { kind: 'ascii', family: 'ascii' }],
  ['UNOB', { kind: 'ascii', family: 'ascii' }],
  ['UNOC', { kind: 'latin1', family: '8859-1' }],
  ['UNOD', { kind: 'label', label: 'iso-8859-2', family: '8859-2' }],
  ['UNOE', { kind: 'label', label: 'iso-8859-5', family: '8859-5' }],
  ['UNOF', { kind: 'label', label: 'iso-8859-7', family: '8859-7' }],
  ['UNOG', { kind: 'label', label: 'iso-8859-3', family: '8859-3' }],
  ['UNOH', { kind: 'label', label: 'iso-8859-4', family: '8859-4' }],
  ['UNOI', { kind: 'label', label: 'iso-8859-6', family: '8859-6' }],
  ['UNOJ', { kind: 'label', label: 'iso-8859-8', family: '8859-8' }],
  ['UNOK', { kind: 'label', label: 'windows-1254', family: '8859-9' }],
  ['UNOW', { kind: 'label', label: 'utf-8', family: 'utf-8' }],
  ['UNOY', { kind: 'label', label: 'utf-8', family: 'utf-8' }],
]);

// The charset names (RFC 2046 / IANA, lower case, common aliases) that agree with each decoding.
function charsetFamily(charset: string): string | undefined {
  const name = charset.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  if (name === 'utf-8' || name === 'utf8') return 'utf-8';
  if (name === 'us-ascii' || name === 'ascii') return 'ascii';
  if (name === 'latin1' || name === 'l1') return '8859-1';
  const iso = /^iso[-_ ]?8859[-_ ]?(\d{1,2})(?::\d+)?$/.exec(name);
  return iso === null ? undefined : `8859-${iso[1] ?? ''}`;
}

// Checks a Content-Type charset against the syntax identifier, and returns its family. Levels A and B are ASCII,
// which every supported charset contains, so any of them agrees; any other level wants its own charset.
function charsetFor(identifier: string, charset: string): string {
  const family = charsetFamily(charset);
  if (family === undefined) {
    throw new EdifactError('EDIFACT_CHARSET', null, 0, `The Content-Type charset "${charset}" is not one an interchange can use`);
  }
  const wanted = DECODINGS.get(identifier)?.family;
  if (wanted !== undefined && wanted !== 'ascii' && wanted !== family) {
    throw new EdifactError('EDIFACT_CHARSET', null, 0, `The Content-Type charset "${charset}" contradicts the UNB syntax identifier ${identifier}`);
  }
  return family;
}

/**
 * Decodes the bytes of an interchange by its UNB syntax identifier, after a UTF-8 byte order mark if any. The
 * UNA/UNB prefix is ASCII in every supported repertoire, so the identifier is read from the raw bytes first.
 * Bytes that are not valid in the declared repertoire are refused (EDIFACT_SYNTAX, with the byte offset).
 */
export function decodeInterchange(bytes: Uint8Array, charset?: string): string {
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const prefix = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, 512)).toString('latin1');
  // The syntax identifier is found through the UNA characters before anything is decoded, so they must be the
  // same in every repertoire: ASCII (a multi-byte UTF-8 separator would otherwise hide UNB from this reading).
  if (prefix.startsWith('UNA')) {
    const offset = EIGHT_BIT.exec(prefix.slice(0, 9))?.index;
    if (offset !== undefined) {
      throw new EdifactError('EDIFACT_SYNTAX', { index: 0, tag: 'UNA' }, offset, 'The service characters in UNA must be ASCII characters');
    }
  }
  const { identifier } = syntaxIdentifierOf(prefix);
  const family = charset === undefined ? undefined : charsetFor(identifier, charset);
  // An identifier that is missing or unknown is reported by the envelope check on text decoded as UTF-8 or by
  // the charset given; the identifier itself is ASCII either way.
  const fallback: Decoding = family === '8859-1' ? { kind: 'latin1', family } : { kind: 'label', label: 'utf-8', family: 'utf-8' };
  const decoding = DECODINGS.get(identifier) ?? fallback;
  const view = Buffer.from(body.buffer, body.byteOffset, body.length);
  if (decoding.kind === 'ascii' || decoding.kind === 'latin1') {
    // Latin-1 maps each byte to the character of the same number, so an offset in the text is one in the bytes.
    const text = view.toString('latin1');
    const offset = decoding.kind === 'ascii' ? EIGHT_BIT.exec(text)?.index : undefined;
    if (offset !== undefined) {
      throw new EdifactError('EDIFACT_SYNTAX', null, offset,
        `Byte 0x${(view[offset] ?? 0).toString(16).toUpperCase()} is not in syntax level ${identifier.charAt(3)} (${identifier}), which is 7-bit ASCII`);
    }
    return text;
  }
  try {
    return new TextDecoder(decoding.label, { fatal: true, ignoreBOM: true }).decode(view);
  } catch {
    const offset = firstUndecodable(view, decoding.label);
    throw new EdifactError('EDIFACT_SYNTAX', null, offset,
      `The bytes at offset ${offset} are not valid ${decoding.label === 'windows-1254' ? 'ISO 8859-9' : decoding.label.toUpperCase()}, which ${identifier === '' ? 'the interchange' : identifier} declares`);
  }
}

const EIGHT_BIT = /[\u0080-\uFFFF]/;

// The offset of the first byte a decoder refuses: the longest prefix that decodes, found by halving.
function firstUndecodable(bytes: Buffer, label: string): number {
  const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    try {
      decoder.decode(bytes.subarray(0, middle));
      good = middle;
    } catch {
      bad = middle;
    }
  }
  return good;
}

// UNB S001 read from the text's first characters (after UNA when present), before any segment is tokenized:
// the repertoire and the syntax version decide how the rest is read. Empty strings when it cannot be found.
function syntaxIdentifierOf(text: string): { identifier: string; version: string } {
  let i = 0;
  let element = '+';
  let component = ':';
  if (text.startsWith('UNA') && text.length >= 9) {
    component = text.charAt(3);
    element = text.charAt(4);
    i = 9;
  }
  while (text.charAt(i) === '\r' || text.charAt(i) === '\n') i += 1;
  if (!text.startsWith('UNB', i) || text.charAt(i + 3) !== element) return { identifier: '', version: '' };
  const identifier = text.slice(i + 4, i + 8);
  const version = text.charAt(i + 8) === component ? text.charAt(i + 9) : '';
  return { identifier, version };
}

// Levels A and B are 7-bit (ISO 646 basic table): a character beyond it is refused. Level A strictly leaves out
// lower case letters and some signs (@ # [ ] ...), but real senders declare UNOA and write them anyway (names,
// free text, e-mail addresses in COM), and what they mean is never in doubt in ASCII: so both levels take the
// printable ASCII characters. Line breaks are let through because files written for people put them between
// segments. Every level refuses control characters (C0 but line breaks, DEL, C1), which no repertoire's
// graphic set holds.
const LEVEL_AB_REFUSED = /[^\u0020-\u007E\r\n]/;
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

function checkRepertoire(text: string, identifier: string): void {
  const refused = identifier === 'UNOA' || identifier === 'UNOB' ? LEVEL_AB_REFUSED : CONTROL;
  const found = refused.exec(text);
  if (found === null) return;
  const character = found[0];
  const code = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const shown = CONTROL.test(character) ? code : `"${character}" (${code})`;
  const level = CONTROL.test(character) ? 'an interchange (a control character)' : `syntax level ${identifier.charAt(3)} (${identifier}), which is 7-bit ASCII`;
  throw new EdifactError('EDIFACT_SYNTAX', null, found.index, `The character ${shown} is not allowed in ${level}`);
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
  const repetition = characters.repetition === ' ' ? undefined : characters.repetition;
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
    // Occurrences of the current data element before the current one (version 4 repetition), and of every element.
    let occurrences: string[][] = [];
    let repeated: string[][][] | undefined;
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
      if (character === component || character === element || character === terminator || character === repetition) {
        components.push(value + text.slice(runStart, i));
        value = '';
        runStart = i + 1;
        if (character === repetition) {
          // The tag is not a data element and cannot repeat; the tag check below refuses it.
          occurrences.push(components);
          components = [];
          repeated ??= elements.map((first) => [first]);
        } else if (character !== component) {
          occurrences.push(components);
          elements.push(occurrences[0] ?? components);
          repeated?.push(occurrences);
          elementPositions.push(elementStart);
          occurrences = [];
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
    const tagRepeated = repeated?.shift();
    const tag = tagRepeated !== undefined && tagRepeated.length > 1 ? tagRepeated.map((part) => part.join(component)).join(repetition ?? '') : tagElement.join(component);
    if (!terminated) {
      throw new EdifactError('EDIFACT_UNTERMINATED', { index, tag }, segmentStart, 'The text ends inside a segment: no segment terminator');
    }
    if (tagElement.length !== 1 || !TAG.test(tag)) {
      throw new EdifactError('EDIFACT_SYNTAX', { index, tag }, segmentStart, `"${tag}" is not a segment tag`);
    }
    const segment: Segment = repeated === undefined ? { tag, elements, index, position: segmentStart } : { tag, elements, repetitions: repeated, index, position: segmentStart };
    yield { segment, elementPositions, end: i - 1 };
    index += 1;
  }
}

// ISO 9735 version 4 service segments outside batch messages (parts 3, 5, 6, 7, 8): interactive exchanges,
// objects and packages, security. Inside a message (security header and trailer around its body) they are kept
// as its segments, and the mapper passes over them like any segment it does not read.
const V4_SERVICE_SEGMENTS: ReadonlyMap<string, string> = new Map([
  ['UIB', 'interactive interchange header'], ['UIZ', 'interactive interchange trailer'], ['UIH', 'interactive message header'],
  ['UIT', 'interactive message trailer'], ['UGH', 'anti-collision segment group header'], ['UGT', 'anti-collision segment group trailer'],
  ['UNO', 'object header'], ['UNP', 'object trailer'], ['USH', 'security header'], ['UST', 'security trailer'],
  ['USA', 'security algorithm'], ['USC', 'certificate'], ['USB', 'secured data identification'], ['USX', 'security references'],
  ['USY', 'security on references'], ['USD', 'data encryption header'], ['USU', 'data encryption trailer'], ['USR', 'security result'],
]);

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
  if (!DECODINGS.has(syntaxIdentifier) || !/^[1-4]$/.test(syntaxVersion)) {
    fail(headerToken, 0, `UNB syntax identifier "${syntaxIdentifier}:${syntaxVersion}" is not one of ${[...DECODINGS.keys()].join(', ')} with version 1-4` +
      (syntaxIdentifier === 'UNOX' ? ' (ISO 2022 code extension is not supported)' : ''));
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
  const groups: Group[] = [];
  let bareMessages = 0;
  let trailer: Segment | undefined;
  let open: { token: Token; segments: Segment[] } | undefined;
  let group: { token: Token; messages: Message[] } | undefined;
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
        const message = closeMessage(open.token, open.segments, token, fail);
        messages.push(message);
        if (group === undefined) bareMessages += 1;
        else group.messages.push(message);
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
        // ISO 9735: an interchange holds either functional groups only or messages only.
        if (group === undefined && groups.length > 0) {
          throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position,
            'A message stands outside a functional group in an interchange that has groups; an interchange holds groups only or messages only');
        }
        open = { token, segments: [segment] };
        break;
      case 'UNG':
        if (group !== undefined) {
          throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position,
            `Functional group ${value(group.token.segment, 4)} (UNG at segment ${group.token.segment.index}) is not closed by UNE before UNG`);
        }
        if (bareMessages > 0) {
          throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position,
            'A functional group follows messages outside any group; an interchange holds groups only or messages only');
        }
        if (value(segment, 4) === '') fail(token, 4, 'UNG has no group reference number (0048)');
        group = { token, messages: [] };
        break;
      case 'UNE': {
        if (group === undefined) {
          throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position, 'UNE closes no functional group (UNG is missing)');
        }
        const reference = value(group.token.segment, 4);
        const count = value(segment, 0);
        if (!/^\d+$/.test(count) || Number(count) !== group.messages.length) {
          fail(token, 0, `UNE counts ${count === '' ? 'nothing' : count} message(s); group ${reference} has ${group.messages.length}`, 'EDIFACT_COUNT_MISMATCH');
        }
        if (value(segment, 1) !== reference) {
          fail(token, 1, `UNE group reference "${value(segment, 1)}" differs from UNG's "${reference}"`, 'EDIFACT_REFERENCE_MISMATCH');
        }
        groups.push({ type: value(group.token.segment, 0), reference, header: group.token.segment, messages: group.messages, trailer: segment });
        group = undefined;
        break;
      }
      case 'UNZ': {
        if (group !== undefined) {
          throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position,
            `Functional group ${value(group.token.segment, 4)} (UNG at segment ${group.token.segment.index}) is not closed by UNE before UNZ`);
        }
        // UNZ 0036 counts the groups when there are any, the messages otherwise (ISO 9735).
        const counted = groups.length > 0 ? groups.length : messages.length;
        const what = groups.length > 0 ? 'functional group(s)' : 'message(s)';
        const count = value(segment, 0);
        if (!/^\d+$/.test(count) || Number(count) !== counted) {
          fail(token, 0, `UNZ counts ${count === '' ? 'nothing' : count} ${what}; the interchange has ${counted}`, 'EDIFACT_COUNT_MISMATCH');
        }
        if (value(segment, 1) !== controlRef) {
          fail(token, 1, `UNZ control reference "${value(segment, 1)}" differs from UNB's "${controlRef}"`, 'EDIFACT_REFERENCE_MISMATCH');
        }
        trailer = segment;
        break;
      }
      default: {
        // Syntax version 4 service segments that carry no batch message: refused by name, not misread.
        const refusedService = V4_SERVICE_SEGMENTS.get(segment.tag);
        throw new EdifactError('EDIFACT_ENVELOPE', locate(segment), segment.position, refusedService !== undefined
          ? `${segment.tag} (${refusedService}) is not accepted: only batch messages (UNH ... UNT), optionally in functional groups, are read`
          : `${segment.tag} stands outside a message (UNH ... UNT)`);
      }
    }
  }
  if (open !== undefined) {
    throw new EdifactError('EDIFACT_UNTERMINATED', locate(last), text.length,
      `The text ends inside message ${value(open.token.segment, 0)}: UNT and UNZ are missing`);
  }
  if (group !== undefined) {
    throw new EdifactError('EDIFACT_UNTERMINATED', locate(last), text.length,
      `The text ends inside functional group ${value(group.token.segment, 4)}: UNE and UNZ are missing`);
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
    groups,
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
