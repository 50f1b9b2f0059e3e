import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  ApiKeyListSchema,
  ApiKeySchema,
  IssuedApiKeySchema,
  NewApiKeySchema,
  NewUserSchema,
  OptionalTotpCodeSchema,
  OwnPasswordSchema,
  RotateApiKeySchema,
  TotpCodeSchema,
  TotpEnrolmentSchema,
  UserListSchema,
  UserSchema,
  type Caller,
  type UsersService,
} from '../../modules/users/index.js';
import { KouanError } from '../../shared/errors.js';
import { principalOf } from '../app.js';
import { withProblems } from '../problem.js';
import { SESSION_COOKIE } from './session.routes.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64, description: 'usr_..., or `me` for the logged-in user' }) });
const KeyIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const PartyQuery = Type.Object({ party: Type.Optional(Type.String({ maxLength: 64, description: "Defaults to the caller's party; operators name one" })) }, { additionalProperties: false });
const PasswordBody = Type.Object(
  {
    password: Type.String({ maxLength: 256, description: 'The new password: at least 12 characters, not the email address' }),
    currentPassword: Type.Optional(Type.String({ maxLength: 256, description: 'Required when changing your own (`me`)' })),
  },
  { additionalProperties: false },
);

const MANAGED_BY = "By the party's admin users (or an API key scoped `admin`) and by operators of its tenant.";

/** `me` in a path is the session's user. */
function userIdOf(caller: Caller, id: string): string {
  if (id !== 'me') return id;
  if (caller.userId === undefined) throw new KouanError('SESSION_REQUIRED');
  return caller.userId;
}

/** People of a party: accounts, their second factor, and admin actions on them. */
export function usersRoutes(services: { users: UsersService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/users',
      {
        config: { action: 'users.manage' },
        schema: {
          summary: 'Add a person to a party',
          description: `${MANAGED_BY} The password needs at least 12 characters and must not be the email address.`,
          tags: ['people'],
          body: NewUserSchema,
          response: withProblems({ 201: UserSchema }),
        },
      },
      async (request, reply) => {
        const { party, ...rest } = request.body;
        const user = await services.users.createUser(principalOf(request), { ...rest, partyId: party });
        return reply.status(201).send(user);
      },
    );

    app.get(
      '/users',
      { config: { action: 'users.manage' }, schema: { summary: "The party's users", description: MANAGED_BY, tags: ['people'], querystring: PartyQuery, response: withProblems({ 200: UserListSchema }) } },
      async (request) => ({ users: await services.users.listUsers(principalOf(request), request.query.party) }),
    );

    app.get(
      '/users/me',
      { config: { action: 'session.self' }, schema: { summary: 'The logged-in user', tags: ['people'], response: withProblems({ 200: UserSchema }) } },
      (request) => services.users.me(principalOf(request)),
    );

    app.post(
      '/users/:id/disable',
      {
        config: { action: 'users.manage' },
        schema: { summary: 'Disable a user for good; their sessions end at once', description: MANAGED_BY, tags: ['people'], params: IdParams, response: withProblems({ 200: UserSchema }) },
      },
      (request) => {
        const caller = principalOf(request);
        return services.users.disableUser(caller, userIdOf(caller, request.params.id));
      },
    );

    app.post(
      '/users/:id/unlock',
      { config: { action: 'users.manage' }, schema: { summary: 'Lift a lockout after failed logins', description: MANAGED_BY, tags: ['people'], params: IdParams, response: withProblems({ 200: UserSchema }) } },
      (request) => {
        const caller = principalOf(request);
        return services.users.unlockUser(caller, userIdOf(caller, request.params.id));
      },
    );

    app.post(
      '/users/:id/password',
      {
        config: { action: 'users.manage' },
        schema: {
          summary: "Change your password (`me`, with the current one) or reset a user's; their sessions end",
          description: `Resetting another user's password also lifts a lockout. ${MANAGED_BY}`,
          tags: ['people'],
          params: IdParams,
          body: PasswordBody,
          response: withProblems({ 200: UserSchema }),
        },
      },
      (request) => {
        const caller = principalOf(request);
        return services.users.setPassword(caller, userIdOf(caller, request.params.id), request.body.password, request.body.currentPassword);
      },
    );

    app.post(
      '/users/me/password',
      {
        // The one call (besides signing out) a person whose password an admin set may make.
        config: { action: 'session.self', beforePasswordChange: true },
        schema: {
          summary: 'Choose your own password, with the current one',
          description:
            'For the logged-in user. The new password needs at least 12 characters, must not be the email address nor the current password. ' +
            'Ends a pending forced change (PASSWORD_CHANGE_REQUIRED); the user\'s other sessions end, this one goes on.',
          tags: ['people'],
          body: OwnPasswordSchema,
          response: withProblems({ 200: UserSchema }),
        },
      },
      (request) =>
        services.users.changeOwnPassword(principalOf(request), request.body.currentPassword, request.body.password, request.cookies[SESSION_COOKIE]),
    );

    app.post(
      '/users/me/totp',
      {
        config: { action: 'session.self' },
        schema: {
          summary: 'Start setting up a second factor (TOTP)',
          description: 'Answers a new secret; the second factor is on once POST /users/me/totp/confirm receives a code from it.',
          tags: ['people'],
          response: withProblems({ 200: TotpEnrolmentSchema }),
        },
      },
      (request) => services.users.enableTotp(principalOf(request)),
    );

    app.post(
      '/users/me/totp/confirm',
      {
        config: { action: 'session.self' },
        schema: { summary: 'Turn the second factor on with a code from the app', tags: ['people'], body: TotpCodeSchema, response: withProblems({ 200: UserSchema }) },
      },
      (request) => services.users.confirmTotp(principalOf(request), request.body.code),
    );

    app.post(
      '/users/:id/totp/disable',
      {
        config: { action: 'users.manage' },
        schema: {
          summary: 'Turn the second factor off',
          description: `For yourself (\`me\`) with a current code; for another user (who lost their device) ${MANAGED_BY.charAt(0).toLowerCase()}${MANAGED_BY.slice(1)}`,
          tags: ['people'],
          params: IdParams,
          body: OptionalTotpCodeSchema,
          response: withProblems({ 200: UserSchema }),
        },
      },
      (request) => {
        const caller = principalOf(request);
        return services.users.disableTotp(caller, userIdOf(caller, request.params.id), request.body.code);
      },
    );
  };
}

/** API keys of a party: scopes, expiry and rotation. */
export function keysRoutes(services: { users: UsersService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/keys',
      { config: { action: 'users.manage' }, schema: { summary: "The party's API keys (never their secrets)", description: MANAGED_BY, tags: ['keys'], querystring: PartyQuery, response: withProblems({ 200: ApiKeyListSchema }) } },
      async (request) => ({ keys: await services.users.listKeys(principalOf(request), request.query.party) }),
    );

    app.post(
      '/keys',
      {
        config: { action: 'users.manage' },
        schema: {
          summary: 'Issue an API key, optionally limited in scope and time',
          description: `${MANAGED_BY} The secret \`key\` is in this answer only.`,
          tags: ['keys'],
          body: NewApiKeySchema,
          response: withProblems({ 201: IssuedApiKeySchema }),
        },
      },
      async (request, reply) => {
        const { party, ...rest } = request.body;
        return reply.status(201).send(await services.users.createKey(principalOf(request), { ...rest, partyId: party }));
      },
    );

    app.post(
      '/keys/:id/rotate',
      {
        config: { action: 'users.manage' },
        schema: {
          summary: 'Replace a key: same label, scopes and lifetime; the old one keeps working for a grace period',
          description: `${MANAGED_BY} The old key expires after graceHours (default 24); the new secret is in this answer only.`,
          tags: ['keys'],
          params: KeyIdParams,
          querystring: RotateApiKeySchema,
          response: withProblems({ 201: IssuedApiKeySchema }),
        },
      },
      async (request, reply) => {
        const graceHours = request.query.graceHours;
        const issued = await services.users.rotateKey(principalOf(request), request.params.id, { graceMs: graceHours === undefined ? undefined : graceHours * 3_600_000 });
        return reply.status(201).send(issued);
      },
    );

    app.post(
      '/keys/:id/revoke',
      { config: { action: 'users.manage' }, schema: { summary: 'Revoke a key at once', description: MANAGED_BY, tags: ['keys'], params: KeyIdParams, response: withProblems({ 200: ApiKeySchema }) } },
      (request) => services.users.revokeKey(principalOf(request), request.params.id),
    );
  };
}
