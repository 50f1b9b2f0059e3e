// DCSA events into Kouan's log: each event mapped on its own (dcsa.mapper.ts), the mapped ones through the one
// ingest every event takes (publisher roles, ties, check digits, idempotency: tracking.service.ts), and one answer
// in request order whose problems name DCSA's fields.

import type { Principal } from '../../modules/parties/index.js';
import type { IngestResponse, IngestResult, TrackingService } from '../../modules/tracking/index.js';
import { dcsaPathOf, mapDcsa22Event, mapDcsa30Event, type DcsaMapping, type DcsaVersion } from './dcsa.mapper.js';
import type { DcsaIngestResponse, FeedbackElement } from './dcsa.schema.js';

/** The version each endpoint answers with in its API-Version header (DCSA: every response carries it). */
export const DCSA_API_VERSIONS: Readonly<Record<DcsaVersion, string>> = { '2.2': '2.2.0', '3.0': '3.0.0' };

/**
 * Validates, maps and stores DCSA Track & Trace events of one version, each on its own: one result per event in
 * request order, errors with the path of the DCSA field (relative to the event, as in POST /events), and for 3.0
 * the same problems as DCSA FeedbackElements with their path in the request.
 */
export async function ingestDcsaEvents(tracking: Pick<TrackingService, 'ingest'>, caller: Principal, version: DcsaVersion, items: readonly unknown[]): Promise<DcsaIngestResponse> {
  const mapped: DcsaMapping[] = items.map((item) => (version === '2.2' ? mapDcsa22Event(item) : mapDcsa30Event(item)));
  const accepted = mapped.flatMap((mapping, index) => (mapping.ok ? [{ index, mapping }] : []));
  // Called even when nothing mapped, so that a party that may not publish at all is refused as a whole (403).
  const answer: IngestResponse = await tracking.ingest(caller, accepted.map(({ mapping }) => mapping.event));

  const results: (IngestResult | undefined)[] = mapped.map((mapping, index) => (mapping.ok ? undefined : { index, eventId: mapping.eventId, status: 'rejected', errors: mapping.errors }));
  for (const result of answer.results) {
    const origin = accepted[result.index];
    if (origin === undefined || !origin.mapping.ok) continue;
    const { sources } = origin.mapping;
    const translated: IngestResult = { ...result, index: origin.index };
    if (result.errors !== undefined) translated.errors = result.errors.map((error) => ({ ...error, path: dcsaPathOf(sources, error.path) }));
    results[origin.index] = translated;
  }
  const ordered = results.filter((result): result is IngestResult => result !== undefined);
  const response: DcsaIngestResponse = {
    stored: ordered.filter((result) => result.status === 'stored').length,
    duplicates: ordered.filter((result) => result.status === 'duplicate').length,
    rejected: ordered.filter((result) => result.status === 'rejected').length,
    results: ordered,
  };
  if (version === '3.0') response.feedbackElements = feedbackOf(ordered);
  return response;
}

/** DCSA 3.0 PostEventsResponse feedback: one ERROR per problem, its propertyPath in the request (`$.events[i]…`). */
function feedbackOf(results: readonly IngestResult[]): FeedbackElement[] {
  return results.flatMap((result) =>
    (result.errors ?? []).map((error): FeedbackElement => ({ severity: 'ERROR', message: `${error.code}: ${error.message}`, propertyPath: `$.events[${result.index}]${error.path.slice(1)}` })),
  );
}
