/**
 * The HTTP application: Fastify with TypeBox schemas, API-key authentication, problem+json errors and OpenAPI.
 * Route files are thin: authenticate, validate, call a module, present.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import fastifyCookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { ANONYMOUS, type AuditService } from '../modules/audit/index.js';
import type { CodesService } from '../modules/codes/index.js';
import type { DelegationsService } from '../modules/delegations/index.js';
import type { DocTypeRegistry } from '../modules/doctypes/index.js';
import type { DraftsService } from '../modules/drafts/index.js';
import type { ExchangeService } from '../modules/exchange/index.js';
import type { LedgerService } from '../modules/ledger/index.js';
import type { PartiesService, Principal } from '../modules/parties/index.js';
import type { SignaturesService } from '../modules/signatures/index.js';
import type { StatsService } from '../modules/stats/index.js';
import type { SubmissionsService } from '../modules/submissions/index.js';
import type { SubscriptionService, TrackingService, TrackingStreams } from '../modules/tracking/index.js';
import { hasScope, type KeyScope, type UsersService } from '../modules/users/index.js';
import { KouanError, type FieldError } from '../shared/errors.js';
import type { Store } from '../store/store.js';
import { quoteLongNumbers } from './json-body.js';
import { RateLimiter } from './rate-limit.js';
import { sendProblem, toKouanError } from './problem.js';
import { codesRoutes } from './routes/codes.routes.js';
import { delegationsRoutes } from './routes/delegations.routes.js';
import { doctypesRoutes } from './routes/doctypes.routes.js';
import { draftsRoutes } from './routes/drafts.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { inboxRoutes } from './routes/inbox.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { ledgerRoutes } from './routes/ledger.routes.js';
import { metaRoutes } from './routes/meta.routes.js';
import { csrfHeader, SESSION_COOKIE, sessionRoutes } from './routes/session.routes.js';
import { signaturesRoutes, wellKnownRoutes } from './routes/signatures.routes.js';
import { statsRoutes } from './routes/stats.routes.js';
import { submissionsRoutes } from './routes/submissions.routes.js';
import { keysRoutes, usersRoutes } from './routes/users.routes.js';
import { EDIFACT_MEDIA_TYPE, trackingRoutes } from './routes/tracking.routes.js';
import { PORTAL_CSP, isPortalPath, registerPortal } from './portal.js';
import { partiesRoutes } from './routes/parties.routes.js';
import { webhookRoutes } from './routes/webhook.routes.js';

export interface Services {
  readonly store: Store;
  readonly parties: PartiesService;
  readonly users: UsersService;
  readonly codes: CodesService;
  readonly doctypes: DocTypeRegistry;
  readonly exchange: ExchangeService;
  readonly ledger: LedgerService;
  readonly delegations: DelegationsService;
  readonly submissions: SubmissionsService;
  readonly signatures: SignaturesService;
  readonly tracking: TrackingService;
  readonly trackingSubscriptions: SubscriptionService;
  readonly trackingStreams: TrackingStreams;
  readonly audit: AuditService;
  readonly drafts: DraftsService;
  readonly stats: StatsService;
}

export interface AppOptions {
  readonly services: Services;
  readonly bodyLimit: number;
  readonly logLevel?: string;
  readonly version?: string;
  /** Requests per second per API key and per client address (0: no limit). */
  readonly rateLimits?: { readonly perKey: number; readonly perAddress: number };
  /** The tenant recorded for requests without a principal. */
  readonly tenant?: string;
  /** Secure attribute of the session cookie (default true). */
  readonly cookieSecure?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    /** The request body exactly as received, for checking a signature over it. */
    rawBody: string | undefined;
    /** What a handler tells the audit log about the resource it touched. */
    auditSubject: { resource: string; owner?: string | null } | undefined;
  }
  interface FastifyContextConfig {
    /** Routes that answer without an API key. */
    public?: boolean;
  }
}

export type App = FastifyInstance;

/** Reads of other parties' data that are audited when an agency or an operator makes them. */
const AUDITED_READS = ['/api/v1/submissions', '/api/v1/ledger/accounts', '/api/v1/audit', '/api/v1/inbox', '/api/v1/tracking'];

/** The caller of an authenticated route. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new KouanError('AUTH_REQUIRED');
  return request.principal;
}

/** The caller of a route that needs a scope: an API key limited to other scopes gets 403 SCOPE_MISSING. */
export function principalWith(request: FastifyRequest, scope: KeyScope): Principal {
  const principal = principalOf(request);
  if (!hasScope(principal, scope)) throw principal.userId === undefined ? new KouanError('SCOPE_MISSING', { params: { scope } }) : new KouanError('FORBIDDEN');
  return principal;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How deep a request's JSON may nest: a goods declaration needs a handful of levels; 10,000 overflow the stack of whatever walks them. */
const MAX_JSON_DEPTH = 64;

/** Why a request's parameters, query or body cannot be taken: U+0000, which PostgreSQL text cannot hold, or nesting too deep. */
function unsafeValue(value: unknown, part: string): FieldError | undefined {
  const stack: [unknown, number, string][] = [[value, 0, '$']];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth, path] = next;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return { path: `${part}:${path}`, code: 'FIELD_FORMAT', params: { format: 'text without U+0000' } };
    } else if (typeof node === 'object' && node !== null) {
      if (depth >= MAX_JSON_DEPTH) return { path: `${part}:${path}`, code: 'FIELD_RANGE', params: { limit: `at most ${MAX_JSON_DEPTH} levels of nesting` } };
      for (const [key, item] of Object.entries(node)) {
        if (key.includes('\u0000')) return { path: `${part}:${path}`, code: 'FIELD_FORMAT', params: { format: 'names without U+0000' } };
        stack.push([item, depth + 1, Array.isArray(node) ? `${path}[${key}]` : `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

const AJV_OPTIONS = { removeAdditional: false, coerceTypes: 'array', allErrors: true } as const;
const validatorPool = AjvCompiler();

/** Builds the application; `listen` is the caller's business, so tests use `inject` without a port. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const app = Fastify({
    bodyLimit: options.bodyLimit,
    logger: options.logLevel === undefined || options.logLevel === 'silent' ? false : { level: options.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: {
      compilersFactory: {
        // Paths, query strings and headers are text, coerced to their types; a JSON body comes typed, so a number
        // (or null) where the contract says string is 400, not silently turned into "42" (or "").
        buildValidator: (externalSchemas) => {
          const coercing = validatorPool(externalSchemas, { customOptions: AJV_OPTIONS });
          const strict = validatorPool(externalSchemas, { customOptions: { ...AJV_OPTIONS, coerceTypes: false } });
          return (route) => (route.httpPart === 'body' ? strict : coercing)(route);
        },
      },
    },
    // A path the router cannot decode (a broken %-escape) is a problem like any other.
    frameworkErrors: (error, request, reply) => {
      void sendProblem(request, reply, toKouanError(error, options.bodyLimit));
    },
    genReqId: () => `req_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('principal', undefined);
  app.decorateRequest('auditSubject', undefined);
  app.decorateRequest('rawBody', undefined);

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.rawBody = text;
    void parseJson(request, quoteLongNumbers(text), done);
  });

  // UN/EDIFACT interchanges, taken as text by the one endpoint that reads them; anywhere else they are 415.
  app.addContentTypeParser(EDIFACT_MEDIA_TYPE, { parseAs: 'string' }, (request, body, done) => {
    if (request.routeOptions.url !== '/api/v1/events') {
      done(new KouanError('MEDIA_TYPE_UNSUPPORTED'), undefined);
      return;
    }
    done(null, typeof body === 'string' ? body : body.toString('utf8'));
  });

  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const problem = unsafeValue(value, part);
      if (problem !== undefined) throw new KouanError('REQUEST_INVALID', { errors: [problem] });
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = toKouanError(error, options.bodyLimit);
    if (problem.code === 'INTERNAL') request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, problem);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new KouanError('ROUTE_NOT_FOUND')));

  const perKey = new RateLimiter({ perSecond: options.rateLimits?.perKey ?? 0, burst: 2 * (options.rateLimits?.perKey ?? 0) });
  const perAddress = new RateLimiter({ perSecond: options.rateLimits?.perAddress ?? 0, burst: 2 * (options.rateLimits?.perAddress ?? 0) });
  const limit = (wait: number | undefined) => {
    if (wait !== undefined) throw new KouanError('RATE_LIMITED', { params: { seconds: wait } });
  };

  // Parses cookies in an onRequest hook of its own, which must run before the authentication hook below.
  await app.register(fastifyCookie);

  app.addHook('onRequest', async (request) => {
    // Decide on the matched route, not the raw URL: the router decodes %-escapes, so /%61pi/... is /api/...
    const route = request.routeOptions.url;
    if (route === undefined || !route.startsWith('/api/')) return;
    // The address limit comes before authentication, so that guessing keys is slow too.
    limit(perAddress.take(request.ip));
    if (request.routeOptions.config.public === true) return;
    const header = request.headers.authorization;
    if (header !== undefined && header !== '') {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      // users.authenticateKey = parties.authenticate + expiry + scopes.
      const principal = match?.[1] === undefined ? undefined : await services.users.authenticateKey(match[1]);
      if (principal === undefined) throw new KouanError('AUTH_INVALID');
      limit(perKey.take(principal.keyId));
      request.principal = principal;
      return;
    }
    // The portal: the session cookie, and on unsafe methods the CSRF token the session was given.
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined || token === '') throw new KouanError('AUTH_REQUIRED');
    const session = await services.users.authenticateSession(token);
    if (session === undefined) throw new KouanError('AUTH_REQUIRED');
    if (!SAFE_METHODS.has(request.method) && !services.users.checkCsrf(session.session, csrfHeader(request))) throw new KouanError('CSRF_INVALID');
    // A session's keyId is its user's id: each person has a rate limit of their own.
    limit(perKey.take(session.principal.keyId));
    request.principal = session.principal;
  });

  // Every write, and every read of others' declarations, accounts or the log by an agency or operator, is
  // appended to the hash-chained audit log once the answer is sent (who, what, when, from where, outcome).
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !route.startsWith('/api/')) return;
    const principal = request.principal;
    const read = request.method === 'GET' || request.method === 'HEAD';
    if (read && !(principal !== undefined && principal.kind !== 'enterprise' && AUDITED_READS.some((prefix) => route.startsWith(prefix)))) return;
    const params = request.params as Record<string, string | undefined> | undefined;
    try {
      await services.audit.append({
        tenant: principal?.tenant ?? options.tenant ?? 'central',
        actor: principal?.partyId ?? ANONYMOUS,
        actorKind: principal?.kind ?? 'anonymous',
        keyId: principal?.keyId ?? null,
        action: `${request.method} ${route}`,
        resource: request.auditSubject?.resource ?? params?.id ?? params?.number ?? params?.messageId ?? null,
        resourceOwner: request.auditSubject?.owner ?? null,
        outcome: reply.statusCode,
        ip: request.ip,
        requestId: request.id,
      });
    } catch (error) {
      request.log.error({ err: error }, 'audit append failed');
    }
  });

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cross-origin-resource-policy', 'same-origin');
    if (request.url.startsWith('/api/')) {
      // API answers are data, never pages: nothing may run, frame or cache them.
      void reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      void reply.header('cache-control', 'no-store');
    } else if (isPortalPath(request.url)) {
      void reply.header('content-security-policy', PORTAL_CSP);
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kouan API',
        version: options.version ?? '1',
        description:
          'Kouan, an open-source trade single window: enter a declaration once, and it is declared separately to every border agency. ' +
          'Errors are RFC 9457 problem+json with stable codes (GET /api/v1/errors). Send `Accept-Language: zh` for Chinese messages.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `kouan admin key create` or POST /api/v1/keys' },
          session: { type: 'apiKey', in: 'cookie', name: 'kouan_session', description: 'The portal session from POST /api/v1/session; unsafe methods also send X-CSRF-Token' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(services));
  await app.register(metaRoutes(), { prefix: '/api/v1' });
  await app.register(doctypesRoutes(services), { prefix: '/api/v1' });
  await app.register(codesRoutes(services), { prefix: '/api/v1' });
  await app.register(submissionsRoutes(services), { prefix: '/api/v1' });
  await app.register(inboxRoutes(services), { prefix: '/api/v1' });
  await app.register(webhookRoutes(services), { prefix: '/api/v1' });
  await app.register(ledgerRoutes(services), { prefix: '/api/v1' });
  await app.register(delegationsRoutes(services), { prefix: '/api/v1' });
  await app.register(auditRoutes(services), { prefix: '/api/v1' });
  await app.register(signaturesRoutes(services), { prefix: '/api/v1' });
  await app.register(wellKnownRoutes(services));
  await app.register(sessionRoutes(services, { secureCookies: options.cookieSecure ?? true }), { prefix: '/api/v1' });
  await app.register(usersRoutes(services), { prefix: '/api/v1' });
  await app.register(keysRoutes(services), { prefix: '/api/v1' });
  await app.register(trackingRoutes(services), { prefix: '/api/v1' });
  await app.register(draftsRoutes(services), { prefix: '/api/v1' });
  await app.register(statsRoutes(services), { prefix: '/api/v1' });
  await app.register(partiesRoutes(services), { prefix: '/api/v1' });
  await registerPortal(app);
  return app;
}
