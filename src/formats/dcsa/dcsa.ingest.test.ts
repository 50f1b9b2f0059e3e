import { describe, expect, it } from 'vitest';
import type { Principal } from '../../modules/parties/index.js';
import type { IngestResponse, IngestResult, TrackingEvent } from '../../modules/tracking/index.js';
import { ingestDcsaEvents } from './dcsa.ingest.js';
import { DCSA22, DCSA30 } from './samples.fixture.js';

const CARRIER = { kind: 'enterprise', partyId: '9144030071MA1X3Y4H', roles: ['carrier'], tenant: 'default' } as unknown as Principal;

/** An ingest that answers each event as `answer` says, recording what it was given. */
function fakeIngest(answer: (event: TrackingEvent, index: number) => IngestResult) {
  const calls: TrackingEvent[][] = [];
  return {
    calls,
    ingest(_caller: Principal, items: readonly unknown[]): Promise<IngestResponse> {
      const events = items as TrackingEvent[];
      calls.push(events);
      const results = events.map(answer);
      return Promise.resolve({ stored: results.filter((r) => r.status === 'stored').length, duplicates: 0, rejected: results.filter((r) => r.status === 'rejected').length, results });
    },
  };
}

describe('ingestDcsaEvents', () => {
  it('answers in request order, with the ingest\'s problems at the DCSA fields they came from', async () => {
    const tracking = fakeIngest((event, index) =>
      event.code === 'LOAD'
        ? { index, eventId: event.eventId, status: 'rejected', errors: [
          { path: '$.references.container', code: 'EVENT_REFERENCE_NOT_YOURS', message: 'not yours' },
          { path: '$.eventTime', code: 'EVENT_TIME_FUTURE', message: 'future' },
          { path: '$.references.voyage', code: 'FIELD_FORMAT', message: 'pattern' },
        ] }
        : { index, eventId: event.eventId, status: 'stored', seq: 10 + index });
    const body = [DCSA22.gateIn, { ...DCSA22.departure, transportEventTypeCode: 'BERT' }, DCSA22.load, DCSA22.bookingConfirmed];
    const answer = await ingestDcsaEvents(tracking, CARRIER, '2.2', body);

    expect(tracking.calls).toHaveLength(1);
    expect(tracking.calls[0]?.map((event) => event.code)).toEqual(['GTIN', 'LOAD', 'CONF']);
    expect(answer).toMatchObject({ stored: 2, duplicates: 0, rejected: 2 });
    expect(answer.results.map((result) => [result.index, result.status])).toEqual([[0, 'stored'], [1, 'rejected'], [2, 'rejected'], [3, 'stored']]);
    expect(answer.results[1]?.errors?.map((error) => `${error.path} ${error.code}`)).toEqual(['$.transportEventTypeCode FIELD_NOT_ALLOWED']);
    expect(answer.results[2]?.errors?.map((error) => `${error.path} ${error.code}`)).toEqual([
      '$.equipmentReference EVENT_REFERENCE_NOT_YOURS',
      '$.eventDateTime EVENT_TIME_FUTURE',
      '$.transportCall.exportVoyageNumber FIELD_FORMAT',
    ]);
    expect(answer.feedbackElements).toBeUndefined();
  });

  it('reports a 3.0 event that names nothing to follow where DCSA puts the reference, also as a FeedbackElement', async () => {
    const tracking = fakeIngest((event, index) => ({ index, eventId: event.eventId, status: 'rejected', errors: [{ path: '$.references', code: 'EVENT_REFERENCE_REQUIRED', message: 'needs a reference' }] }));
    const answer = await ingestDcsaEvents(tracking, CARRIER, '3.0', [{ ...DCSA30.reeferReading, equipmentDetails: {}, shipmentDetails: {} }, DCSA30.arrival]);
    expect(answer.results.map((result) => result.errors?.[0]?.path)).toEqual(['$.equipmentDetails.equipmentReference', '$.transportDetails.transportCall.vesselTransport']);
    expect(answer.feedbackElements).toEqual([
      { severity: 'ERROR', message: 'EVENT_REFERENCE_REQUIRED: needs a reference', propertyPath: '$.events[0].equipmentDetails.equipmentReference' },
      { severity: 'ERROR', message: 'EVENT_REFERENCE_REQUIRED: needs a reference', propertyPath: '$.events[1].transportDetails.transportCall.vesselTransport' },
    ]);
  });

  it('asks the ingest even when no event maps, so that a party that may not publish is refused as a whole', async () => {
    const tracking = fakeIngest(() => {
      throw new Error('no events to answer');
    });
    const answer = await ingestDcsaEvents(tracking, CARRIER, '3.0', [{ eventDateTime: 'yesterday' }]);
    expect(tracking.calls).toEqual([[]]);
    expect(answer).toMatchObject({ stored: 0, rejected: 1, results: [{ index: 0, eventId: null, status: 'rejected' }] });
    expect(answer.feedbackElements?.[0]?.propertyPath).toBe('$.events[0].eventClassification');
  });
});
