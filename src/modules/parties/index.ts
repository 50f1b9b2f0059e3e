import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { PartiesRepository } from './parties.repository.js';
import { PartiesService } from './parties.service.js';

export { PartiesService } from './parties.service.js';
export type { NewParty } from './parties.service.js';
export type { KeyTerms, KeyTermsRecord } from './parties.repository.js';
export { SEEDED_AGENCIES } from './agencies.js';
export { holdsAny, isOneOf, LOCATED_ROLES, MeSchema, PartySchema, PARTY_KINDS, PUBLISHER_ROLES, ROLES } from './parties.schema.js';
export type { Me, Party, PartyKind, Principal, PublisherRole, Role } from './parties.schema.js';

/** The parties module: enterprises, agencies, operators and their API keys. */
export function createPartiesModule(db: Kysely<Database>, defaultTenant: string): PartiesService {
  return new PartiesService(new PartiesRepository(db), defaultTenant);
}
