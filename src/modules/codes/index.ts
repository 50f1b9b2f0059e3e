import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { CodesRepository } from './codes.repository.js';
import { CodesService } from './codes.service.js';

export { CodesService, CODE_LISTS, BUILT_IN_LISTS, IMPORTED_LISTS, cnUnit, districtOf } from './codes.service.js';
export type { BuiltInList, CodeEntry, CodeListName, ImportedList, ImportedLookup, LocodePlace, ReferenceLookup, TariffLine } from './codes.service.js';
export { isValidContainerNumber, isValidImoNumber, isValidUscc } from './check-digits.js';

/** The code-lists module: built-in ISO/UN lists and customs districts, imported HS, UN/LOCODE, national tariff and customs offices, check digits. */
export function createCodesModule(db: Kysely<Database>): CodesService {
  return new CodesService(new CodesRepository(db));
}
