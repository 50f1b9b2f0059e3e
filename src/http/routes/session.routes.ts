import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { LoginSchema, SESSION_MAX_MS, SessionViewSchema, type UsersService } from '../../modules/users/index.js';
import { KouanError } from '../../shared/errors.js';
import { withProblems } from '../problem.js';

/** The portal's session cookie. */
export const SESSION_COOKIE = 'kouan_session';
/** The header a portal request with the session cookie sends its CSRF token in, on every unsafe method. */
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionRouteOptions {
  /** Mark the cookie Secure (HTTPS only). Off only for a portal served over plain http://localhost. */
  readonly secureCookies: boolean;
}

/** The session cookie's attributes; logout clears it with the same ones. */
export function sessionCookieOptions(options: SessionRouteOptions): CookieSerializeOptions {
  return { httpOnly: true, secure: options.secureCookies, sameSite: 'strict', path: '/' };
}

/** The X-CSRF-Token header, when sent once. */
export function csrfHeader(request: FastifyRequest): string | undefined {
  const value = request.headers[CSRF_HEADER];
  return typeof value === 'string' ? value : undefined;
}

export function sessionRoutes(services: { users: UsersService }, options: SessionRouteOptions = { secureCookies: true }): FastifyPluginAsyncTypebox {
  const cookie = sessionCookieOptions(options);
  const clearCookie = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, cookie);
  const authenticated = async (request: FastifyRequest) => {
    const token = request.cookies[SESSION_COOKIE];
    return token === undefined || token === '' ? undefined : services.users.authenticateSession(token);
  };

  return async (app) => {
    app.post(
      '/session',
      {
        config: { public: true },
        schema: {
          summary: 'Log in to the portal',
          description:
            `Sets the ${SESSION_COOKIE} cookie (HttpOnly, Secure, SameSite=Strict) and answers with the CSRF token to send as X-CSRF-Token on POST, PUT, PATCH and DELETE. ` +
            'A wrong email or password answers LOGIN_FAILED either way. Users with a second factor send `totp` (TOTP_REQUIRED when missing). ' +
            'Five failures in a row lock the account for 15 minutes (429 LOGIN_LOCKED with Retry-After).',
          tags: ['session'],
          security: [],
          body: LoginSchema,
          response: withProblems({ 200: SessionViewSchema }),
        },
      },
      async (request, reply) => {
        const result = await services.users.login({ ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] });
        void reply.setCookie(SESSION_COOKIE, result.token, { ...cookie, maxAge: SESSION_MAX_MS / 1000 });
        return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
      },
    );

    app.get(
      '/session',
      {
        config: { public: true },
        schema: {
          summary: 'The logged-in user, the CSRF token and when the session ends',
          description: 'For the portal after a reload: the CSRF token is the same for the whole session.',
          tags: ['session'],
          security: [],
          response: withProblems({ 200: SessionViewSchema }),
        },
      },
      async (request) => {
        const session = await authenticated(request);
        if (session === undefined) throw new KouanError('AUTH_REQUIRED');
        return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.session.expiresAt };
      },
    );

    app.delete(
      '/session',
      {
        config: { public: true },
        schema: {
          summary: 'Log out',
          description: 'Ends the session (with its X-CSRF-Token) and clears the cookie. Without a live session it only clears the cookie.',
          tags: ['session'],
          security: [],
          response: withProblems({ 204: Type.Null() }),
        },
      },
      async (request, reply) => {
        const session = await authenticated(request);
        if (session !== undefined) {
          if (!services.users.checkCsrf(session.session, csrfHeader(request))) throw new KouanError('CSRF_INVALID');
          await services.users.logout(request.cookies[SESSION_COOKIE] ?? '');
        }
        void clearCookie(reply);
        return reply.status(204).send(null);
      },
    );
  };
}
