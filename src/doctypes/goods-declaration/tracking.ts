/**
 * What a goods declaration's clearance events are about in the status database: one per container (or one
 * without a container), each with the bill of lading, vessel and voyage.
 */
import type { TrackingReferences } from '../../modules/doctypes/doctype.js';
import type { GoodsDeclaration } from './schema.js';

export function trackingReferences(document: GoodsDeclaration): TrackingReferences[] {
  const { billOfLading, vesselImo, voyage, containers } = document.transport;
  const shared: TrackingReferences = {
    ...(billOfLading === undefined ? {} : { billOfLading }),
    ...(vesselImo === undefined ? {} : { vesselImo }),
    ...(voyage === undefined ? {} : { voyage }),
  };
  return containers === undefined || containers.length === 0 ? [shared] : containers.map((container) => ({ ...shared, container }));
}
