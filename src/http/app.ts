/**
 * The HTTP application: Fastify with TypeBox schemas, API-key authentication, problem+json errors and OpenAPI.
 * Route files are thin: authenticate, validate, call a module, present.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import fastifyCookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';
import { AsyncResource } from 'node:async_hooks';
import type { ServerOptions } from 'node:http';
import { ANONYMOUS, runInAuditScope, type AuditEntry, type AuditScope, type AuditService } from '../modules/audit/index.js';
import type { CodesService } from '../modules/codes/index.js';
import type { DelegationsService } from '../modules/delegations/index.js';
import type { DocTypeRegistry } from '../modules/doctypes/index.js';
import type { AttachmentsService } from '../modules/attachments/index.js';
import { ATTACHMENT_MEDIA_TYPES } from '../modules/doctypes/index.js';
import type { DraftsService } from '../modules/drafts/index.js';
import type { EventLog } from '../modules/events/index.js';
import type { ExchangeService } from '../modules/exchange/index.js';
import type { LedgerService } from '../modules/ledger/index.js';
import type { PartiesService, Principal } from '../modules/parties/index.js';
import type { SignaturesService } from '../modules/signatures/index.js';
import type { StatsService } from '../modules/stats/index.js';
import type { SubmissionsService } from '../modules/submissions/index.js';
import type { SubscriptionService, TrackingService, TrackingStreams } from '../modules/tracking/index.js';
import { authorize, type ActionId } from '../modules/policies/index.js';
import type { UsersService } from '../modules/users/index.js';
import { KouanError, type FieldError } from '../shared/errors.js';
import type { Store } from '../store/store.js';
import type { ConnectionLimits } from '../config.js';
import { capConnectionsPerAddress, serverTimeouts } from './connection-guard.js';
import { quoteInexactNumbers } from './json-body.js';
import { RateLimiter } from './rate-limit.js';
import { checkAccept, checkJsonCharset, checkRequestHead, clientErrorProblem, JSON_ANSWERS, RouteMethods, XML_MEDIA_TYPE, XML_MEDIA_TYPES, type ConnectionError } from './edges.js';
import { DATA_ANSWER_HEADERS, problemOf, sendProblem, toKouanError, writeRawProblem } from './problem.js';
import { codesRoutes } from './routes/codes.routes.js';
import { delegationsRoutes } from './routes/delegations.routes.js';
import { doctypesRoutes } from './routes/doctypes.routes.js';
import { attachmentsRoutes } from './routes/attachments.routes.js';
import { draftsRoutes } from './routes/drafts.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { inboxRoutes } from './routes/inbox.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { ledgerRoutes } from './routes/ledger.routes.js';
import { metaRoutes } from './routes/meta.routes.js';
import { csrfHeader, SESSION_COOKIE, sessionRefused, sessionRoutes } from './routes/session.routes.js';
import { isHttps, trustedProxies } from './proxy.js';
import { signaturesRoutes, wellKnownRoutes } from './routes/signatures.routes.js';
import { statsRoutes } from './routes/stats.routes.js';
import { eventsRoutes } from './routes/events.routes.js';
import { submissionsRoutes } from './routes/submissions.routes.js';
import { keysRoutes, usersRoutes } from './routes/users.routes.js';
import { EDIFACT_MEDIA_TYPE, trackingRoutes } from './routes/tracking.routes.js';
import { dcsaRoutes } from './routes/dcsa.routes.js';
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
  readonly attachments: AttachmentsService;
  readonly stats: StatsService;
  readonly events: EventLog;
  /** The platform's country and time zone (config), for answers rendered for people. */
  readonly platform: { readonly country: string; readonly timeZone: string };
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
  /** Secure attribute of the session cookie: 'auto' (the default) by the request's scheme, or always / never. */
  readonly cookieSecure?: boolean | 'auto';
  /** Proxies (addresses, CIDRs, `loopback`) whose Forwarded and X-Forwarded-* headers are believed; none by default. */
  readonly trustProxy?: readonly string[];
  /** Timeouts for slow clients and the cap of connections per address (default: Node's and Fastify's, no cap). */
  readonly connections?: ConnectionLimits;
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
    /** Routes a person whose password an admin set may call before choosing their own (PASSWORD_CHANGE_REQUIRED). */
    beforePasswordChange?: boolean;
    /** What an authenticated route does, in the policies' table: asked before the handler runs (403 when refused). */
    action?: ActionId;
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

/**
 * The route table's actions, `METHOD /path` with OpenAPI's `{param}`s: every authenticated route under /api/
 * names one (its registration fails otherwise), the OpenAPI document shows it as `x-kouan-action`, and
 * docs/authorization.md and the authorization matrix test are generated from it and the policies' table.
 */
class RouteActions {
  private readonly actions = new Map<string, ActionId>();

  add(route: RouteOptions): void {
    if (!route.url.startsWith('/api/') || route.config?.public === true) return;
    const action = route.config?.action;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((method) => method !== 'HEAD');
    if (action === undefined) throw new Error(`${methods.join(',')} ${route.url} names no action of the policies (config.action) and is not public`);
    for (const method of methods) this.actions.set(`${method} ${openApiPath(route.url)}`, action);
  }

  of(route: string): ActionId | undefined {
    return this.actions.get(route);
  }
}

/** Asks the policies whether the caller may take the route's action at all (its resources are the service's to check). */
function authorizeRoute(request: FastifyRequest, principal: Principal): void {
  const action = request.routeOptions.config.action;
  if (action !== undefined) authorize(principal, action);
}

/** A Fastify route path as OpenAPI writes it: `:id` is `{id}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// A route's schema object is the same for every request it serves, so its success status is worked out once.
const successStatuses = new WeakMap<object, number>();

/** The status a route answers on success, from its response schema: 201 when it creates, else its lowest 2xx. */
function successStatus(request: FastifyRequest): number {
  const schema = request.routeOptions.schema;
  if (schema === undefined) return 200;
  const known = successStatuses.get(schema);
  if (known !== undefined) return known;
  const statuses = Object.keys((schema.response ?? {}) as Record<string, unknown>).map(Number).filter((status) => status >= 200 && status < 300);
  const status = statuses.includes(201) ? 201 : (statuses.sort((a, b) => a - b)[0] ?? 200);
  successStatuses.set(schema, status);
  return status;
}

/**
 * What the API docs (swagger-ui) may do: run and style with their own files, fetch the document, show data:
 * icons. The one inline style it renders, the colours of the Swagger logo's SVG, is allowed by its hash.
 */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Which security headers an answer gets, by the route that matched (the router decodes %-escapes, so
 * /%61pi/v1/... is an API route while request.url still says otherwise). An answer without a route (not found),
 * any error, and anything that is not the portal's or the docs' is data.
 */
function answerKind(route: string | undefined, url: string, status: number): 'api' | 'docs' | 'portal' {
  if (route === undefined || status >= 400 || route.startsWith('/api/')) return 'api';
  if (route === '/docs' || route.startsWith('/docs/')) return 'docs';
  return isPortalPath(url) ? 'portal' : 'api';
}

/** How deep a request's JSON may nest: a goods declaration needs a handful of levels; 10,000 overflow the stack of whatever walks them. */
const MAX_JSON_DEPTH = 64;

/** Why a request's parameters, query or body cannot be taken: U+0000, which PostgreSQL text cannot hold, or nesting too deep. */
function unsafeValue(value: unknown, part: string): FieldError | undefined {
  const stack: [unknown, number, string][] = [[value, 0, '$']];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth, path] = next;
    // Raw bytes (an EDIFACT body) are not a JSON tree; their decoder refuses control characters itself.
    if (node instanceof Uint8Array) continue;
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

// strictNumbers: a body's Infinity or NaN (1e400 parses as Infinity) is not a number of any schema.
const AJV_OPTIONS = { removeAdditional: false, coerceTypes: 'array', allErrors: true, strictNumbers: true } as const;
const validatorPool = AjvCompiler();

/**
 * How a number is written in a path, a query or a header: plain decimal digits, no sign but a minus, no leading
 * zero, at most 15 digits so that it is exact as a JavaScript number and fits every store's integer. Ajv's
 * coercion would also take "Infinity", "1e309", "0x10", " 5" or 30 digits (rounded), which then reach the store.
 */
const TEXT_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;
const TEXT_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
// Refused as FIELD_TYPE, as a value that is no number at all always was.
const NUMBER_FORMAT = { integer: 'must be a whole number in plain digits, e.g. 50', number: 'must be a decimal number in plain digits, e.g. 12.5' } as const;

type Validator = ReturnType<ReturnType<typeof validatorPool>>;

/**
 * The schema with every integer bounded to what a JavaScript number holds exactly (±2^53 - 1, which every
 * store's integer column holds too), unless it is bounded tighter: 1e20 is an integer to JSON Schema, and a
 * PostgreSQL bigint overflow when it reaches the store.
 */
function withSafeIntegers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withSafeIntegers);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = key === 'const' || key === 'default' || key === 'enum' || key === 'examples' ? value : withSafeIntegers(value);
  const types = ([] as unknown[]).concat(copy.type ?? []);
  if (types.includes('integer')) {
    if (typeof copy.maximum !== 'number' || copy.maximum > Number.MAX_SAFE_INTEGER) copy.maximum = Number.MAX_SAFE_INTEGER;
    if (typeof copy.minimum !== 'number' || copy.minimum < -Number.MAX_SAFE_INTEGER) copy.minimum = -Number.MAX_SAFE_INTEGER;
  }
  return copy;
}

/** The number type ('integer' or 'number') of each top-level member of a path, query or header schema that has one. */
function numericMembers(schema: unknown): [string, 'integer' | 'number'][] {
  const properties = (schema as { properties?: Record<string, { type?: unknown; anyOf?: { type?: unknown }[] }> } | undefined)?.properties ?? {};
  return Object.entries(properties).flatMap(([name, member]): [string, 'integer' | 'number'][] => {
    const types = [member.type, ...(member.anyOf ?? []).map((branch) => branch.type)].flat();
    return types.includes('integer') ? [[name, 'integer']] : types.includes('number') ? [[name, 'number']] : [];
  });
}

function isPlainNumber(value: unknown, type: 'integer' | 'number'): boolean {
  if (typeof value !== 'string') return true;
  if (type === 'integer') return TEXT_INTEGER.test(value);
  return TEXT_NUMBER.test(value) && value.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15;
}

/** Wraps the coercing validator of a path, query or header schema so that its numbers must be written plainly first. */
function plainNumbersFirst(validate: Validator, schema: unknown): Validator {
  const members = numericMembers(schema);
  if (members.length === 0) return validate;
  // Route schemas are synchronous (no $async), so the inner answer is a boolean.
  const check = (data: unknown, context?: Parameters<Validator>[1]): data is unknown => {
    const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    const errors = members
      .filter(([name, type]) => !([] as unknown[]).concat(record[name] ?? []).every((value) => isPlainNumber(value, type)))
      .map(([name, type]) => ({ instancePath: `/${name}`, schemaPath: `#/properties/${name}`, keyword: 'type', params: { type }, message: NUMBER_FORMAT[type] }));
    if (errors.length > 0) {
      wrapped.errors = errors;
      return false;
    }
    const valid = validate(data, context) === true;
    wrapped.errors = validate.errors ?? null;
    return valid;
  };
  // Fastify hands the parent object (so that coercion may replace the root) to functions with a schemaEnv.
  const wrapped = Object.assign(check, { schema: validate.schema, schemaEnv: validate.schemaEnv, errors: null as NonNullable<Validator['errors']> | null });
  return wrapped;
}

/** Routes that answer other types than JSON (and problem+json when they fail). */
/** The routes that take a UN/EDIFACT interchange: tracking events, and documents in a format their type registers. */
const EDIFACT_ROUTES: ReadonlySet<string> = new Set(['/api/v1/events', '/api/v1/submissions', '/api/v1/validate']);

/** The routes that take an XML message: documents in a format their type registers. */
const XML_ROUTES: ReadonlySet<string> = new Set(['/api/v1/submissions', '/api/v1/validate']);

const ANSWERS_BY_ROUTE: Readonly<Record<string, readonly string[]>> = {
  '/api/v1/submissions/:id/formats/:format': ['application/edifact', XML_MEDIA_TYPE, ...JSON_ANSWERS],
  '/api/v1/tracking/stream': ['text/event-stream', ...JSON_ANSWERS],
  '/api/v1/attachments/:sha256': [...ATTACHMENT_MEDIA_TYPES, ...JSON_ANSWERS],
  '/api/v1/submissions/:id/attachments/:sha256': [...ATTACHMENT_MEDIA_TYPES, ...JSON_ANSWERS],
};

function newRequestId(): string {
  return `req_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** The problem context of what never became a request: English, the URL when known. */
function rawContext(instance = ''): { language: 'en'; instance: string; requestId: string } {
  return { language: 'en', instance, requestId: newRequestId() };
}

/** Builds the application; `listen` is the caller's business, so tests use `inject` without a port. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const timeouts = options.connections === undefined ? undefined : serverTimeouts(options.connections);
  const requestTimeoutMs = options.connections?.requestTimeoutMs ?? 0;
  const trusted = trustedProxies(options.trustProxy ?? []);
  const app = Fastify({
    // request.ip and request.protocol take a proxy's X-Forwarded-For / -Proto only from the proxies named.
    ...(trusted === undefined ? {} : { trustProxy: trusted }),
    ...timeouts,
    // Node answers a missing Host with an empty 400 of its own: checkRequestHead does it as a problem instead.
    http: { ...timeouts?.http, requireHostHeader: false } satisfies ServerOptions,
    // What Node's parser refuses never becomes a request; it is answered on the socket, in the same shape.
    clientErrorHandler: (error, socket) => {
      const problem = clientErrorProblem(error as unknown as ConnectionError, { requestTimeoutMs });
      const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
      if (problem === undefined || socket.destroyed || !socket.writable || answering) {
        socket.destroy();
        return;
      }
      writeRawProblem(socket, problem, rawContext());
    },
    // Long enough that a too-long id reaches its schema (400 with the field) rather than the router (404).
    routerOptions: { maxParamLength: 2048 },
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
          return (route) => {
            const bounded = { ...route, schema: withSafeIntegers(route.schema) as typeof route.schema };
            return route.httpPart === 'body' ? strict(bounded) : plainNumbersFirst(coercing(bounded), route.schema);
          };
        },
      },
    },
    // A path the router cannot decode (a broken %-escape) is a problem like any other.
    frameworkErrors: (error, request, reply) => {
      void sendProblem(request, reply, toKouanError(error, options.bodyLimit));
    },
    genReqId: newRequestId,
    // Fastify's own 503 while closing is plain JSON; the onRequest hook below answers SERVER_CLOSING instead.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // CONNECT (a proxy request) and an Expect other than 100-continue are answered by Node itself, bodiless.
  app.server.on('connect', (_request, socket) => writeRawProblem(socket, new KouanError('METHOD_NOT_ALLOWED'), rawContext()));
  app.server.on('checkExpectation', (request, response) => {
    const body = JSON.stringify(problemOf(rawContext(request.url ?? ''), new KouanError('EXPECTATION_FAILED', { params: { expect: String(request.headers.expect ?? '') } })));
    response.writeHead(417, { ...DATA_ANSWER_HEADERS, 'content-type': 'application/problem+json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
  });

  const routeMethods = new RouteMethods();
  const routeActions = new RouteActions();
  app.addHook('onRoute', (route) => {
    routeMethods.add(route.url, route.method);
    routeActions.add(route);
  });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // First of all hooks: the head of the request is sound, the server is not closing, the answer's type is one the caller takes.
  app.addHook('onRequest', async (request, reply) => {
    if (closing) {
      void reply.header('connection', 'close');
      throw new KouanError('SERVER_CLOSING', { params: { seconds: 1 } });
    }
    checkRequestHead(request);
    const route = request.routeOptions.url;
    if (route !== undefined && route.startsWith('/api/')) checkAccept(request, ANSWERS_BY_ROUTE[route] ?? JSON_ANSWERS);
  });

  if (options.connections !== undefined) capConnectionsPerAddress(app.server, options.connections.maxPerAddress);

  app.decorateRequest('principal', undefined);
  app.decorateRequest('auditSubject', undefined);
  app.decorateRequest('rawBody', undefined);

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // Fastify takes text/plain by default, as a string body that then fails a route's schema (400): it is 415.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // The upload takes a file's own bytes, never JSON.
    if (request.routeOptions.url === '/api/v1/attachments') {
      done(new KouanError('MEDIA_TYPE_UNSUPPORTED'), undefined);
      return;
    }
    try {
      checkJsonCharset(request.headers['content-type']);
    } catch (error) {
      done(error as KouanError, undefined);
      return;
    }
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.rawBody = text;
    let exact: string;
    try {
      exact = quoteInexactNumbers(text);
    } catch (error) {
      done(error instanceof Error ? error : new KouanError('BODY_MALFORMED'), undefined);
      return;
    }
    void parseJson(request, exact, done);
  });

  // UN/EDIFACT interchanges, taken as raw bytes by the one endpoint that reads them (anywhere else they are 415):
  // the interchange is decoded by its own UNB syntax identifier, not assumed to be UTF-8.
  app.addContentTypeParser(EDIFACT_MEDIA_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    if (!EDIFACT_ROUTES.has(request.routeOptions.url ?? '')) {
      done(new KouanError('MEDIA_TYPE_UNSUPPORTED'), undefined);
      return;
    }
    done(null, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  });

  // XML messages of a document type's XML format (DecMessage), taken as raw bytes where documents are filed: the
  // message is decoded by its byte order mark, charset or XML declaration, then read without DTD or entities.
  for (const mediaType of XML_MEDIA_TYPES) {
    app.addContentTypeParser(mediaType, { parseAs: 'buffer' }, (request, body, done) => {
      if (!XML_ROUTES.has(request.routeOptions.url ?? '')) {
        done(new KouanError('MEDIA_TYPE_UNSUPPORTED'), undefined);
        return;
      }
      done(null, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    });
  }

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
  // A path that exists under other methods is 405 with Allow (OPTIONS included: Kouan answers no preflights).
  app.setNotFoundHandler((request, reply) => {
    const allowed = routeMethods.allowed(request.url);
    if (allowed.length === 0) return sendProblem(request, reply, new KouanError('ROUTE_NOT_FOUND'));
    void reply.header('allow', allowed.join(', '));
    return sendProblem(request, reply, new KouanError('METHOD_NOT_ALLOWED'));
  });

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
      authorizeRoute(request, principal);
      return;
    }
    // The portal: the session cookie, and on unsafe methods the CSRF token the session was given.
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined || token === '') throw new KouanError('AUTH_REQUIRED');
    const session = await services.users.authenticateSession(token);
    if (session === undefined) throw await sessionRefused(services.users, token);
    if (!SAFE_METHODS.has(request.method) && !services.users.checkCsrf(session.session, csrfHeader(request))) throw new KouanError('CSRF_INVALID');
    // A session's keyId is its user's id: each person has a rate limit of their own.
    limit(perKey.take(session.principal.keyId));
    request.principal = session.principal;
    if (session.user.mustChangePassword && request.routeOptions.config.beforePasswordChange !== true) throw new KouanError('PASSWORD_CHANGE_REQUIRED');
    authorizeRoute(request, session.principal);
  });

  // Every write, and every read of others' declarations, accounts or the log by an agency or operator, is
  // recorded in the hash-chained audit log (who, what, when, from where, outcome). A write's record is committed
  // in the transaction of the write (the store's transaction wrapper asks the audit scope opened here) and
  // settled with the answer's status before the answer leaves; a write that ran no transaction is appended
  // before its answer leaves; failures and audited reads are appended once the answer is sent.
  const auditEntry = (request: FastifyRequest, outcome: number): AuditEntry => {
    const principal = request.principal;
    const params = request.params as Record<string, string | undefined> | undefined;
    return {
      tenant: principal?.tenant ?? options.tenant ?? 'central',
      actor: principal?.partyId ?? ANONYMOUS,
      actorKind: principal?.kind ?? 'anonymous',
      keyId: principal?.keyId ?? null,
      action: `${request.method} ${request.routeOptions.url ?? request.url}`,
      resource: request.auditSubject?.resource ?? params?.id ?? params?.number ?? params?.messageId ?? null,
      resourceOwner: request.auditSubject?.owner ?? null,
      outcome,
      ip: request.ip,
      requestId: request.id,
    };
  };
  const scopes = new WeakMap<FastifyRequest, { scope: AuditScope; context: AsyncResource }>();
  /** Requests whose record was written before the answer left; onResponse leaves them alone. */
  const auditedBeforeAnswer = new WeakSet<FastifyRequest>();
  const isWrite = (request: FastifyRequest) => !SAFE_METHODS.has(request.method) && request.routeOptions.url?.startsWith('/api/') === true;

  app.addHook('onRequest', (request, _reply, done) => {
    if (!isWrite(request)) {
      done();
      return;
    }
    const scope: AuditScope = { requestId: request.id, presumedOutcome: successStatus(request), entry: (outcome) => auditEntry(request, outcome), open: true, pendingIds: [] };
    runInAuditScope(scope, () => {
      const context = new AsyncResource('kouan.request');
      scopes.set(request, { scope, context });
      context.runInAsyncScope(done);
    });
  });
  // The body is read in the socket's async context, not the request's: the scope is entered again for the handler.
  app.addHook('preValidation', (request, _reply, done) => {
    const entered = scopes.get(request);
    if (entered === undefined) done();
    else entered.context.runInAsyncScope(done);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const entered = scopes.get(request);
    if (entered === undefined) return payload;
    const { scope } = entered;
    scope.open = false;
    try {
      if (scope.pendingIds.length > 0) {
        const entry = auditEntry(request, reply.statusCode);
        auditedBeforeAnswer.add(request);
        await services.audit.settle(scope.pendingIds, { outcome: entry.outcome, resource: entry.resource ?? null, resourceOwner: entry.resourceOwner ?? null });
      } else if (reply.statusCode < 400) {
        auditedBeforeAnswer.add(request);
        await services.audit.append(auditEntry(request, reply.statusCode));
      }
    } catch (error) {
      // The write has committed (and, in its transaction, its record): the answer goes out; the record is
      // chained as written once the grace has passed.
      request.log.error({ err: error }, 'audit settle failed');
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !route.startsWith('/api/') || auditedBeforeAnswer.has(request)) return;
    const principal = request.principal;
    const read = request.method === 'GET' || request.method === 'HEAD';
    if (read && !(principal !== undefined && principal.kind !== 'enterprise' && AUDITED_READS.some((prefix) => route.startsWith(prefix)))) return;
    try {
      await services.audit.append(auditEntry(request, reply.statusCode));
    } catch (error) {
      request.log.error({ err: error }, 'audit append failed');
    }
  });

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cross-origin-resource-policy', 'same-origin');
    const route = request.routeOptions.url;
    const kind = answerKind(route, request.url, reply.statusCode);
    if (kind === 'portal') {
      void reply.header('content-security-policy', PORTAL_CSP);
    } else if (kind === 'docs') {
      void reply.header('content-security-policy', DOCS_CSP);
    } else {
      // Data, never pages: nothing may run, frame or cache them (health and keys may say how long they keep).
      void reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      if (route === undefined || route.startsWith('/api/') || !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
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
    // Each operation names the action of docs/authorization.md its caller must be permitted.
    transformObject: (document) => {
      const openapiObject = 'openapiObject' in document ? document.openapiObject : {};
      for (const [path, operations] of Object.entries(openapiObject.paths ?? {})) {
        for (const [method, operation] of Object.entries(operations as Record<string, Record<string, unknown>>)) {
          const action = routeActions.of(`${method.toUpperCase()} ${path}`);
          if (action !== undefined) operation['x-kouan-action'] = action;
        }
      }
      return openapiObject;
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(services));
  await app.register(metaRoutes(services), { prefix: '/api/v1' });
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
  await app.register(sessionRoutes(services, { secureCookies: options.cookieSecure ?? 'auto', isHttps: (request) => isHttps(request, trusted) }), { prefix: '/api/v1' });
  await app.register(usersRoutes(services), { prefix: '/api/v1' });
  await app.register(keysRoutes(services), { prefix: '/api/v1' });
  await app.register(trackingRoutes(services), { prefix: '/api/v1' });
  await app.register(dcsaRoutes(services), { prefix: '/api/v1' });
  await app.register(draftsRoutes(services), { prefix: '/api/v1' });
  await app.register(attachmentsRoutes(services), { prefix: '/api/v1' });
  await app.register(statsRoutes(services), { prefix: '/api/v1' });
  await app.register(eventsRoutes(services), { prefix: '/api/v1' });
  await app.register(partiesRoutes(services), { prefix: '/api/v1' });
  await registerPortal(app);
  return app;
}
