/**
 * Replacement and cancellation (EDIFACT BGM 1225), whatever path an event came in by: what the log says of each event
 * of one document, a pure function of the document's events as stored, so every read (timeline, streams,
 * subscriptions) and every projection (ingest, rebuild, verify) agrees.
 *
 * A document is one publisher's document id in one tenant. Its events come in versions (the events of one function
 * stored by one ingest). Then:
 *
 *   any cancellation ──▶ every other event of the document is retracted by the first cancellation stored,
 *                        whenever it arrived (a cancelled document stays cancelled: an original that comes after
 *                        its cancellation is retracted on arrival); cancellations are retractions, never movements
 *   else a replacement ─▶ the last replacement stored is in force; every other event (the original, earlier
 *                        replacements, an original that arrives late) is superseded by it
 *   else ──────────────▶ every event is in force
 *
 * Each replacement or cancellation names the events stored before it that it supersedes or retracts (`replaces`),
 * so a consumer that got them learns it from the new event alone; an event that arrives already superseded or
 * retracted carries `supersededBy` / `retractedBy`. Another publisher's events are a different document.
 */
import type { DocumentFunction } from './tracking.schema.js';

/** One stored event of a document, as the resolution needs it. */
export interface DocumentMember {
  readonly eventId: string;
  readonly seq: number;
  readonly function: DocumentFunction;
  /** When it was stored: events of one function stored together are one version. */
  readonly receivedAt: string;
}

/** What the log makes of one event of a document (nothing when it is in force and replaces nothing). */
export interface DocumentMarks {
  supersededBy?: string;
  retractedBy?: string;
  replaces?: string[];
}

/** The identity of a document: tenant, publisher and the sender's document id. */
export function documentKey(tenant: string, publisher: string, documentId: string): string {
  return `${tenant}\n${publisher}\n${documentId}`;
}

/** The marks of every event of one document, by eventId (events with none are left out). */
export function resolveDocument(members: readonly DocumentMember[]): Map<string, DocumentMarks> {
  const ordered = [...members].sort((a, b) => a.seq - b.seq);
  const versionOf = (member: DocumentMember) => `${member.function}\n${member.receivedAt}`;
  const firstOfVersion = new Map<string, DocumentMember>();
  for (const member of ordered) if (!firstOfVersion.has(versionOf(member))) firstOfVersion.set(versionOf(member), member);
  const marks = new Map<string, DocumentMarks>();
  const mark = (eventId: string): DocumentMarks => {
    const held = marks.get(eventId) ?? {};
    marks.set(eventId, held);
    return held;
  };

  const cancellations = ordered.filter((member) => member.function === 'cancellation');
  const replacements = ordered.filter((member) => member.function === 'replacement');
  const firstCancellation = cancellations[0];
  const inForce = replacements.at(-1) === undefined ? undefined : firstOfVersion.get(versionOf(replacements.at(-1) as DocumentMember));

  let previousCancellation = 0;
  for (const member of ordered) {
    if (member.function === 'cancellation') {
      // Each cancellation names what it retracts that no earlier cancellation had.
      const retracted = ordered.filter((other) => other.function !== 'cancellation' && other.seq < member.seq && other.seq > previousCancellation).map((other) => other.eventId);
      previousCancellation = member.seq;
      mark(member.eventId).replaces = retracted;
      continue;
    }
    if (member.function === 'replacement') {
      const version = versionOf(member);
      const first = firstOfVersion.get(version)?.seq ?? member.seq;
      mark(member.eventId).replaces = ordered.filter((other) => other.function !== 'cancellation' && other.seq < first && versionOf(other) !== version).map((other) => other.eventId);
    }
    if (firstCancellation !== undefined) mark(member.eventId).retractedBy = firstCancellation.eventId;
    else if (inForce !== undefined && versionOf(member) !== versionOf(inForce)) mark(member.eventId).supersededBy = inForce.eventId;
  }
  return marks;
}

/** Whether an event counts for the current state: not superseded, not retracted, not itself a cancellation. */
export function inForce(event: { document?: { function: DocumentFunction } | undefined; supersededBy?: string | undefined; retractedBy?: string | undefined }): boolean {
  return event.supersededBy === undefined && event.retractedBy === undefined && event.document?.function !== 'cancellation';
}
