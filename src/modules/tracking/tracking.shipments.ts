/**
 * The shipments of a container: a container is reused, voyage after voyage and declaration after declaration, and
 * what it is doing now is the state of the shipment it is on now, not a blend of all of them.
 *
 * A shipment is what the events' references tie together: events that share a voyage (vessel IMO + voyage), a
 * bill of lading or a submission belong to one shipment (so a declaration naming the bill of lading joins the
 * carrier's events on that bill, and a bill carried on a feeder and then a mother vessel is one shipment). An event
 * that names none of them (a terminal's gate move naming only the container), and a declaration that names no voyage
 * or bill of lading, belong to the shipment nearest in time (the gate-out after a discharge to the voyage it came
 * on, the gate-in before a loading to the voyage it leaves on; within two shipments at once, the later begun); a
 * container known only from declarations has one shipment per declaration. The shipment the container is on now is the one whose newest actual
 * movement or declaration is the latest; one with only plans and estimates is current only when none has actuals.
 *
 * A pure function of the events (in any order), so ingest and rebuild agree.
 */
import type { TrackingEventView } from './tracking.schema.js';

interface Component {
  readonly keys: Set<string>;
  readonly events: TrackingEventView[];
  readonly root: string;
  start: string;
}

export interface ShipmentGroup {
  readonly id: string;
  readonly voyages: string[];
  readonly billsOfLading: string[];
  readonly submissions: string[];
  readonly firstEventTime: string;
  readonly lastEventTime: string;
  /** The latest actual movement or declaration, null when it has none. */
  readonly lastActualTime: string | null;
  readonly lastSeq: number;
  readonly events: TrackingEventView[];
}

/** The shipments of a container's events, oldest first (by first event time), and which is current (undefined when there are no events). */
export function shipmentsOf(events: readonly TrackingEventView[]): { shipments: ShipmentGroup[]; current: ShipmentGroup | undefined } {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    // Path compression keeps the unions near-linear.
    let node = key;
    while (node !== root) {
      const next = parent.get(node) ?? root;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const add = (key: string) => {
    if (!parent.has(key)) parent.set(key, key);
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    // The smaller key is the root, so the grouping does not depend on the order events come in.
    if (ra !== rb) {
      if (ra < rb) parent.set(rb, ra);
      else parent.set(ra, rb);
    }
  };

  const linked: { event: TrackingEventView; keys: string[] }[] = [];
  const loose: TrackingEventView[] = [];
  for (const event of events) {
    const keys = linksOf(event);
    if (keys.length === 0) {
      loose.push(event);
      continue;
    }
    for (const key of keys) add(key);
    for (const key of keys.slice(1)) union(keys[0] as string, key);
    linked.push({ event, keys });
  }

  const components = new Map<string, Component>();
  for (const { event, keys } of linked) {
    const root = find(keys[0] as string);
    const component = components.get(root) ?? { keys: new Set<string>(), events: [], root, start: '' };
    for (const key of keys) component.keys.add(key);
    component.events.push(event);
    if (component.start === '' || event.eventTime < component.start) component.start = event.eventTime;
    components.set(root, component);
  }
  // A voyage or a bill of lading is a shipment; a declaration that names neither belongs to the shipment under way
  // when it was made, like an event that names only the container. Without any voyage or bill, declarations are the shipments.
  const all = [...components.values()];
  const anchored = all.filter((component) => [...component.keys].some((key) => !key.startsWith('submission ')));
  const hosts = anchored.length > 0 ? anchored : all;
  const guests = anchored.length > 0 ? all.filter((component) => !anchored.includes(component)) : [];
  if (hosts.length === 0 && loose.length > 0) hosts.push({ keys: new Set(), events: [], root: '', start: '' });
  const spans = hosts.map((host) => ({ host, first: Date.parse(host.start), last: Math.max(...host.events.map((event) => Date.parse(event.eventTime))) }));
  const hostAt = (time: string): Component | undefined => {
    const at = Date.parse(time);
    let best: { host: Component; distance: number; first: number } | undefined;
    for (const { host, first, last } of spans) {
      const distance = host.events.length === 0 ? Infinity : at < first ? first - at : at > last ? at - last : 0;
      // The nearest shipment; within two at once, the one begun later; then the smaller key, so order never matters.
      const better = best === undefined || distance < best.distance || (distance === best.distance && (first > best.first || (first === best.first && host.root < best.host.root)));
      if (better) best = { host, distance, first };
    }
    return best?.host;
  };
  for (const guest of guests) {
    const host = hostAt(guest.start);
    for (const key of guest.keys) host?.keys.add(key);
    host?.events.push(...guest.events);
  }
  for (const event of loose) hostAt(event.eventTime)?.events.push(event);
  const members = hosts;

  const shipments = members.map((group) => toShipment(group.keys, group.events)).sort((a, b) => (a.firstEventTime < b.firstEventTime ? -1 : a.firstEventTime > b.firstEventTime ? 1 : a.id < b.id ? -1 : 1));
  const current = shipments.reduce<ShipmentGroup | undefined>((best, candidate) => (best === undefined || newer(candidate, best) ? candidate : best), undefined);
  return { shipments, current };
}

/** The keys that tie an event to a shipment. */
function linksOf(event: TrackingEventView): string[] {
  const { references } = event;
  const keys: string[] = [];
  if (references.vesselImo !== undefined && references.voyage !== undefined) keys.push(`vessel ${references.vesselImo}/${references.voyage}`);
  if (references.billOfLading !== undefined) keys.push(`bl ${references.billOfLading}`);
  if (references.submission !== undefined) keys.push(`submission ${references.submission}`);
  return keys;
}

function toShipment(keys: ReadonlySet<string>, events: TrackingEventView[]): ShipmentGroup {
  const sorted = [...keys].sort();
  const voyages = sorted.filter((key) => key.startsWith('vessel ')).map((key) => key.slice('vessel '.length));
  const billsOfLading = sorted.filter((key) => key.startsWith('bl ')).map((key) => key.slice('bl '.length));
  const submissions = sorted.filter((key) => key.startsWith('submission ')).map((key) => key.slice('submission '.length));
  const id = voyages[0] !== undefined ? `vessel ${voyages[0]}` : billsOfLading[0] !== undefined ? `bl ${billsOfLading[0]}` : submissions[0] !== undefined ? `submission ${submissions[0]}` : 'unreferenced';
  let firstEventTime = '';
  let lastEventTime = '';
  let lastActualTime: string | null = null;
  let lastSeq = 0;
  for (const event of events) {
    if (firstEventTime === '' || event.eventTime < firstEventTime) firstEventTime = event.eventTime;
    if (event.eventTime > lastEventTime) lastEventTime = event.eventTime;
    if (event.classifier === 'ACT' && (lastActualTime === null || event.eventTime > lastActualTime)) lastActualTime = event.eventTime;
    lastSeq = Math.max(lastSeq, event.seq);
  }
  return { id, voyages, billsOfLading, submissions, firstEventTime, lastEventTime, lastActualTime, lastSeq, events };
}

/** Whether `a` is a later shipment than `b`: by its latest actual, then by its latest event, then by what arrived last. */
function newer(a: ShipmentGroup, b: ShipmentGroup): boolean {
  if ((a.lastActualTime === null) !== (b.lastActualTime === null)) return a.lastActualTime !== null;
  if (a.lastActualTime !== b.lastActualTime && a.lastActualTime !== null && b.lastActualTime !== null) return a.lastActualTime > b.lastActualTime;
  if (a.lastEventTime !== b.lastEventTime) return a.lastEventTime > b.lastEventTime;
  return a.lastSeq > b.lastSeq;
}
