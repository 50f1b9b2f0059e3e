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
  const named = new Set<string>();
  for (const event of events) if (event.references.submission !== undefined) named.add(event.references.submission);
  for (const key of extra) if (key.kind === 'submission') named.add(key.value);

  if (caller.kind !== 'enterprise') {
    const seen = await canSee(caller, [...named]);
    const sees = (event: TrackingEventView): boolean => {
      const submission = event.references.submission;
      if (submission !== undefined && !seen.has(submission)) return false;
      // An agency is shown its own decisions, not the other agencies' (as on the submission itself).
      if (caller.kind === 'agency' && event.eventType === 'CLEARANCE' && event.agency !== undefined && event.agency !== caller.partyId) return false;
      return true;
    };
    return { sees, entitled: (key) => key.kind !== 'submission' || seen.has(key.value) };
  }

  const containers = new Set<string>();
  const bills = new Set<string>();
  for (const event of events) {
    if (event.references.container !== undefined) containers.add(event.references.container);
    if (event.references.billOfLading !== undefined) bills.add(event.references.billOfLading);
  }
  for (const key of extra) {
    if (key.kind === 'container') containers.add(key.value);
    if (key.kind === 'billOfLading') bills.add(key.value);
  }
  const [containerAnchors, billAnchors] = await Promise.all([
    repository.anchorsOf(caller.tenant, 'container', [...containers], caller.partyId),
    repository.anchorsOf(caller.tenant, 'billOfLading', [...bills], caller.partyId),
  ]);
  for (const anchor of [...containerAnchors, ...billAnchors]) if (anchor.submission !== null) named.add(anchor.submission);
  const seen = await canSee(caller, [...named]);
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
    if (event.publisher === caller.partyId) return true;
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
