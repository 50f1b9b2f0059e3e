import { EdifactError } from '../formats/edifact/tokenizer.js';
import { XmlError } from '../formats/xml/reader.js';
import { KouanError } from '../shared/errors.js';

/** Runs `read` over an interchange; an EDIFACT syntax problem becomes its problem+json, naming the segment and character. */
export function readingEdifact<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof EdifactError)) throw error;
    const where = error.segment === null ? `character ${error.position}` : `segment ${error.segment.index} (${error.segment.tag}), character ${error.position}`;
    throw new KouanError(error.code, {
      params: { detail: error.detail, where },
      extra: { segment: error.segment === null ? null : { index: error.segment.index, tag: error.segment.tag }, position: error.position },
    });
  }
}

/** Runs `read` over an XML message; a problem with its bytes or syntax becomes its problem+json, naming the line and column. */
export function readingXml<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    throw new KouanError(error.code, { params: { detail: error.detail, where: `line ${String(error.line)}, column ${String(error.column)}` }, extra: { line: error.line, column: error.column } });
  }
}
