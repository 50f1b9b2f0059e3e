import type { Kysely } from 'kysely';
import type { PartiesService } from '../parties/index.js';
import { KouanError } from '../../shared/errors.js';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import { DelegationsRepository } from './delegations.repository.js';
import { DelegationsService } from './delegations.service.js';

export { DelegationsService } from './delegations.service.js';
export type { DelegationsOptions, FindParty } from './delegations.service.js';
export {
  DELEGATION_DIRECTIONS,
  DELEGATION_ROLES,
  DELEGATION_STATUSES,
  DelegationPageSchema,
  DelegationSchema,
  GrantDelegationSchema,
  ListDelegationsQuerySchema,
} from './delegations.schema.js';
export type { Delegation, DelegationDirection, DelegationPage, DelegationRole, DelegationStatus, GrantDelegation, ListDelegationsQuery, Mandate } from './delegations.schema.js';

/** The delegations module (委托报关): enterprises authorise brokers; the submissions pipeline asks `authorizes`. */
export function createDelegationsModule(db: Kysely<Database>, dialect: Dialect, parties: Pick<PartiesService, 'getParty'>, docTypes: readonly string[]): DelegationsService {
  return new DelegationsService(new DelegationsRepository(db, dialect), {
    docTypes,
    async findParty(id) {
      try {
        return await parties.getParty(id);
      } catch (error) {
        if (error instanceof KouanError && error.code === 'PARTY_UNKNOWN') return undefined;
        throw error;
      }
    },
  });
}
