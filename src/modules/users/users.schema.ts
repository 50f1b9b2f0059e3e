import Type, { type Static } from 'typebox';
import type { PartyKind } from '../parties/index.js';

/**
 * Roles a person holds within their party. `admin` manages the party's users and API keys; the others are the
 * party's own roles (a user acts with the party's roles it also holds).
 */
export const USER_ROLES = ['admin', 'declarant', 'broker', 'agency', 'operator', 'carrier', 'terminal', 'port'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** What an API key may be limited to; a key without scopes has all its party's rights. */
export const KEY_SCOPES = ['submissions:write', 'submissions:read', 'inbox', 'ledger:issue', 'ledger:read', 'tracking:write', 'tracking:read', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** The scopes that make sense for each kind of party. */
export const SCOPES_BY_KIND: Readonly<Record<PartyKind, readonly KeyScope[]>> = {
  enterprise: ['submissions:write', 'submissions:read', 'ledger:read', 'tracking:write', 'tracking:read', 'admin'],
  agency: ['submissions:read', 'inbox', 'ledger:issue', 'ledger:read', 'tracking:write', 'tracking:read', 'admin'],
  operator: KEY_SCOPES,
};

/**
 * Who is calling, as far as managing people and keys is concerned. A `Principal` of the parties module fits it:
 * `userId`/`userRoles` are set for a portal session, `scopes` for a scoped API key. `console` is the operator at
 * the `kouan admin` command line, who may manage every tenant.
 */
export interface Caller {
  readonly partyId: string;
  readonly tenant: string;
  readonly kind: PartyKind;
  readonly userId?: string | undefined;
  readonly userRoles?: readonly string[] | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly console?: boolean | undefined;
}

/** The operator at the command line (`kouan admin user ...`, `kouan admin key ...`). */
export const CONSOLE_CALLER: Caller = { partyId: 'console', tenant: 'console', kind: 'operator', console: true };

export const UserSchema = Type.Object({
  id: Type.String({ description: 'usr_...' }),
  party: Type.String(),
  email: Type.String({ description: 'Lower-case; the login name' }),
  name: Type.String(),
  roles: Type.Array(Type.Enum(USER_ROLES)),
  totp: Type.Boolean({ description: 'Whether a one-time code from an authenticator app is asked at login' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Set after repeated failed logins' }),
  disabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  mustChangePassword: Type.Boolean({
    description: 'The password is one an admin or operator set: until the person chooses their own (POST /users/me/password), every other call of their session answers 403 PASSWORD_CHANGE_REQUIRED',
  }),
});
export type User = Static<typeof UserSchema>;

export const NewUserSchema = Type.Object(
  {
    party: Type.Optional(Type.String({ maxLength: 64, description: "Defaults to the caller's party; operators name the party" })),
    email: Type.String({ maxLength: 254 }),
    name: Type.String({ maxLength: 255 }),
    roles: Type.Array(Type.Enum(USER_ROLES), { maxItems: USER_ROLES.length }),
    password: Type.String({ maxLength: 256, description: 'At least 12 characters, not the email address' }),
  },
  { additionalProperties: false },
);
export type NewUser = Static<typeof NewUserSchema>;

export const UserListSchema = Type.Object({ users: Type.Array(UserSchema) });

export const LoginSchema = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: 256 }),
    totp: Type.Optional(Type.String({ maxLength: 16, description: 'The 6-digit code, for users with a second factor' })),
  },
  { additionalProperties: false },
);
export type Login = Static<typeof LoginSchema>;

export const SessionViewSchema = Type.Object({
  user: UserSchema,
  csrfToken: Type.String({ description: 'Send it back in the X-CSRF-Token header on POST, PUT, PATCH and DELETE' }),
  expiresAt: Type.String({ format: 'date-time', description: 'When the session ends unless used before (idle limit), never after the absolute limit' }),
});
export type SessionView = Static<typeof SessionViewSchema>;

export const TotpEnrolmentSchema = Type.Object({
  secret: Type.String({ description: 'Base32 secret to type into an authenticator app' }),
  otpauthUrl: Type.String({ description: 'The same as an otpauth:// URI, for a QR code' }),
});
export type TotpEnrolment = Static<typeof TotpEnrolmentSchema>;

export const OwnPasswordSchema = Type.Object(
  {
    currentPassword: Type.String({ maxLength: 256, description: 'The password the person signed in with' }),
    password: Type.String({ maxLength: 256, description: 'The new one: at least 12 characters, not the email address, not the current one' }),
  },
  { additionalProperties: false },
);
export type OwnPassword = Static<typeof OwnPasswordSchema>;

export const TotpCodeSchema = Type.Object({ code: Type.String({ maxLength: 16 }) }, { additionalProperties: false });
export const OptionalTotpCodeSchema = Type.Object({ code: Type.Optional(Type.String({ maxLength: 16 })) }, { additionalProperties: false });

export const ApiKeySchema = Type.Object({
  id: Type.String({ description: 'key_...' }),
  party: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Union([Type.Array(Type.Enum(KEY_SCOPES)), Type.Null()], { description: "null: all the party's rights" }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rotatedFrom: Type.Union([Type.String(), Type.Null()], { description: 'The key this one replaced' }),
});
export type ApiKey = Static<typeof ApiKeySchema>;

export const ApiKeyListSchema = Type.Object({ keys: Type.Array(ApiKeySchema) });

export const NewApiKeySchema = Type.Object(
  {
    party: Type.Optional(Type.String({ maxLength: 64, description: "Defaults to the caller's party; operators name the party" })),
    label: Type.Optional(Type.String({ maxLength: 255 })),
    scopes: Type.Optional(Type.Array(Type.Enum(KEY_SCOPES), { minItems: 1, maxItems: KEY_SCOPES.length, description: "Omit for all the party's rights" })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'Omit for a key that does not expire' })),
  },
  { additionalProperties: false },
);
export type NewApiKey = Static<typeof NewApiKeySchema>;

export const RotateApiKeySchema = Type.Object(
  { graceHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 30, description: 'How long the old key keeps working (default 24)' })) },
  { additionalProperties: false },
);

export const IssuedApiKeySchema = Type.Object({
  key: Type.String({ description: 'The secret key, shown once: kouan.<id>.<secret>' }),
  apiKey: ApiKeySchema,
});
export type IssuedApiKey = Static<typeof IssuedApiKeySchema>;
