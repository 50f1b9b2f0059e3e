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
  /**
   * Mark the cookie Secure (HTTPS only): 'auto' when the request came over https (isHttps), else always or never.
   * A browser drops a Secure cookie set over plain http (but for localhost), and the next request has no session.
   */
  readonly secureCookies: boolean | 'auto';
  /** Whether the request came over https, directly or by a trusted proxy's word (app.ts); plain http when absent. */
  readonly isHttps?: (request: FastifyRequest) => boolean;
}

/** The header a sign-in over plain http carries: the session cookie travels unencrypted. */
export const INSECURE_SESSION_HEADER = 'kouan-session-warning';

/** The session cookie's attributes for a request; logout clears it with the same ones. */
export function sessionCookieOptions(options: SessionRouteOptions, request?: FastifyRequest): CookieSerializeOptions {
  const secure = options.secureCookies === 'auto' ? request !== undefined && (options.isHttps?.(request) ?? false) : options.secureCookies;
  return { httpOnly: true, secure, sameSite: 'strict', path: '/' };
}

/** The 401 of a session cookie that authenticates nobody: expired, ended, or unknown to this store. */
export async function sessionRefused(users: Pick<UsersService, 'sessionRefusal'>, token: string): Promise<KouanError> {
  const refusal = await users.sessionRefusal(token);
  return new KouanError(refusal === 'expired' ? 'SESSION_EXPIRED' : refusal === 'ended' ? 'SESSION_ENDED' : 'SESSION_UNKNOWN');
}

/** The X-CSRF-Token header, when sent once. */
export function csrfHeader(request: FastifyRequest): string | undefined {
  const value = request.headers[CSRF_HEADER];
  return typeof value === 'string' ? value : undefined;
}

export function sessionRoutes(services: { users: UsersService }, options: SessionRouteOptions = { secureCookies: true }): FastifyPluginAsyncTypebox {
  const clearCookie = (request: FastifyRequest, reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(options, request));
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
            `Sets the ${SESSION_COOKIE} cookie (HttpOnly, SameSite=Strict, and Secure when the request came over https: KOUAN_COOKIE_SECURE, KOUAN_TRUST_PROXY) and answers with the CSRF token to send as X-CSRF-Token on POST, PUT, PATCH and DELETE. ` +
            'A wrong email or password answers LOGIN_FAILED either way. Users with a second factor send `totp` (TOTP_REQUIRED when missing). ' +
            'Five failures in a row lock the account for 15 minutes (429 LOGIN_LOCKED with Retry-After). ' +
            `Over plain http the answer carries a ${INSECURE_SESSION_HEADER} header: the session travels unencrypted.`,
          tags: ['session'],
          security: [],
          body: LoginSchema,
          response: withProblems({ 200: SessionViewSchema }),
        },
      },
      async (request, reply) => {
        const result = await services.users.login({ ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] });
        const cookie = sessionCookieOptions(options, request);
        void reply.setCookie(SESSION_COOKIE, result.token, { ...cookie, maxAge: SESSION_MAX_MS / 1000 });
        if (options.isHttps?.(request) !== true) void reply.header(INSECURE_SESSION_HEADER, 'unencrypted: this session travels over plain http; serve the portal over https');
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
        if (session === undefined) {
          const token = request.cookies[SESSION_COOKIE];
          throw token === undefined || token === '' ? new KouanError('AUTH_REQUIRED') : await sessionRefused(services.users, token);
        }
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
        void clearCookie(request, reply);
        return reply.status(204).send(null);
      },
    );
  };
}
