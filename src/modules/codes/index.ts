import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { CodeListRegistry } from './code-list-registry.js';
import { CODES_MODULE_LISTS } from './code-lists.js';
import { CodesRepository } from './codes.repository.js';
import { CodesService } from './codes.service.js';

export { CodesService, cnUnit, districtOf } from './codes.service.js';
export type { CodeEntry, ImportedLookup, ImportResult, LocodePlace, ReferenceLookup, TariffLine } from './codes.service.js';
export { CodeListRegistry, SPECIAL_LISTS, isSpecialList } from './code-list-registry.js';
export type { CodeListDefinition, CodeListKind, CodeListSource, CodeName, SpecialList, StoredCodeList } from './code-list-registry.js';
export { CODES_MODULE_LISTS } from './code-lists.js';
export { CodeListStatusSchema, CodeListsSchema } from './codes.schema.js';
export type { CodeListStatus } from './codes.schema.js';
export { isValidContainerNumber, isValidImoNumber, isValidUscc } from './check-digits.js';
export { COUNTRY_ALPHA2, COUNTRY_ALPHA3 } from './country-alpha3.js';
export { CN_UNITS } from './cn-units.js';
export type { CnUnit } from './cn-units.js';

/**
 * The code-lists module: the registry of code lists with the ones Kouan ships registered (built-in ISO/UN lists,
 * store-backed GACC parameter tables, imported HS, UN/LOCODE, national tariff and customs offices), check digits.
 * Other modules add their lists with `codes.registry.register(...)` at start-up.
 */
export function createCodesModule(db: Kysely<Database>): CodesService {
  return new CodesService(new CodesRepository(db), new CodeListRegistry().register(...CODES_MODULE_LISTS));
}
