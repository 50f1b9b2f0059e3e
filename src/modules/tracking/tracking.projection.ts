/**
 * The current state of a reference, computed from its events alone. A pure function of the event list, so that
 * what ingest maintains and what rebuild() recomputes from the log are the same, byte for byte. What is stored holds
 * codes and UTC times only; the line a person reads (text) is rendered at the answer, in their language and the
 * platform's time zone (render()).
 */
import { clockText, offsetLabel, type Language, type Locale } from '../../shared/locale.js';
import { inForce } from './tracking.documents.js';
import { shipmentsOf } from './tracking.shipments.js';
import type { ClearanceCode, ClearanceState, CurrentState, Milestone, ProjectedState, ReferenceKind, TrackingEventView } from './tracking.schema.js';

/** How each event code reads, in the past ("discharged") and ahead ("discharge expected"), in each language. */
interface Phrase {
  readonly past: Readonly<Record<Language, string>>;
  readonly expected: Readonly<Record<Language, string>>;
}

function phrase(enPast: string, enExpected: string, zhPast: string, zhExpected: string): Phrase {
  return { past: { en: enPast, zh: zhPast }, expected: { en: enExpected, zh: zhExpected } };
}

/**
 * Every event code, with the DCSA Track & Trace codes not (yet) accepted here too, so that adding a code to
 * EVENT_CODES needs no phrase work (a test checks that every accepted code has both languages).
 */
export const EVENT_PHRASES: Readonly<Record<string, Phrase>> = {
  // Transport
  ARRI: phrase('arrived', 'arrival', '抵港', '抵港'),
  DEPA: phrase('departed', 'departure', '离港', '离港'),
  // Equipment
  LOAD: phrase('loaded', 'loading', '装船', '装船'),
  DISC: phrase('discharged', 'discharge', '卸船', '卸船'),
  GTIN: phrase('gated in', 'gate-in', '进闸', '进闸'),
  GTOT: phrase('gated out', 'gate-out', '出闸', '出闸'),
  STUF: phrase('stuffed', 'stuffing', '装箱', '装箱'),
  STRP: phrase('stripped', 'stripping', '拆箱', '拆箱'),
  INSP: phrase('inspected', 'inspection', '查验', '查验'),
  PICK: phrase('picked up', 'pick-up', '提箱', '提箱'),
  DROP: phrase('dropped off', 'drop-off', '还箱', '还箱'),
  RSEA: phrase('resealed', 'resealing', '重新施封', '重新施封'),
  RMVD: phrase('removed', 'removal', '移除', '移除'),
  AVDO: phrase('available for drop-off', 'availability for drop-off', '可还箱', '可还箱'),
  AVPU: phrase('available for pick-up', 'availability for pick-up', '可提箱', '可提箱'),
  CROS: phrase('crossed the border', 'border crossing', '过境', '过境'),
  CUSI: phrase('selected for customs inspection', 'customs inspection selection', '海关布控查验', '海关布控查验'),
  CUSR: phrase('released by customs', 'customs release', '海关放行', '海关放行'),
  CUSS: phrase('selected for customs scan', 'customs scan selection', '海关布控机检', '海关布控机检'),
  // Shipment
  RECE: phrase('booking received', 'booking', '订舱已接收', '订舱'),
  CONF: phrase('booking confirmed', 'booking confirmation', '订舱已确认', '订舱确认'),
  ISSU: phrase('bill of lading issued', 'bill of lading', '提单已签发', '提单签发'),
  SURR: phrase('bill of lading surrendered', 'surrender', '提单已电放', '提单电放'),
  DRFT: phrase('draft sent', 'draft', '草稿已发送', '草稿'),
  APPR: phrase('approved', 'approval', '已批准', '批准'),
  PENA: phrase('pending approval', 'approval', '待批准', '批准'),
  PENU: phrase('pending update', 'update', '待更新', '更新'),
  PENC: phrase('pending confirmation', 'confirmation', '待确认', '确认'),
  SUBM: phrase('submitted', 'submission', '已提交', '提交'),
  VOID: phrase('voided', 'voiding', '已作废', '作废'),
  CMPL: phrase('completed', 'completion', '已完成', '完成'),
  REQS: phrase('requested', 'request', '已申请', '申请'),
  AMCF: phrase('amendment confirmed', 'amendment confirmation', '修改已确认', '修改确认'),
  AMCN: phrase('amendment cancelled', 'amendment cancellation', '修改已取消', '修改取消'),
  AMDC: phrase('amendment declined', 'decision on the amendment', '修改被拒绝', '修改审核'),
  AMPR: phrase('amendment in progress', 'amendment', '修改处理中', '修改'),
  AMRE: phrase('amendment received', 'amendment', '已收到修改', '收到修改'),
  CACF: phrase('cancellation confirmed', 'cancellation confirmation', '取消已确认', '取消确认'),
  CADC: phrase('cancellation declined', 'decision on the cancellation', '取消被拒绝', '取消审核'),
  CANC: phrase('cancelled', 'cancellation', '已取消', '取消'),
  CARE: phrase('cancellation received', 'cancellation request', '已收到取消申请', '取消申请'),
  DECL: phrase('declined', 'decision', '已谢绝', '审核'),
  PENM: phrase('pending amendment', 'amendment', '待修改', '修改'),
  PSAM: phrase('pending surrender for amendment', 'surrender for amendment', '待交回改单', '交回改单'),
  PSDL: phrase('pending surrender for delivery', 'surrender for delivery', '待交单提货', '交单提货'),
  SUAM: phrase('surrendered for amendment', 'surrender for amendment', '已交回改单', '交回改单'),
  SUDL: phrase('surrendered for delivery', 'surrender for delivery', '已交单提货', '交单提货'),
  UPCF: phrase('update confirmed', 'update confirmation', '更新已确认', '更新确认'),
  UPCN: phrase('update cancelled', 'update cancellation', '更新已取消', '更新取消'),
  UPDC: phrase('update declined', 'decision on the update', '更新被拒绝', '更新审核'),
  UPDT: phrase('update in progress', 'update', '更新处理中', '更新'),
  UPRE: phrase('update received', 'update', '已收到更新', '收到更新'),
  REJE: phrase('rejected', 'rejection', '已拒绝', '拒绝'),
  HOLD: phrase('on hold', 'hold', '已扣留', '扣留'),
  RELS: phrase('released', 'release', '已放行', '放行'),
  ACCE: phrase('accepted', 'acceptance', '已受理', '受理'),
  // IoT and reefer (DCSA IoT and Reefer events)
  DETC: phrase('detected', 'detection', '已检测到', '检测'),
  MEAS: phrase('measured', 'measurement', '已测量', '测量'),
  ADJU: phrase('adjusted', 'adjustment', '已调整', '调整'),
};

const AGENCY_NAMES: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: { CUS: 'customs', CIQ: 'inspection and quarantine', MSA: 'maritime safety', BOR: 'border police' },
  zh: { CUS: '海关', CIQ: '检验检疫', MSA: '海事', BOR: '边检' },
};

const CLEARANCE_PHRASES: Readonly<Record<Language, Readonly<Record<ClearanceCode, string>>>> = {
  en: { RECE: 'received', ACCE: 'accepted', REJE: 'rejected', RELS: 'released', HOLD: 'on hold', INSP: 'inspection pending' },
  zh: { RECE: '接收', ACCE: '受理', REJE: '退单', RELS: '放行', HOLD: '扣留', INSP: '待查验' },
};

const WORDS: Readonly<Record<Language, { none: string; clearance: string; separator: string }>> = {
  en: { none: 'no events', clearance: 'clearance', separator: ', ' },
  zh: { none: '暂无事件', clearance: '通关', separator: '，' },
};

const READINGS: ReadonlySet<string> = new Set(['IOT', 'REEFER']);

/** Events in timeline order: event time, then ingestion order. */
export function timelineOrder(a: { eventTime: string; seq: number }, b: { eventTime: string; seq: number }): number {
  if (a.eventTime !== b.eventTime) return a.eventTime < b.eventTime ? -1 : 1;
  return a.seq - b.seq;
}

/** The state of a reference with no events. */
export const NO_EVENTS: ProjectedState = { lastActualTime: null, lastEventTime: null, lastSeq: 0, actual: {}, estimated: {}, clearance: [], shipment: null };

/**
 * The current state of a reference from all its stored events, in any order: only the events in force count
 * (tracking.documents.ts: not superseded, not retracted, no cancellation), and for a container only those of the
 * shipment it is on now (tracking.shipments.ts). lastSeq covers every event, so followers see retractions too.
 */
export function project(kind: ReferenceKind, events: readonly TrackingEventView[]): ProjectedState {
  const counted = events.filter(inForce);
  const lastSeq = events.reduce((max, event) => Math.max(max, event.seq), 0);
  if (kind !== 'container') return { ...counted.reduce(fold, NO_EVENTS), lastSeq };
  const { current } = shipmentsOf(counted);
  if (current === undefined) return { ...NO_EVENTS, lastSeq };
  return { ...current.events.reduce(fold, NO_EVENTS), lastSeq, shipment: current.id };
}

/** The current state of a reference other than a container from events all in force, in any order. */
export function summarise(events: readonly TrackingEventView[]): ProjectedState {
  return project('submission', events);
}

/**
 * The state after one more event in force. Every part of the state is a maximum (latest actual per code, newest
 * estimate per code, latest clearance per agency, latest times, highest seq), so folding events in any order
 * gives the same state as summarising the whole timeline: ingest folds new events into the stored state where
 * nothing is taken back, and a rebuild folding the log from scratch must reproduce it byte for byte.
 */
export function fold(state: ProjectedState, event: TrackingEventView): ProjectedState {
  let { actual, estimated, clearance, lastActualTime, lastEventTime } = state;
  if (event.eventType === 'CLEARANCE') {
    const agency = event.agency ?? null;
    const held = clearance.find((entry) => entry.agency === agency);
    const next: ClearanceState = { agency, code: event.code as ClearanceCode, eventTime: event.eventTime, eventId: event.eventId, seq: event.seq };
    if (held === undefined || timelineOrder(held, next) < 0) clearance = [...clearance.filter((entry) => entry !== held), next].sort(timelineOrder);
    lastActualTime = later(lastActualTime, event.eventTime);
  } else {
    const milestone = toMilestone(event);
    if (event.classifier === 'ACT') {
      const held = actual[event.code];
      if (held === undefined || timelineOrder(held, milestone) < 0) actual = sortedRecord({ ...actual, [event.code]: milestone });
      lastActualTime = later(lastActualTime, event.eventTime);
    } else {
      const held = estimated[event.code];
      // The estimate that counts is the newest revision: EST over PLN, then the one received last.
      if (held === undefined || rank(milestone) > rank(held) || (rank(milestone) === rank(held) && milestone.seq > held.seq)) estimated = sortedRecord({ ...estimated, [event.code]: milestone });
    }
  }
  lastEventTime = later(lastEventTime, event.eventTime);
  const lastSeq = Math.max(state.lastSeq, event.seq);
  return { lastActualTime, lastEventTime, lastSeq, actual, estimated, clearance, shipment: state.shipment };
}

/** The state as a person reads it: with its line of text in the locale's language and time zone. */
export function render(state: ProjectedState, locale: Locale): CurrentState {
  return { text: describe(state, locale), ...state };
}

/**
 * "discharged at CNSHA 14:40 UTC+8, customs released 17:12" / "已于 14:40 (UTC+8) 在 CNSHA 卸船，海关已于 17:12 放行".
 * The offset is written with the first time and again wherever it changes (a daylight-saving switch).
 */
function describe(state: ProjectedState, locale: Locale): string {
  const { actual, estimated, clearance } = state;
  const reference = state.lastActualTime ?? state.lastEventTime;
  const zh = locale.language === 'zh';
  let shownOffset: string | undefined;
  const time = (iso: string): { text: string; offset: string | undefined } => {
    const offset = offsetLabel(locale.timeZone, new Date(iso));
    const fresh = offset === shownOffset ? undefined : offset;
    shownOffset = offset;
    return { text: clockText(locale, iso, reference), offset: fresh };
  };
  // Readings (IoT and reefer events) are kept per code but are no movement: a reefer's reading every quarter
  // of an hour must not hide that the box was discharged.
  const lastMove = Object.values(actual).filter((milestone) => !READINGS.has(milestone.eventType)).sort(timelineOrder).at(-1);
  const parts: string[] = [];
  if (lastMove !== undefined) {
    const words = EVENT_PHRASES[lastMove.code];
    const when = time(lastMove.eventTime);
    if (zh) parts.push(`已于 ${when.text}${when.offset === undefined ? '' : ` (${when.offset})`}${lastMove.location === null ? '' : ` 在 ${lastMove.location}`} ${words?.past.zh ?? lastMove.code}`);
    else parts.push(`${words?.past.en ?? lastMove.code}${lastMove.location === null ? '' : ` at ${lastMove.location}`} ${when.text}${when.offset === undefined ? '' : ` ${when.offset}`}`);
  }
  const next = Object.values(estimated)
    .filter((estimate) => actual[estimate.code] === undefined && (lastMove === undefined || estimate.eventTime > lastMove.eventTime))
    .sort(timelineOrder)[0];
  if (next !== undefined) {
    const words = EVENT_PHRASES[next.code];
    const when = time(next.eventTime);
    if (zh) parts.push(`预计 ${when.text}${when.offset === undefined ? '' : ` (${when.offset})`}${next.location === null ? '' : ` 在 ${next.location}`} ${words?.expected.zh ?? next.code}`);
    else parts.push(`${words?.expected.en ?? next.code} expected${next.location === null ? '' : ` at ${next.location}`} ${when.text}${when.offset === undefined ? '' : ` ${when.offset}`}`);
  }
  for (const entry of clearance) parts.push(clearancePhrase(entry, locale.language, time));
  return parts.length === 0 ? WORDS[locale.language].none : parts.join(WORDS[locale.language].separator);
}

function later(a: string | null, b: string): string {
  return a === null || b > a ? b : a;
}

function toMilestone(event: TrackingEventView): Milestone {
  return {
    eventType: event.eventType,
    code: event.code,
    classifier: event.classifier,
    eventTime: event.eventTime,
    location: event.location ?? null,
    facility: event.facility ?? null,
    eventId: event.eventId,
    seq: event.seq,
  };
}

function rank(milestone: Milestone): number {
  return milestone.classifier === 'EST' ? 1 : 0;
}

function clearancePhrase(state: ClearanceState, language: Language, time: (iso: string) => { text: string; offset: string | undefined }): string {
  const name = state.agency === null ? WORDS[language].clearance : (AGENCY_NAMES[language][state.agency] ?? state.agency);
  // Inspection and quarantine is itself "the inspection": "inspection pending" reads better than repeating it.
  if (state.code === 'INSP') {
    if (language === 'zh') return state.agency === 'CIQ' ? '待查验' : `${name}待查验`;
    return state.agency === 'CIQ' ? 'inspection pending' : `${name} inspection pending`;
  }
  const when = time(state.eventTime);
  if (language === 'zh') return `${name}已于 ${when.text}${when.offset === undefined ? '' : ` (${when.offset})`} ${CLEARANCE_PHRASES.zh[state.code]}`;
  return `${name} ${CLEARANCE_PHRASES.en[state.code]} ${when.text}${when.offset === undefined ? '' : ` ${when.offset}`}`;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
