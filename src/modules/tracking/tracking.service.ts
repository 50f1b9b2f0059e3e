import { Compile } from 'typebox/compile';
import type { Transaction } from 'kysely';
import { isValidContainerNumber, isValidImoNumber } from '../codes/index.js';
import type { Principal } from '../parties/index.js';
import { authorize, clearanceAgency, publishableTypes, publisherKind, publishesAtLocations, tieOf, type Tie } from '../policies/index.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { FIELD_PROBLEMS, KouanError, fill, type FieldCode, type Params } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import { pointerToPath } from '../../shared/json-path.js';
import type { Database } from '../../store/schema.js';
import type { EventLog, NewEvent } from '../events/index.js';
import { Standing, accessOf, type SubmissionVisibility } from './tracking.access.js';
import type { Locale } from '../../shared/locale.js';
import { inForce } from './tracking.documents.js';
import { NO_EVENTS, fold, project, render } from './tracking.projection.js';
import { documentKey } from './tracking.documents.js';
import { shipmentsOf } from './tracking.shipments.js';
import { keyText, referencesOf, type NewTrackingEvent, type ReferenceKey, type TrackingRepository } from './tracking.repository.js';
import type { SubscriptionRepository } from './subscriptions.repository.js';
import {
  EVENT_CODES,
  TrackingEventSchema,
  type ClearanceRecord,
  type ProjectedState,
  type Shipment,
  type IngestResponse,
  type IngestResult,
  type ItemError,
  type Timeline,
  type TimelineQuery,
  type StreamQueryParams,
  type TrackingEvent,
  type TrackingEventView,
} from './tracking.schema.js';

/** Which of these UN/LOCODEs the imported list holds; `loaded` false when no list is imported (shape only). */
export type LocodeLookup = (codes: readonly string[]) => Promise<{ loaded: boolean; known: ReadonlySet<string> }>;

/** Timelines show at most this many events (the latest); the current state always covers them all. */
export const TIMELINE_LIMIT = { default: 1000, max: 5000 } as const;

const HOUR_MS = 3_600_000;
/** How far ahead an event may be: an actual one only by clock skew and time-zone slips, a plan by a long voyage. */
const FUTURE_LIMITS = { ACT: { ms: 24 * HOUR_MS, text: '1 day' }, EST: { ms: 730 * 24 * HOUR_MS, text: '2 years' }, PLN: { ms: 730 * 24 * HOUR_MS, text: '2 years' } } as const;

const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

const validator = Compile(TrackingEventSchema);

/** The places a party operates (UN/LOCODEs), where a terminal or port may publish (the parties module). */
export type LocationsOf = (partyId: string) => Promise<readonly string[]>;

type Checked = { ok: true; event: TrackingEvent; tie: Tie } | { ok: false; errors: ItemError[] };

export class TrackingService {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly repository: TrackingRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly canSee: SubmissionVisibility,
    private readonly locodes: LocodeLookup = () => Promise.resolve({ loaded: false, known: new Set() }),
    private readonly now: () => Date = () => new Date(),
    private readonly locationsOf: LocationsOf = () => Promise.resolve([]),
    private readonly events: Pick<EventLog, 'append'> | undefined = undefined,
  ) {}

  /** Called after every ingest that stored events (subscription pushes, streams); returns the unsubscribe. */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Validates and stores a batch of events, each on its own: a result per event, in request order. An event id
   * already in the log is a duplicate when its content is the same, and rejected (EVENT_ID_CONFLICT) otherwise.
   */
  async ingest(caller: Principal, items: readonly unknown[]): Promise<IngestResponse> {
    // An enterprise publishes movements only with a role an operator gave it: what it posts is shown to others.
    authorize(caller, 'tracking.publish');
    const now = this.now();
    const results: IngestResult[] = [];
    let accepted: { index: number; event: TrackingEvent; tie: Tie }[] = [];
    // The schema once per event; what passes it names the submissions and places to look up, in one go each.
    const shaped = items.map((item) => (validator.Check(item) ? item : undefined));
    const named = shaped.flatMap((event) => (event?.references.submission === undefined ? [] : [event.references.submission]));
    const locations = shaped.flatMap((event) => (event?.location !== undefined && LOCODE.test(event.location) ? [event.location] : []));
    const [visible, places, own] = await Promise.all([
      this.canSee(caller, named),
      this.locodes([...new Set(locations)]),
      publishesAtLocations(caller) ? this.locationsOf(caller.partyId) : Promise.resolve([]),
    ]);
    for (const [index, item] of items.entries()) {
      const event = shaped[index];
      const checked: Checked = event === undefined ? { ok: false, errors: schemaErrors(item) } : this.check(caller, event, now, visible, places, own);
      if (checked.ok) accepted.push({ index, event: checked.event, tie: checked.tie });
      else results[index] = { index, eventId: eventIdOf(item), status: 'rejected', errors: checked.errors };
    }

    let stored = false;
    if (accepted.length > 0) {
      const receivedAt = nowIso();
      await this.repository.transaction(async (trx) => {
        const touched = accepted.flatMap(({ event }) => referencesOf(caller.tenant, { ...event.references }));
        await this.repository.lockReferences(trx, touched);
        // Whose the bills are is read under their locks, so two carriers cannot both claim one.
        const refused = await this.carrierRefusals(trx, caller, accepted.map(({ tie }) => tie), receivedAt);
        for (const [position, { index, event }] of accepted.entries()) {
          const error = refused[position];
          if (error !== undefined) results[index] = { index, eventId: event.eventId, status: 'rejected', errors: [error] };
        }
        accepted = accepted.filter((_item, position) => refused[position] === undefined);
        const appended: TrackingEventView[] = [];
        const rows = accepted.map(({ event }) => toRow(event, caller.partyId, caller.tenant, receivedAt));
        const seqs = await this.repository.appendMany(trx, rows);
        const repeated = accepted.filter((_item, position) => seqs[position] === undefined).map(({ event }) => event.eventId);
        const existing = await this.repository.findByEventIds(repeated, trx);
        for (const [position, { index, event }] of accepted.entries()) {
          const seq = seqs[position];
          const row = rows[position];
          if (seq !== undefined) {
            results[index] = { index, eventId: event.eventId, status: 'stored', seq };
            appended.push({ ...event, seq, publisher: caller.partyId, receivedAt });
            continue;
          }
          const first = existing.get(event.eventId);
          const same = first !== undefined && row !== undefined && first.payload === row.payload && first.publisher === row.publisher && first.tenant_id === row.tenant_id;
          results[index] = same
            ? { index, eventId: event.eventId, status: 'duplicate', seq: first.seq }
            : { index, eventId: event.eventId, status: 'rejected', errors: [itemError('$.eventId', 'EVENT_ID_CONFLICT', { eventId: event.eventId })] };
        }
        await this.project(trx, caller.tenant, appended);
        await this.events?.append(trx, appended.map((event) => appendedEvent(caller.tenant, event)));
        stored = appended.length > 0;
      });
    }
    if (stored) for (const listener of this.listeners) listener();

    const ordered = results.filter((result): result is IngestResult => result !== undefined);
    return {
      stored: ordered.filter((result) => result.status === 'stored').length,
      duplicates: ordered.filter((result) => result.status === 'duplicate').length,
      rejected: ordered.filter((result) => result.status === 'rejected').length,
      results: ordered,
    };
  }

  /**
   * Records a clearance event inside the pipeline's transaction (submission received, part accepted, rejected,
   * released, held, sent to inspection), so the event exists exactly when the change it reports commits. Given
   * `announced`, its domain event is put there for the caller to append later in the transaction (after its own).
   */
  async recordClearance(trx: Transaction<Database>, record: ClearanceRecord, announced?: NewEvent[]): Promise<string> {
    const event: TrackingEvent = {
      eventId: record.eventId ?? newId('evt'),
      eventType: 'CLEARANCE',
      code: record.code,
      classifier: 'ACT',
      eventTime: new Date(record.at).toISOString(),
      references: { ...record.references, submission: record.submissionId },
    };
    if (record.agency !== null) event.agency = record.agency;
    await this.repository.lockReferences(trx, referencesOf(record.tenant, event.references));
    const receivedAt = nowIso();
    const seq = await this.repository.append(trx, toRow(event, record.publisher, record.tenant, receivedAt));
    if (seq !== undefined) {
      const view = { ...event, seq, publisher: record.publisher, receivedAt };
      await this.project(trx, record.tenant, [view]);
      if (announced === undefined) await this.events?.append(trx, [appendedEvent(record.tenant, view)]);
      else announced.push(appendedEvent(record.tenant, view));
    }
    return event.eventId;
  }

  /**
   * The timeline of one reference, in event-time order, with its current state: the latest `limit` events the
   * caller may see (tracking.access.ts). A reference the caller has no standing on is not found.
   */
  async timeline(caller: Principal, query: TimelineQuery, limit: number = TIMELINE_LIMIT.default, locale: Locale = UTC_ENGLISH): Promise<Timeline> {
    const key = referenceKey(caller.tenant, query);
    const { events, truncated } = await this.repository.latestEventsOf(key, Math.min(limit, TIMELINE_LIMIT.max));
    const access = await accessOf(caller, events, [key], this.repository, this.canSee);
    if (!access.entitled(key)) throw new KouanError('NOT_FOUND');
    const visible = events.filter((event) => access.sees(event));
    let state: ProjectedState | undefined;
    if (visible.length === events.length) {
      const stored = await this.repository.readCurrent(key);
      if (stored !== undefined) state = JSON.parse(stored.summary) as ProjectedState;
    }
    state ??= project(key.kind, visible);
    const shipments = key.kind === 'container' ? labelShipments(visible, state.shipment) : [];
    return { reference: { kind: key.kind, value: key.value }, shipments, events: visible, truncated, current: render(state, locale) };
  }

  /** The reference of a query the caller may follow (timeline rules); not found otherwise. */
  async followable(caller: Principal, query: TimelineQuery): Promise<ReferenceKey> {
    const key = referenceKey(caller.tenant, query);
    const access = await accessOf(caller, [], [key], this.repository, this.canSee);
    if (!access.entitled(key)) throw new KouanError('NOT_FOUND');
    return key;
  }

  /**
   * The events of a reference after `afterSeq` in log order, up to `limit` read: those the caller may see, and
   * the seq to continue after (past the hidden ones too). Per reference, log order is commit order.
   */
  async eventsAfter(caller: Principal, key: ReferenceKey, afterSeq: number, limit: number): Promise<{ events: TrackingEventView[]; next: number; read: number }> {
    const events = await this.repository.eventsAfter(key, afterSeq, limit);
    const access = await accessOf(caller, events, [], this.repository, this.canSee);
    return { events: events.filter((event) => access.sees(event)), next: events.at(-1)?.seq ?? afterSeq, read: events.length };
  }

  /** The events of a reference after `afterSeq` in log order, whoever may see them (the streams' shared read). */
  allEventsAfter(key: ReferenceKey, afterSeq: number, limit: number): Promise<TrackingEventView[]> {
    return this.repository.eventsAfter(key, afterSeq, limit);
  }

  /** The caller's standing for following one reference: decides who sees each new event from that event alone. */
  standingOf(caller: Principal): Pick<Standing, 'visible' | 'prime'> {
    return new Standing(caller, this.repository, this.canSee);
  }

  /** The newest seq of each of these references that has events, by keyText (what followers poll). */
  headsOf(keys: readonly ReferenceKey[]): Promise<Map<string, number>> {
    return this.repository.headsOf(keys);
  }

  /** The newest seq of a reference (where a new follower starts). */
  headOf(key: ReferenceKey): Promise<number> {
    return this.repository.headOf(key);
  }

  /**
   * Runs `work` with the reference's newest seq while no event about it can be appended, so that a new follower
   * starting there misses nothing: what commits after it raises the follower's head.
   */
  withReferenceLocked<T>(key: ReferenceKey, work: (trx: Transaction<Database>, head: number) => Promise<T>): Promise<T> {
    return this.repository.transaction(async (trx) => {
      await this.repository.lockReferences(trx, [key]);
      return work(trx, await this.repository.headOf(key, trx));
    });
  }

  /** Recomputes every current state from the event log (invariant 6); returns how much it read. */
  async rebuild(): Promise<{ references: number; events: number }> {
    return this.repository.transaction(async (trx) => {
      await this.repository.clearCurrent(trx);
      const keys = await this.repository.allReferences(trx);
      for (const key of keys) {
        const summary = project(key.kind, await this.repository.eventsOf(key, trx));
        await this.repository.writeCurrent(trx, key, JSON.stringify(summary), summary.lastSeq);
      }
      return { references: keys.length, events: await this.repository.countEvents(trx) };
    });
  }

  /**
   * Recomputes every current state from the log and compares it with the stored projection, without writing:
   * the references whose stored state is missing, different or left over (invariant 6). Empty when all is well.
   */
  async verify(): Promise<{ references: number; events: number; differences: { tenant: string; kind: string; reference: string; problem: 'missing' | 'different' | 'extra' }[] }> {
    const stored = new Map((await this.repository.allCurrent()).map((row) => [`${row.tenant}\n${row.kind}\n${row.reference}`, row.summary]));
    const keys = await this.repository.allReferences();
    const differences: { tenant: string; kind: string; reference: string; problem: 'missing' | 'different' | 'extra' }[] = [];
    for (const key of keys) {
      const text = keyText(key);
      const held = stored.get(text);
      stored.delete(text);
      const expected = JSON.stringify(project(key.kind, await this.repository.eventsOf(key)));
      if (held !== expected) differences.push({ tenant: key.tenant, kind: key.kind, reference: key.value, problem: held === undefined ? 'missing' : 'different' });
    }
    for (const text of stored.keys()) {
      const [tenant = '', kind = '', reference = ''] = text.split('\n');
      differences.push({ tenant, kind, reference, problem: 'extra' });
    }
    return { references: keys.length, events: await this.repository.countEvents(), differences };
  }

  /** The whole projection, for checks and operations. */
  projection(): Promise<{ tenant: string; kind: string; reference: string; summary: string; lastSeq: number }[]> {
    return this.repository.allCurrent();
  }

  /**
   * Brings the current state of each reference the new events name up to date, and tells the reference's
   * subscriptions there is more to deliver. Callers hold the references' locks. Where nothing is taken back the new
   * events are folded into the stored state; the state is recomputed from the log (the same project() a rebuild
   * runs) where it must be: for a container (whose state is that of its latest shipment), for every reference of a
   * document that a replacement or cancellation touches (including the references only its earlier events named),
   * and where no state is stored yet.
   */
  private async project(trx: Transaction<Database>, tenant: string, appended: readonly TrackingEventView[]): Promise<void> {
    if (appended.length === 0) return;
    const keys = new Map<string, ReferenceKey>();
    const newEvents = new Map<string, TrackingEventView[]>();
    for (const event of appended) {
      for (const key of referencesOf(tenant, event.references)) {
        const text = keyText(key);
        keys.set(text, key);
        newEvents.set(text, [...(newEvents.get(text) ?? []), event]);
      }
    }
    const documents = [...new Map(appended.flatMap((event) => (event.document === undefined ? [] : [[event.document.id, { tenant, publisher: event.publisher, id: event.document.id }] as const]))).values()];
    const revised = new Set<string>();
    if (documents.length > 0) {
      const members = await this.repository.documentMembers(documents, trx);
      const touched = documents.filter((document) => members.get(documentKey(tenant, document.publisher, document.id))?.some((member) => member.function !== 'original') === true);
      for (const key of await this.repository.referencesOfDocuments(trx, tenant, touched)) {
        keys.set(keyText(key), key);
        revised.add(keyText(key));
      }
    }
    const stored = await this.repository.readCurrents([...keys.values()], trx);
    const recompute = [...keys.values()].filter((key) => key.kind === 'container' || revised.has(keyText(key)) || !stored.has(keyText(key)));
    const recomputed = await this.repository.eventsOfMany(recompute, trx);
    const states = [...keys.entries()].map(([text, key]) => {
      const events = recomputed.get(text);
      const held = stored.get(text);
      const summary = events !== undefined ? project(key.kind, events) : (newEvents.get(text) ?? []).reduce(fold, held === undefined ? NO_EVENTS : (JSON.parse(held.summary) as ProjectedState));
      return { key, summary: JSON.stringify(summary), lastSeq: summary.lastSeq };
    });
    await this.repository.writeCurrents(trx, states);
    await this.subscriptions.raiseHeads(trx, states.map(({ key, lastSeq }) => ({ key, seq: lastSeq })));
  }

  /**
   * For each event tied to a carrier's bill, container or vessel (policies/publishing.ts), the error when the log
   * says it is not the caller's: a bill another carrier claimed, a container or vessel on none of its bills.
   * Bills no carrier has yet become the caller's. Runs under the references' locks.
   */
  private async carrierRefusals(trx: Transaction<Database>, caller: Principal, ties: readonly Tie[], at: string): Promise<(ItemError | undefined)[]> {
    const bills = [...new Set(ties.flatMap((tie) => (tie.kind === 'bill' ? [tie.bill] : [])))];
    const onBills = ties.filter((tie) => tie.kind === 'onBills');
    if (bills.length === 0 && onBills.length === 0) return ties.map(() => undefined);
    const carriers = await this.repository.carriersOf(trx, caller.tenant, bills);
    const held = new Set(bills.filter((bill) => (carriers.get(bill) ?? caller.partyId) === caller.partyId));
    await this.repository.claimBills(trx, caller.tenant, caller.partyId, bills.filter((bill) => held.has(bill) && !carriers.has(bill)), at);
    const containers = [...new Set(onBills.flatMap((tie) => (tie.container === undefined ? [] : [tie.container])))];
    const vessels = [...new Set(onBills.flatMap((tie) => (tie.container === undefined && tie.vessel !== undefined ? [tie.vessel] : [])))];
    const [onContainers, onVessels] = await Promise.all([
      containers.length === 0 ? new Set<string>() : this.repository.onBillsOf(trx, caller.tenant, caller.partyId, 'container', containers),
      vessels.length === 0 ? new Set<string>() : this.repository.onBillsOf(trx, caller.tenant, caller.partyId, 'vessel', vessels),
    ]);
    // The batch itself may put a container or vessel on one of the caller's bills, before its bill-less events.
    for (const tie of ties) {
      if (tie.kind !== 'bill' || !held.has(tie.bill)) continue;
      if (tie.container !== undefined) onContainers.add(tie.container);
      if (tie.vessel !== undefined) onVessels.add(tie.vessel);
    }
    return ties.map((tie) => {
      if (tie.kind === 'bill' && !held.has(tie.bill)) return itemError('$.references.billOfLading', 'EVENT_REFERENCE_NOT_YOURS', { reference: `bill of lading ${tie.bill}`, why: 'another carrier publishes on it' });
      if (tie.kind !== 'onBills') return undefined;
      if (tie.container !== undefined) {
        return onContainers.has(tie.container) ? undefined : itemError('$.references.container', 'EVENT_REFERENCE_NOT_YOURS', { reference: `container ${tie.container}`, why: 'it is on none of your bills of lading; name the bill' });
      }
      const vessel = tie.vessel ?? '';
      return onVessels.has(vessel) ? undefined : itemError('$.references.vesselImo', 'EVENT_REFERENCE_NOT_YOURS', { reference: `vessel ${vessel}`, why: 'it carries none of your bills of lading; name the bill' });
    });
  }

  /** Every problem of an event that matches the schema at once; the normalised event (time in UTC) when there are none. */
  private check(caller: Principal, item: TrackingEvent, now: Date, visibleSubmissions: ReadonlySet<string>, places: { loaded: boolean; known: ReadonlySet<string> }, locations: readonly string[]): Checked {
    const event = structuredClone(item);
    const errors: ItemError[] = [];
    const { references } = event;

    const allowed = publishableTypes(caller).includes(event.eventType);
    if (!allowed) {
      errors.push(itemError('$.eventType', 'EVENT_TYPE_NOT_ALLOWED', { kind: publisherKind(caller), eventType: event.eventType }));
    }
    const codes = EVENT_CODES[event.eventType];
    if (!codes.includes(event.code)) errors.push(itemError('$.code', 'EVENT_CODE_MISMATCH', { code: event.code, eventType: event.eventType, allowed: codes.join(', ') }));
    if (event.eventType === 'CLEARANCE') {
      if (event.classifier !== 'ACT') errors.push(itemError('$.classifier', 'EVENT_CLEARANCE_NOT_ACTUAL'));
      const own = clearanceAgency(caller);
      if (own !== undefined) {
        if (event.agency !== undefined && event.agency !== own) errors.push(itemError('$.agency', 'EVENT_AGENCY_MISMATCH', { agency: own }));
        event.agency = own;
      }
    } else if (event.agency !== undefined) {
      errors.push(itemError('$.agency', 'FIELD_UNKNOWN', { field: 'agency' }));
    }

    const time = parseEventTime(event.eventTime);
    if (time === undefined) errors.push(itemError('$.eventTime', 'EVENT_TIME_INVALID', { value: event.eventTime }));
    else {
      const limit = FUTURE_LIMITS[event.classifier];
      if (time.getTime() - now.getTime() > limit.ms) errors.push(itemError('$.eventTime', 'EVENT_TIME_FUTURE', { classifier: event.classifier, limit: limit.text }));
      else event.eventTime = time.toISOString();
    }
    if (event.location !== undefined && !LOCODE.test(event.location)) errors.push(itemError('$.location', 'LOCODE_FORMAT', { value: event.location }));
    else if (event.location !== undefined && places.loaded && !places.known.has(event.location)) errors.push(itemError('$.location', 'LOCODE_UNKNOWN', { value: event.location }));

    if (references.container !== undefined && !isValidContainerNumber(references.container)) errors.push(itemError('$.references.container', 'CONTAINER_CHECK_DIGIT', { value: references.container }));
    if (references.vesselImo !== undefined && !isValidImoNumber(references.vesselImo)) errors.push(itemError('$.references.vesselImo', 'IMO_CHECK_DIGIT', { value: references.vesselImo }));
    if (references.voyage !== undefined && references.vesselImo === undefined && references.vesselCallSign === undefined && references.vesselName === undefined) errors.push(itemError('$.references.vesselImo', 'FIELD_REQUIRED'));
    if (references.container === undefined && references.billOfLading === undefined && references.vesselImo === undefined && references.submission === undefined) {
      errors.push(itemError('$.references', 'EVENT_REFERENCE_REQUIRED'));
    }
    if (references.submission !== undefined && !visibleSubmissions.has(references.submission)) {
      errors.push(itemError('$.references.submission', 'EVENT_SUBMISSION_UNKNOWN', { value: references.submission }));
    }
    // Whose the event is matters only for an event that is otherwise right.
    const tie = errors.length === 0 ? tieOf(caller, event, locations) : ({ kind: 'none' } as const);
    if (tie.kind === 'refused') errors.push(itemError(tie.path, 'EVENT_REFERENCE_NOT_YOURS', { reference: tie.reference, why: tie.why }));
    return errors.length === 0 ? { ok: true, event, tie } : { ok: false, errors };
  }
}

/** The reference a GET /tracking query names: exactly one of container, bl, vessel (+ voyage), submission. */
export function timelineQueryOf(params: StreamQueryParams): TimelineQuery {
  const given = [params.container, params.bl, params.vessel, params.submission].filter((value) => value !== undefined).length;
  if (given !== 1) {
    throw new KouanError('REQUEST_INVALID', { errors: [{ path: '$', code: 'FIELD_REQUIRED', params: {} }], extra: { detail: 'Give exactly one of container, bl, vessel (with voyage) or submission' } });
  }
  if (params.voyage !== undefined && params.vessel === undefined) throw new KouanError('REQUEST_INVALID', { errors: [{ path: '$.vessel', code: 'FIELD_REQUIRED' }] });
  if (params.container !== undefined) return { container: params.container };
  if (params.bl !== undefined) return { billOfLading: params.bl };
  if (params.vessel !== undefined) return { vesselImo: params.vessel, voyage: params.voyage };
  return { submission: params.submission ?? '' };
}

export function referenceKey(tenant: string, query: TimelineQuery): ReferenceKey {
  if ('container' in query) return { tenant, kind: 'container', value: query.container };
  if ('billOfLading' in query) return { tenant, kind: 'billOfLading', value: query.billOfLading };
  if ('vesselImo' in query) return { tenant, kind: 'vessel', value: query.voyage === undefined ? query.vesselImo : `${query.vesselImo}/${query.voyage}` };
  return { tenant, kind: 'submission', value: query.submission };
}

/** A real instant written with its zone; Date.parse alone would take 2026-02-30 or a zone-less local time. */
function parseEventTime(value: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second = '0'] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

function toRow(event: TrackingEvent, publisher: string, tenant: string, receivedAt: string): NewTrackingEvent {
  return {
    event_id: event.eventId,
    event_type: event.eventType,
    code: event.code,
    classifier: event.classifier,
    event_time: event.eventTime,
    location: event.location ?? null,
    facility: event.facility ?? null,
    container: event.references.container ?? null,
    bill_of_lading: event.references.billOfLading ?? null,
    vessel_imo: event.references.vesselImo ?? null,
    voyage: event.references.voyage ?? null,
    submission_id: event.references.submission ?? null,
    agency: event.agency ?? null,
    publisher,
    tenant_id: tenant,
    payload: canonicalJson(event),
    received_at: receivedAt,
    document_id: event.document?.id ?? null,
    document_function: event.document?.function ?? null,
  };
}

function eventIdOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const id = (item as { eventId?: unknown }).eventId;
  return typeof id === 'string' ? id : null;
}

function itemError(path: string, code: FieldCode, params: Params = {}): ItemError {
  return { path, code, message: fill(FIELD_PROBLEMS[code].en, params) };
}

function schemaErrors(item: unknown): ItemError[] {
  const errors: ItemError[] = [];
  for (const error of validator.Errors(item)) {
    const path = pointerToPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    // A property that additionalProperties: false forbids is reported twice: as "schema is false" and below.
    if (error.keyword === 'boolean') continue;
    if (error.keyword === 'required') {
      for (const name of (params.requiredProperties as string[] | undefined) ?? []) errors.push(itemError(`${path}.${name}`, 'FIELD_REQUIRED'));
    } else if (error.keyword === 'additionalProperties') {
      for (const name of (params.additionalProperties as string[] | undefined) ?? []) errors.push(itemError(`${path}.${name}`, 'FIELD_UNKNOWN', { field: name }));
    } else if (error.keyword === 'enum') {
      errors.push(itemError(path, 'FIELD_NOT_ALLOWED', { allowed: ((params.allowedValues as unknown[] | undefined) ?? []).join(', ') }));
    } else if (error.keyword === 'type') {
      errors.push(itemError(path, 'FIELD_TYPE', { type: String(params.type) }));
    } else {
      errors.push(itemError(path, 'FIELD_FORMAT', { format: error.keyword }));
    }
  }
  // The validator may report one value more than once (anyOf branches); keep the first problem per path.
  const firstPerPath = new Map<string, ItemError>();
  for (const error of errors) if (!firstPerPath.has(error.path)) firstPerPath.set(error.path, error);
  return [...firstPerPath.values()];
}

/** What module callers without a person's locale get: English, times in UTC. */
const UTC_ENGLISH: Locale = { language: 'en', timeZone: 'UTC' };

/**
 * The shipments of a container's shown events (tracking.shipments.ts), each event labelled with its shipment and,
 * when that is not the one the container is on now, as earlier. Events taken back are labelled by the references
 * they share with a shipment.
 */
function labelShipments(events: TrackingEventView[], current: string | null): Shipment[] {
  const { shipments, current: latest } = shipmentsOf(events.filter(inForce));
  const currentId = current ?? latest?.id;
  const byEvent = new Map<string, string>();
  for (const shipment of shipments) for (const event of shipment.events) byEvent.set(event.eventId, shipment.id);
  for (const event of events) {
    const id = byEvent.get(event.eventId) ?? shipments.find((shipment) => sharesReference(shipment, event))?.id;
    if (id === undefined) continue;
    event.shipment = id;
    if (id !== currentId) event.earlier = true;
  }
  return shipments.map((shipment) => ({
    id: shipment.id,
    voyages: shipment.voyages,
    billsOfLading: shipment.billsOfLading,
    submissions: shipment.submissions,
    firstEventTime: shipment.firstEventTime,
    lastEventTime: shipment.lastEventTime,
    current: shipment.id === currentId,
  }));
}

function sharesReference(shipment: { voyages: string[]; billsOfLading: string[]; submissions: string[] }, event: TrackingEventView): boolean {
  const { references } = event;
  if (references.vesselImo !== undefined && references.voyage !== undefined && shipment.voyages.includes(`${references.vesselImo}/${references.voyage}`)) return true;
  if (references.billOfLading !== undefined && shipment.billsOfLading.includes(references.billOfLading)) return true;
  return references.submission !== undefined && shipment.submissions.includes(references.submission);
}

/** The domain event of a tracking event stored in the tracking log. */
function appendedEvent(tenant: string, event: TrackingEventView): NewEvent {
  const references = Object.fromEntries(Object.entries(event.references).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return {
    type: 'tracking.event-appended',
    eventId: `trk-${tenant}-${event.eventId}`,
    tenant,
    subject: { kind: 'tracking-event', id: event.eventId },
    at: event.receivedAt,
    payload: { eventId: event.eventId, seq: event.seq, eventType: event.eventType, code: event.code, ...(event.agency === undefined ? {} : { agency: event.agency }), references },
  };
}
