/**
 * The edges of HTTP where a request is refused before a route sees it: what Node's parser rejects (clientError),
 * the Host header, the URL's length and percent-encoding, the Accept header, the charset of a JSON body, and the
 * methods a path does take. Each refusal is a KouanError, written by the one problem writer (problem.ts).
 */
import type { FastifyRequest } from 'fastify';
import { KouanError, type FieldError } from '../shared/errors.js';
import { jsonPath } from '../shared/json-path.js';
import { MAX_HEADER_BYTES, MAX_URL_BYTES } from './problem.js';

/** What Node's HTTP server hands a clientError listener. */
export interface ConnectionError extends Error {
  readonly code?: string;
  readonly rawPacket?: Buffer;
  readonly reason?: string;
}

/** Why Node's parser refused a connection's bytes, as a problem; undefined when there is nobody left to tell (a reset). */
export function clientErrorProblem(error: ConnectionError, limits: { readonly requestTimeoutMs: number }): KouanError | undefined {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case undefined:
      return new KouanError('REQUEST_MALFORMED', { params: { reason: error.reason ?? 'the bytes are not an HTTP/1.1 request' } });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new KouanError('REQUEST_TIMEOUT', { params: { limit: limits.requestTimeoutMs } });
    case 'HPE_HEADER_OVERFLOW':
      // The parser counts the request line with the headers; a line that alone fills the limit is a long URL.
      return requestLineOf(error.rawPacket).complete ? new KouanError('HEADERS_TOO_LARGE', { params: { limit: MAX_HEADER_BYTES } }) : new KouanError('URI_TOO_LONG', { params: { limit: MAX_URL_BYTES } });
    case 'HPE_INVALID_URL':
      return badTarget(error.rawPacket) ?? new KouanError('REQUEST_MALFORMED', { params: { reason: 'the request target is not a valid URL' } });
    case 'HPE_INVALID_METHOD':
      return new KouanError('REQUEST_MALFORMED', { params: { reason: 'unknown method' } });
    case 'HPE_INVALID_CONTENT_LENGTH':
      return new KouanError('REQUEST_MALFORMED', { params: { reason: 'Content-Length must be one decimal number' } });
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return new KouanError('REQUEST_MALFORMED', { params: { reason: 'Content-Length and Transfer-Encoding together' } });
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return new KouanError('REQUEST_MALFORMED', { params: { reason: 'a broken chunked body' } });
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED':
      return new KouanError('REQUEST_MALFORMED', { params: { reason: 'a malformed request line or header' } });
    default:
      return new KouanError('REQUEST_MALFORMED', { params: { reason: error.reason ?? 'the bytes are not an HTTP/1.1 request' } });
  }
}

function requestLineOf(packet: Buffer | undefined): { readonly line: string; readonly complete: boolean } {
  const bytes = packet ?? Buffer.alloc(0);
  const end = bytes.indexOf('\r\n');
  return { line: bytes.subarray(0, end < 0 ? bytes.length : end).toString('latin1'), complete: end >= 0 && end < MAX_URL_BYTES };
}

/**
 * The field at fault when the request target carries bytes a URL may not (a raw UTF-8 牛肉 where %E7%89%9B%E8%82%89
 * belongs, a space, a control character): the query parameter it is in, or the path.
 */
function badTarget(packet: Buffer | undefined): KouanError | undefined {
  const { line } = requestLineOf(packet);
  const target = /^[A-Z]+ (\S*)/.exec(line)?.[1] ?? line.split(' ')[1];
  if (target === undefined) return undefined;
  const question = target.indexOf('?');
  const format = 'percent-encoded UTF-8 (e.g. 牛肉 as %E7%89%9B%E8%82%89)';
  if (question < 0 || /[^\x21-\x7e]/.test(target.slice(0, question))) return invalid('params:$', format);
  for (const pair of target.slice(question + 1).split('&')) {
    if (!/[^\x21-\x7e]/.test(pair)) continue;
    const name = pair.split('=')[0] ?? '';
    return invalid(/[^\x21-\x7e]/.test(name) ? 'querystring:$' : `querystring:${jsonPath([safeDecode(name)])}`, format);
  }
  // The line itself was cut short or the bad byte is elsewhere (after the target): the whole target.
  return invalid('querystring:$', format);
}

function invalid(path: string, format: string): KouanError {
  const error: FieldError = { path, code: 'FIELD_FORMAT', params: { format } };
  return new KouanError('REQUEST_INVALID', { errors: [error] });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Host as RFC 9110 has it: a reg-name, an IPv4 address or a bracketed IPv6 literal, and an optional port. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d{0,5})?$/;

/**
 * The checks of a request's head that the parser leaves to the server: HTTP/1.1 needs one Host (Node's own check
 * answers with an empty 400, so it is turned off and done here), the URL is bounded, and every %-escape of the
 * query is one of UTF-8 (fast-querystring keeps a broken one as text, which would reach a search as "%E0%A4%A").
 */
export function checkRequestHead(request: FastifyRequest): void {
  const raw = request.raw;
  const host = raw.headers.host;
  if (host === undefined || host === '') {
    if (raw.httpVersion === '1.1') throw new KouanError('REQUEST_INVALID', { errors: [{ path: 'headers:$.host', code: 'FIELD_REQUIRED' }] });
  } else if (!HOST.test(host)) {
    throw new KouanError('REQUEST_INVALID', { errors: [{ path: 'headers:$.host', code: 'FIELD_FORMAT', params: { format: 'a host name or address, with an optional :port' } }] });
  }
  const url = raw.url ?? '/';
  if (Buffer.byteLength(url) > MAX_URL_BYTES) throw new KouanError('URI_TOO_LONG', { params: { limit: MAX_URL_BYTES } });
  const question = url.indexOf('?');
  if (question < 0) return;
  const errors: FieldError[] = [];
  for (const pair of url.slice(question + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const [name, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    const decodedName = decoded(name);
    if (decodedName === undefined) errors.push({ path: 'querystring:$', code: 'FIELD_FORMAT', params: { format: 'parameter names in percent-encoded UTF-8' } });
    else if (decoded(value) === undefined) errors.push({ path: `querystring:${jsonPath([decodedName])}`, code: 'FIELD_FORMAT', params: { format: 'percent-encoded UTF-8 (every % followed by two hex digits of a UTF-8 sequence)' } });
  }
  if (errors.length > 0) throw new KouanError('REQUEST_INVALID', { errors });
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The media types an API route answers in; the portal's and the docs' pages are not negotiated here. */
export const JSON_ANSWERS = ['application/json', 'application/problem+json'] as const;

/** XML messages (a document type's XML format): application/xml, and text/xml as older senders label them. */
export const XML_MEDIA_TYPE = 'application/xml';
export const XML_MEDIA_TYPES: readonly string[] = [XML_MEDIA_TYPE, 'text/xml'];

/** Whether a Content-Type is an XML message's. */
export function isXmlMediaType(contentType: string | undefined): boolean {
  return XML_MEDIA_TYPES.includes((contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '');
}

/**
 * 406 unless the Accept header allows one of the types the route answers (`*\/*`, `application/*` or the type,
 * with q > 0). No Accept header, or an empty one, accepts anything.
 */
export function checkAccept(request: FastifyRequest, answers: readonly string[]): void {
  const header = request.headers.accept;
  if (header === undefined || header.trim() === '') return;
  const ranges = header.split(',').map((part) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = params.map((param) => /^q=([\d.]+)$/.exec(param)?.[1]).find((value) => value !== undefined);
    return { range, q: q === undefined ? 1 : Number(q) };
  });
  const allows = (type: string) => {
    const [major] = type.split('/');
    return ranges.some(({ range, q }) => q > 0 && (range === '*/*' || range === `${major}/*` || range === type));
  };
  if (!answers.some(allows)) throw new KouanError('NOT_ACCEPTABLE', { params: { types: answers.join(', ') } });
}

/** 415 for a JSON body in any charset but UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). */
export function checkJsonCharset(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new KouanError('BODY_CHARSET_UNSUPPORTED', { params: { charset } });
}

/**
 * The methods each API path takes, for answering 405 with Allow instead of 404 when the path exists. Route
 * patterns are compiled once as they are added (`:param` one segment, `*` the rest).
 */
export class RouteMethods {
  readonly #routes: { readonly pattern: RegExp; readonly methods: Set<string> }[] = [];
  readonly #byUrl = new Map<string, Set<string>>();

  add(url: string, methods: string | readonly string[]): void {
    if (!url.startsWith('/api/')) return;
    let known = this.#byUrl.get(url);
    if (known === undefined) {
      known = new Set();
      this.#byUrl.set(url, known);
      const source = url
        .split('/')
        .map((segment) => (segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      this.#routes.push({ pattern: new RegExp(`^${source}/?$`), methods: known });
    }
    for (const method of typeof methods === 'string' ? [methods] : methods) known.add(method);
    if (known.has('GET')) known.add('HEAD');
  }

  /** The methods of the path (percent-decoded, without its query), sorted; empty when no route has it. */
  allowed(url: string): string[] {
    const path = safeDecode((url.split('?')[0] ?? '').replace(/\+/g, '%2B'));
    const methods = new Set<string>();
    for (const route of this.#routes) if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    return [...methods].sort();
  }
}
