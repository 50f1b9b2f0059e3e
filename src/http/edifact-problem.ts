import { EdifactError } from '../formats/edifact/tokenizer.js';
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
