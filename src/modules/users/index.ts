import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { PartiesService } from '../parties/index.js';
import { UsersRepository } from './users.repository.js';
import { UsersService, type UsersOptions } from './users.service.js';

export {
  isKeyUsable,
  KEY_ROTATION_GRACE_MS,
  LOCKOUT_MS,
  LOCKOUT_THRESHOLD,
  PASSWORD_MIN_CHARACTERS,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  UsersService,
} from './users.service.js';
export type { AuthenticatedSession, LoginInput, LoginResult, NewKeyInput, NewUserInput, PasswordHasher, SessionPrincipal, UsersOptions } from './users.service.js';
export {
  ApiKeyListSchema,
  ApiKeySchema,
  CONSOLE_CALLER,
  IssuedApiKeySchema,
  KEY_SCOPES,
  LoginSchema,
  NewApiKeySchema,
  NewUserSchema,
  OptionalTotpCodeSchema,
  OwnPasswordSchema,
  RotateApiKeySchema,
  SCOPES_BY_KIND,
  SessionViewSchema,
  TotpCodeSchema,
  TotpEnrolmentSchema,
  USER_ROLES,
  UserListSchema,
  UserSchema,
} from './users.schema.js';
export type { ApiKey, Caller, IssuedApiKey, KeyScope, SessionView, TotpEnrolment, User, UserRole } from './users.schema.js';
export { totpCode } from './totp.js';

/** The users module: people of a party, their portal sessions and second factor, and API key scopes and rotation. */
export function createUsersModule(db: Kysely<Database>, parties: PartiesService, options: UsersOptions = {}): UsersService {
  return new UsersService(new UsersRepository(db), parties, options);
}
