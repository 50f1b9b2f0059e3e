/**
 * Who may publish which tracking events, and on what (docs/tracking.md, "Who publishes"). What a publisher posts
 * shows up in the timelines and current states of the goods' owners, so movements come only from parties an
 * operator vouched for, each about what is its own:
 *
 * | publisher                 | event types                     | tie to the event                                     |
 * |---------------------------|---------------------------------|------------------------------------------------------|
 * | enterprise, `carrier`     | SHIPMENT, EQUIPMENT, TRANSPORT  | a bill of lading it holds (the first carrier to publish on a bill claims it), or a container or vessel on one of its bills |
 * | enterprise, `terminal`    | EQUIPMENT, TRANSPORT            | `location` is one of its locations                   |
 * | enterprise, `port`        | TRANSPORT                       | `location` is one of its locations                   |
 * | agency MSA                | TRANSPORT, CLEARANCE            | vessel movements anywhere; clearance about itself    |
 * | any other agency          | CLEARANCE                       | about itself                                         |
 * | operator                  | all                             | none                                                 |
 *
 * The rule lives here, with the other policies; whose a bill is comes from the log's claims, which the tracking
 * module reads (tracking.repository.ts) when a tie needs them.
 */
import { holdsAny, isOneOf, LOCATED_ROLES, PUBLISHER_ROLES, type PublisherRole, type Role } from '../parties/parties.schema.js';
import type { EventType, TrackingEvent } from '../tracking/tracking.schema.js';
import type { Subject } from './policies.js';

/** The event types each publisher role may publish. */
export const ROLE_EVENT_TYPES: Readonly<Record<PublisherRole, readonly EventType[]>> = {
  // IoT and reefer readings come from the carrier's boxes, and from a terminal's reefer plugs.
  carrier: ['SHIPMENT', 'EQUIPMENT', 'TRANSPORT', 'IOT', 'REEFER'],
  terminal: ['EQUIPMENT', 'TRANSPORT', 'REEFER'],
  port: ['TRANSPORT'],
};

/** The event types a role may publish: none for a role that publishes nothing. */
function eventTypesOf(role: Role): readonly EventType[] {
  return isOneOf(role, PUBLISHER_ROLES) ? ROLE_EVENT_TYPES[role] : [];
}

/** Agencies that publish movements besides their clearance: the maritime safety administration, vessel movements. */
export const AGENCY_MOVEMENTS: Readonly<Record<string, readonly EventType[]>> = { MSA: ['TRANSPORT'] };

/** The event types a caller may publish at all. */
export function publishableTypes(caller: Subject): readonly EventType[] {
  switch (caller.kind) {
    case 'operator':
      return ['SHIPMENT', 'EQUIPMENT', 'TRANSPORT', 'IOT', 'REEFER', 'CLEARANCE'];
    case 'agency':
      return ['CLEARANCE', ...(AGENCY_MOVEMENTS[caller.partyId] ?? [])];
    case 'enterprise':
      return [...new Set((caller.roles ?? []).flatMap(eventTypesOf))];
  }
}

/** The publisher as a problem names it when an event type is not its to publish: `agency`, `enterprise (carrier)`. */
export function publisherKind(caller: Subject): string {
  return caller.kind === 'enterprise' ? `enterprise (${(caller.roles ?? []).join(', ')})` : caller.kind;
}

/** Whether the caller publishes at its own locations (a terminal, a port), so that they must be read. */
export function publishesAtLocations(caller: Subject): boolean {
  return caller.kind === 'enterprise' && holdsAny(caller.roles ?? [], LOCATED_ROLES);
}

/** The agency a clearance event the caller publishes is about: an agency's own, whatever it says; else the event's. */
export function clearanceAgency(caller: Subject): string | undefined {
  return caller.kind === 'agency' ? caller.partyId : undefined;
}

/** Why an event cannot be this enterprise's to publish, by the first rule that would have allowed it. */
export type Tie =
  | { readonly kind: 'none' }
  | { readonly kind: 'location' }
  /** Allowed once the log says the bill is the caller's or no carrier's (it then claims it). */
  | { readonly kind: 'bill'; readonly bill: string; readonly container: string | undefined; readonly vessel: string | undefined }
  /** Allowed once the log says the container or vessel is on one of the caller's bills. */
  | { readonly kind: 'onBills'; readonly container: string | undefined; readonly vessel: string | undefined }
  | { readonly kind: 'refused'; readonly path: string; readonly reference: string; readonly why: string };

/**
 * What ties an enterprise's movement event to it, before the log is read: its location (terminal, port), else its
 * bill of lading, container or vessel (carrier). `none` for parties that need no tie (operators, agencies).
 */
export function tieOf(caller: Subject, event: TrackingEvent, locations: readonly string[]): Tie {
  if (caller.kind !== 'enterprise') return { kind: 'none' };
  const roles = caller.roles ?? [];
  const byLocation = roles.filter((role) => isOneOf(role, LOCATED_ROLES) && ROLE_EVENT_TYPES[role].includes(event.eventType));
  if (byLocation.length > 0 && event.location !== undefined && locations.includes(event.location)) return { kind: 'location' };
  if (roles.includes('carrier') && ROLE_EVENT_TYPES.carrier.includes(event.eventType)) {
    const { billOfLading, container, vesselImo } = event.references;
    if (billOfLading !== undefined) return { kind: 'bill', bill: billOfLading, container, vessel: vesselImo };
    if (container !== undefined || vesselImo !== undefined) return { kind: 'onBills', container, vessel: vesselImo };
    return { kind: 'refused', path: '$.references.billOfLading', reference: 'this event', why: 'a carrier publishes on its bills of lading, and on containers and vessels on them' };
  }
  if (event.location === undefined) return { kind: 'refused', path: '$.location', reference: 'this event', why: `a ${byLocation.join(' or ')} publishes at its own locations (${locations.join(', ')}); give the location` };
  return { kind: 'refused', path: '$.location', reference: event.location, why: `it is not one of your locations (${locations.join(', ') || 'none'})` };
}
