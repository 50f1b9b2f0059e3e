import type { Interchange, Segment, ServiceCharacters } from './tokenizer.js';
import { DEFAULT_SERVICE_CHARACTERS } from './tokenizer.js';

export interface PrintOptions {
  /** Put a line break after each segment terminator, for people to read; the reader skips them. */
  readonly lineBreaks?: boolean;
}

/** Writes an interchange back as EDIFACT text, escaping service characters in values with the release character. */
export function printInterchange(interchange: Interchange, options: PrintOptions = {}): string {
  const characters = interchange.serviceCharacters;
  const separator = options.lineBreaks === true ? '\n' : '';
  const body = interchange.groups.length > 0
    ? interchange.groups.flatMap((group) => [group.header, ...group.messages.flatMap((message) => message.segments), group.trailer])
    : interchange.messages.flatMap((message) => message.segments);
  const segments: Segment[] = [interchange.header, ...body, interchange.trailer];
  const printed = segments.map((segment) => printSegment(segment, characters) + separator).join('');
  return (needsServiceStringAdvice(interchange) ? serviceStringAdvice(characters) + separator : '') + printed;
}

/** Writes one segment, terminator included. */
export function printSegment(segment: Segment, characters: ServiceCharacters): string {
  const printComponents = (components: string[]): string => components.map((component) => escapeValue(component, characters)).join(characters.component);
  // Repeated data elements (syntax version 4) are written with the repetition separator between occurrences.
  const elements = segment.repetitions !== undefined && characters.repetition !== ' '
    // The first occurrence is taken from `elements`, so that a value edited there after parsing is what is written.
    ? segment.repetitions.map((occurrences, index) => [segment.elements[index] ?? [], ...occurrences.slice(1)].map(printComponents).join(characters.repetition))
    : segment.elements.map(printComponents);
  return [segment.tag, ...elements].join(characters.element) + characters.terminator;
}

function needsServiceStringAdvice(interchange: Interchange): boolean {
  if (interchange.hasServiceStringAdvice) return true;
  const characters = interchange.serviceCharacters;
  return (Object.keys(DEFAULT_SERVICE_CHARACTERS) as (keyof ServiceCharacters)[]).some((key) => characters[key] !== DEFAULT_SERVICE_CHARACTERS[key]);
}

function serviceStringAdvice(characters: ServiceCharacters): string {
  return `UNA${characters.component}${characters.element}${characters.decimal}${characters.release}${characters.repetition}${characters.terminator}`;
}

function escapeValue(value: string, characters: ServiceCharacters): string {
  const special = [characters.component, characters.element, characters.terminator, characters.release];
  if (characters.repetition !== ' ') special.push(characters.repetition);
  let escaped = '';
  for (const character of value) {
    if (characters.release !== ' ' && special.includes(character)) {
      escaped += characters.release + character;
    } else if (characters.release === ' ' && special.includes(character) && character !== ' ') {
      // Without a release character a separator inside a value cannot be written at all.
      throw new Error(`"${character}" cannot be written in a value: the interchange has no release character`);
    } else {
      escaped += character;
    }
  }
  return escaped;
}
