/** Turns anything thrown into an RFC 9457 problem+json body, in the caller's language. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Type, { type Static } from 'typebox';
import { FIELD_PROBLEMS, fieldMessage, KouanError, problemTitle, PROBLEMS, type FieldCode, type FieldError, type Language, type ProblemCode } from '../shared/errors.js';
import { pointerToPath } from '../shared/json-path.js';
import { negotiateLanguage } from '../shared/locale.js';
import { retryAfterSeconds, storeFault } from '../store/faults.js';

/** problem+json as documented in OpenAPI; the registry of codes is at GET /api/v1/errors. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI reference of the problem type: /api/v1/errors#CODE' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable code from the error registry' }),
    instance: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** Route responses with the problem+json answer for 4xx and 5xx added. */
export function withProblems<T extends Record<string, unknown>>(responses: T): T & { '4xx': typeof ProblemSchema; '5xx': typeof ProblemSchema } {
  return { ...responses, '4xx': ProblemSchema, '5xx': ProblemSchema };
}

export type ProblemBody = Static<typeof ProblemSchema> & { code: ProblemCode; [extra: string]: unknown };

/** The caller's language from Accept-Language (src/shared/locale.ts negotiates it). */
export function languageOf(request: FastifyRequest): Language {
  const header = request.headers['accept-language'];
  return negotiateLanguage(typeof header === 'string' ? header : undefined);
}

/** Renders field errors with messages in a language. */
export function renderFieldErrors(errors: readonly FieldError[], language: Language): { path: string; code: string; message: string }[] {
  return errors.map((error) => ({ path: error.path, code: error.code, message: fieldMessage(error, language) }));
}

/** Who a problem answers: its language, the URL it is about and the request id (also for what never became a request). */
export interface ProblemContext {
  readonly language: Language;
  readonly instance: string;
  readonly requestId: string;
}

/** The one problem+json body, for a request or for a connection Node refused before it was one. */
export function problemOf(context: ProblemContext, error: KouanError): ProblemBody {
  const { language } = context;
  const body: ProblemBody = {
    type: `/api/v1/errors#${error.code}`,
    title: problemTitle(error.code, language, error.params),
    status: error.status,
    detail: problemTitle(error.code, language, error.params),
    code: error.code,
    instance: context.instance,
    requestId: context.requestId,
    ...error.extra,
  };
  if (error.errors.length > 0) body.errors = renderFieldErrors(error.errors, language);
  return body;
}

export function problemBody(request: FastifyRequest, error: KouanError): ProblemBody {
  return problemOf({ language: languageOf(request), instance: request.url, requestId: request.id }, error);
}

/** The 401s that say which credential is missing or wrong; each asks for the scheme again. */
const UNAUTHENTICATED: ReadonlySet<ProblemCode> = new Set(['AUTH_REQUIRED', 'AUTH_INVALID', 'SESSION_EXPIRED', 'SESSION_ENDED', 'SESSION_UNKNOWN']);

/** The headers every data answer carries (app.ts adds them to routed answers; a raw answer writes them itself). */
export const DATA_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * Writes a problem straight onto a connection and closes it: for what Node's HTTP parser refuses (a raw byte in
 * the URL, a header block too large, a request too slow) before Fastify ever sees a request.
 */
export function writeRawProblem(socket: Duplex, error: KouanError, context: ProblemContext): void {
  const body = JSON.stringify(problemOf(context, error));
  const headers = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
    'content-type: application/problem+json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(DATA_ANSWER_HEADERS).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
  // A client that never reads would keep the socket half-open.
  setTimeout(() => socket.destroy(), 2000).unref();
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: KouanError): FastifyReply {
  if (UNAUTHENTICATED.has(error.code)) void reply.header('www-authenticate', 'Bearer realm="kouan"');
  // Every code that says when to come back carries it as `seconds`: that, not a list of codes, earns Retry-After.
  const { seconds } = error.params;
  if (typeof seconds === 'number') void reply.header('retry-after', String(seconds));
  return reply.status(error.status).type('application/problem+json; charset=utf-8').send(problemBody(request, error));
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: { instancePath?: string; keyword?: string; params?: Record<string, unknown>; message?: string }[];
  validationContext?: string;
}

/** Maps an error thrown anywhere in a request to a KouanError; unknown errors become INTERNAL. */
export function toKouanError(error: unknown, bodyLimit: number): KouanError {
  if (error instanceof KouanError) return error;
  // The store went away or stayed contended after the retries: the request may be tried again, so 503, not 500.
  const fault = storeFault(error);
  if (fault !== undefined) return new KouanError(fault === 'unavailable' ? 'STORE_UNAVAILABLE' : 'STORE_BUSY', { params: { seconds: retryAfterSeconds(fault) } });
  const fastifyError = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  if (fastifyError.validation !== undefined) {
    const where = fastifyError.validationContext ?? 'body';
    const errors: FieldError[] = fastifyError.validation.map((issue) => {
      if (issue.keyword === 'required') {
        const missing = text(issue.params?.missingProperty);
        return { path: `${where}:${pointerToPath(`${issue.instancePath ?? ''}/${missing}`)}`, code: 'FIELD_REQUIRED' };
      }
      if (issue.keyword === 'additionalProperties') {
        const field = text(issue.params?.additionalProperty);
        return { path: `${where}:${pointerToPath(`${issue.instancePath ?? ''}/${field}`)}`, code: 'FIELD_UNKNOWN', params: { field } };
      }
      if (issue.keyword === 'enum') {
        return { path: `${where}:${pointerToPath(issue.instancePath ?? '')}`, code: 'FIELD_NOT_ALLOWED', params: { allowed: ((issue.params?.allowedValues as unknown[] | undefined) ?? []).join(', ') } };
      }
      if (issue.keyword === 'type') {
        return { path: `${where}:${pointerToPath(issue.instancePath ?? '')}`, code: 'FIELD_TYPE', params: { type: text(issue.params?.type) } };
      }
      return { path: `${where}:${pointerToPath(issue.instancePath ?? '')}`, code: 'FIELD_FORMAT', params: { format: issue.message ?? '' } };
    });
    return new KouanError('REQUEST_INVALID', { errors });
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new KouanError('BODY_TOO_LARGE', { params: { limit: bodyLimit } });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new KouanError('MEDIA_TYPE_UNSUPPORTED');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new KouanError('REQUEST_MALFORMED', { params: { reason: 'the body is not as long as its Content-Length' } });
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_INVALID_URL':
      return new KouanError('REQUEST_INVALID', { errors: [{ path: 'params:$', code: 'FIELD_FORMAT', params: { format: 'a path of percent-encoded UTF-8' } }] });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new KouanError('REQUEST_INVALID', { errors: [{ path: 'params:$', code: 'FIELD_RANGE', params: { limit: 'path segments of at most 2048 characters' } }] });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new KouanError('BODY_MALFORMED');
    case 'FST_ERR_NOT_FOUND':
      return new KouanError('ROUTE_NOT_FOUND');
    case undefined:
    default:
      break;
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return new KouanError('BODY_MALFORMED');
  const status = fastifyError.statusCode;
  // Any other refusal of the HTTP layer (Fastify's, a plugin's) keeps its status class with a code of Kouan's;
  // only a 5xx, or something that is no HTTP error at all, is INTERNAL.
  if (status !== undefined && status >= 400 && status < 500) return byStatus(status, bodyLimit);
  return new KouanError('INTERNAL');
}

function byStatus(status: number, bodyLimit: number): KouanError {
  switch (status) {
    case 404:
      return new KouanError('ROUTE_NOT_FOUND');
    case 405:
      return new KouanError('METHOD_NOT_ALLOWED');
    case 406:
      return new KouanError('NOT_ACCEPTABLE', { params: { types: 'application/json' } });
    case 408:
      return new KouanError('REQUEST_TIMEOUT', { params: { limit: 0 } });
    case 413:
      return new KouanError('BODY_TOO_LARGE', { params: { limit: bodyLimit } });
    case 414:
      return new KouanError('URI_TOO_LONG', { params: { limit: MAX_URL_BYTES } });
    case 415:
      return new KouanError('MEDIA_TYPE_UNSUPPORTED');
    case 431:
      return new KouanError('HEADERS_TOO_LARGE', { params: { limit: MAX_HEADER_BYTES } });
    default:
      return new KouanError('REQUEST_MALFORMED', { params: { reason: STATUS_CODES[status] ?? `status ${status}` } });
  }
}

/** The longest URL taken (request target, path and query): longer ones are 414. */
export const MAX_URL_BYTES = 8192;
/** Node's limit on the request line and headers together (its --max-http-header-size default): beyond, 431. */
export const MAX_HEADER_BYTES = 16_384;

/** The error registry as published at GET /api/v1/errors. */
export function publishedRegistry(language: Language): { problems: { code: string; status: number; title: string }[]; fields: { code: string; message: string }[] } {
  return {
    problems: (Object.keys(PROBLEMS) as ProblemCode[]).map((code) => ({ code, status: PROBLEMS[code].status, title: problemTitle(code, language) })),
    fields: (Object.keys(FIELD_PROBLEMS) as FieldCode[]).map((code) => ({ code, message: FIELD_PROBLEMS[code][language] })),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}
