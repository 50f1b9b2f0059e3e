/**
 * Who may see which tracking events. Movements are shown to agencies and operators; clearance to whoever may see
 * the submission (an agency only its own decisions). An enterprise sees the goods that are its own:
 *
 * - a bill of lading named by one of its submissions;
 * - a container from 45 days before to 14 days after the events that tie it to the enterprise (its submissions):
 *   containers are reused, and the next shipper's movements are not this one's business. An event naming a bill
 *   of lading follows the bill, so a reused container's events under another bill stay hidden;
 * - a vessel's own movements (arrival, departure): port schedules are public;
 * - what it published itself, and nothing more for having published it: anyone with a publisher role could post
 *   an event about any bill, so publishing is never a ground for reading what others said about it.
 */
import type { Principal } from '../parties/index.js';
import { submissionViewer, type SubmissionViewer } from '../policies/index.js';
import type { Anchor, ReferenceKey, TrackingRepository } from './tracking.repository.js';
import type { TrackingEventView } from './tracking.schema.js';

/** Which of these submissions the caller may see (the submissions module's rule, invariant 7). */
export type SubmissionVisibility = (caller: Principal, submissionIds: readonly string[]) => Promise<ReadonlySet<string>>;

const DAY_MS = 86_400_000;
/** How far a container's standing reaches around the events that give it: the voyage before, the return after. */
export const CONTAINER_WINDOW = { beforeDays: 45, afterDays: 14 } as const;

export interface Access {
  /** Whether the caller may see this event. */
  sees(event: TrackingEventView): boolean;
  /** Whether the caller has standing on the reference at all (else it does not exist for them). */
  entitled(key: ReferenceKey): boolean;
}

export async function accessOf(caller: Principal, events: readonly TrackingEventView[], extra: readonly ReferenceKey[], repository: TrackingRepository, canSee: SubmissionVisibility): Promise<Access> {
  const named = namedSubmissions(events);
  for (const key of extra) if (key.kind === 'submission') named.add(key.value);
  const viewer = submissionViewer(caller);
  if (viewer.kind !== 'enterprise') return accessFrom(viewer, [], [], await canSee(caller, [...named]));

  const { containers, bills } = namedGoods(events);
  for (const key of extra) {
    if (key.kind === 'container') containers.add(key.value);
    if (key.kind === 'billOfLading') bills.add(key.value);
  }
  const held = { containers: new Map<string, Anchor[]>(), bills: new Map<string, Anchor[]>() };
  await loadAnchors(repository, caller, held, [...containers], [...bills]);
  const containerAnchors = [...held.containers.values()].flat();
  const billAnchors = [...held.bills.values()].flat();
  for (const anchor of [...containerAnchors, ...billAnchors]) if (anchor.submission !== null) named.add(anchor.submission);
  return accessFrom(viewer, containerAnchors, billAnchors, await canSee(caller, [...named]));
}

/** How long a stream's viewer keeps what it learnt about its standing before reading it afresh (a revoked delegation, ...). */
export const STANDING_REFRESH_MS = 60_000;

/**
 * One viewer's standing on the references of a stream, kept up to date event by event: the anchors of a
 * container or bill are read once, when an event first names it, and then every new event is folded into them
 * (each part is a first or last time, so folding an event already counted changes nothing). Deciding who sees a
 * new event then costs that event, not the reference's whole history. Read afresh every STANDING_REFRESH_MS.
 */
export class Standing {
  private containers = new Map<string, Anchor[]>();
  private bills = new Map<string, Anchor[]>();
  private seen = new Map<string, boolean>();
  private readAt = 0;
  private primed: Promise<void> = Promise.resolve();
  private readonly viewer: SubmissionViewer;

  constructor(
    private readonly caller: Principal,
    private readonly repository: TrackingRepository,
    private readonly canSee: SubmissionVisibility,
    private readonly now: () => number = Date.now,
  ) {
    this.viewer = submissionViewer(caller);
  }

  /** Reads the standing on the followed reference ahead of its first new event (when a follower joins). */
  prime(key: ReferenceKey): void {
    if (this.viewer.kind !== 'enterprise' || (key.kind !== 'container' && key.kind !== 'billOfLading')) return;
    this.readAt = this.now();
    // A failure here is met again, and reported, by the first read that needs the standing.
    this.primed = (async () => {
      await this.load(key.kind === 'container' ? [key.value] : [], key.kind === 'billOfLading' ? [key.value] : []);
      await this.settle(new Set());
    })().catch(() => undefined);
  }

  /** Those of these new events (of one reference, in log order) the viewer may see. */
  async visible(events: readonly TrackingEventView[]): Promise<TrackingEventView[]> {
    await this.primed;
    if (this.now() - this.readAt > STANDING_REFRESH_MS) {
      this.containers = new Map();
      this.bills = new Map();
      this.seen = new Map();
      this.readAt = this.now();
    }
    const named = namedSubmissions(events);
    if (this.viewer.kind === 'enterprise') {
      const { containers, bills } = namedGoods(events);
      await this.load([...containers], [...bills]);
      for (const event of events) {
        if (event.references.container !== undefined) foldAnchor(this.containers, event.references.container, event, this.caller.partyId);
        if (event.references.billOfLading !== undefined) foldAnchor(this.bills, event.references.billOfLading, event, this.caller.partyId);
      }
    }
    const seen = await this.settle(named);
    const access = accessFrom(this.viewer, [...this.containers.values()].flat(), [...this.bills.values()].flat(), seen);
    return events.filter((event) => access.sees(event));
  }

  /**
   * Asks which of these and the anchors' submissions the viewer may see (those not known yet), and keeps only the
   * anchors that give standing: on a busy container every other shipper's declaration is an anchor, and holding
   * them all for every viewer would grow with viewers times shippers. Answers the submissions seen.
   */
  private async settle(named: Set<string>): Promise<ReadonlySet<string>> {
    for (const anchors of [...this.containers.values(), ...this.bills.values()]) for (const anchor of anchors) if (anchor.submission !== null) named.add(anchor.submission);
    const unknown = [...named].filter((id) => !this.seen.has(id));
    if (unknown.length > 0) {
      const visible = await this.canSee(this.caller, unknown);
      for (const id of unknown) this.seen.set(id, visible.has(id));
    }
    const seen = new Set([...named].filter((id) => this.seen.get(id) === true));
    for (const held of [this.containers, this.bills]) {
      for (const [value, anchors] of held) held.set(value, anchors.filter((anchor) => anchor.own || (anchor.submission !== null && seen.has(anchor.submission))));
    }
    // Only what is seen is kept: a submission not seen is asked again if another event names it.
    for (const [id, visible] of this.seen) if (!visible) this.seen.delete(id);
    return seen;
  }

  private load(containers: readonly string[], bills: readonly string[]): Promise<void> {
    return loadAnchors(this.repository, this.caller, { containers: this.containers, bills: this.bills }, containers, bills);
  }
}

/** Reads the anchors of the containers and bills not held yet. */
async function loadAnchors(
  repository: TrackingRepository,
  caller: Principal,
  held: { containers: Map<string, Anchor[]>; bills: Map<string, Anchor[]> },
  containers: readonly string[],
  bills: readonly string[],
): Promise<void> {
  const newContainers = containers.filter((value) => !held.containers.has(value));
  const newBills = bills.filter((value) => !held.bills.has(value));
  const [containerAnchors, billAnchors] = await Promise.all([
    repository.anchorsOf(caller.tenant, 'container', newContainers, caller.partyId),
    repository.anchorsOf(caller.tenant, 'billOfLading', newBills, caller.partyId),
  ]);
  for (const value of newContainers) if (!held.containers.has(value)) held.containers.set(value, []);
  for (const value of newBills) if (!held.bills.has(value)) held.bills.set(value, []);
  for (const anchor of containerAnchors) held.containers.get(anchor.value)?.push(anchor);
  for (const anchor of billAnchors) held.bills.get(anchor.value)?.push(anchor);
}

/** Folds one event into the anchors of a reference whose anchors are held (a no-op for one that gives no standing). */
function foldAnchor(held: Map<string, Anchor[]>, value: string, event: TrackingEventView, party: string): void {
  const anchors = held.get(value);
  const submission = event.references.submission ?? null;
  const own = event.publisher === party;
  if (anchors === undefined || (submission === null && !own)) return;
  const index = anchors.findIndex((anchor) => anchor.submission === submission && anchor.own === own);
  const anchor = anchors[index];
  if (anchor === undefined) {
    anchors.push({ value, submission, own, first: event.eventTime, last: event.eventTime });
    return;
  }
  anchors[index] = { ...anchor, first: event.eventTime < anchor.first ? event.eventTime : anchor.first, last: event.eventTime > anchor.last ? event.eventTime : anchor.last };
}

function namedSubmissions(events: readonly TrackingEventView[]): Set<string> {
  const named = new Set<string>();
  for (const event of events) if (event.references.submission !== undefined) named.add(event.references.submission);
  return named;
}

function namedGoods(events: readonly TrackingEventView[]): { containers: Set<string>; bills: Set<string> } {
  const containers = new Set<string>();
  const bills = new Set<string>();
  for (const event of events) {
    if (event.references.container !== undefined) containers.add(event.references.container);
    if (event.references.billOfLading !== undefined) bills.add(event.references.billOfLading);
  }
  return { containers, bills };
}

/**
 * The rule itself, from what gives standing: the anchors of the containers and bills concerned, the submissions
 * seen. Whose goods the viewer sees is the submissions' viewer (policies): an enterprise its own, an agency what
 * was routed to it, an operator its tenant's.
 */
function accessFrom(viewer: SubmissionViewer, containerAnchors: readonly Anchor[], billAnchors: readonly Anchor[], seen: ReadonlySet<string>): Access {
  if (viewer.kind !== 'enterprise') {
    const sees = (event: TrackingEventView): boolean => {
      const submission = event.references.submission;
      if (submission !== undefined && !seen.has(submission)) return false;
      // An agency is shown its own decisions, not the other agencies' (as on the submission itself).
      if (viewer.kind === 'agency' && event.eventType === 'CLEARANCE' && event.agency !== undefined && event.agency !== viewer.party) return false;
      return true;
    };
    return { sees, entitled: (key) => key.kind !== 'submission' || seen.has(key.value) };
  }

  const counts = (anchor: Anchor): boolean => anchor.submission !== null && seen.has(anchor.submission);
  // A publisher may open the timeline of what it published, and is shown its own events there only.
  const publishedContainers = new Set(containerAnchors.filter((anchor) => anchor.own).map((anchor) => anchor.value));
  const publishedBills = new Set(billAnchors.filter((anchor) => anchor.own).map((anchor) => anchor.value));

  const entitledBills = new Set(billAnchors.filter(counts).map((anchor) => anchor.value));
  const windows = new Map<string, { from: string; to: string }>();
  for (const anchor of containerAnchors.filter(counts)) {
    const from = shift(anchor.first, -CONTAINER_WINDOW.beforeDays);
    const to = shift(anchor.last, CONTAINER_WINDOW.afterDays);
    const held = windows.get(anchor.value);
    windows.set(anchor.value, held === undefined ? { from, to } : { from: from < held.from ? from : held.from, to: to > held.to ? to : held.to });
  }
  const inWindow = (container: string, time: string): boolean => {
    const window = windows.get(container);
    return window !== undefined && time >= window.from && time <= window.to;
  };

  const sees = (event: TrackingEventView): boolean => {
    const { submission, billOfLading, container } = event.references;
    if (submission !== undefined) return seen.has(submission);
    if (event.publisher === viewer.party) return true;
    if (billOfLading !== undefined) return entitledBills.has(billOfLading);
    if (container !== undefined) return inWindow(container, event.eventTime);
    return event.eventType === 'TRANSPORT';
  };
  const entitled = (key: ReferenceKey): boolean => {
    switch (key.kind) {
      case 'submission':
        return seen.has(key.value);
      case 'billOfLading':
        return entitledBills.has(key.value) || publishedBills.has(key.value);
      case 'container':
        return windows.has(key.value) || publishedContainers.has(key.value);
      case 'vessel':
        return true;
    }
  };
  return { sees, entitled };
}

function shift(time: string, days: number): string {
  return new Date(Date.parse(time) + days * DAY_MS).toISOString();
}
