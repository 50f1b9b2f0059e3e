/**
 * The portal's only way to the server: a fetch wrapper over the public API. It sends the session's CSRF token on
 * unsafe methods and the chosen language, and turns every failure into an ApiError that the pages can show.
 */
import type { Language, Problem } from './types';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** Anything that went wrong with a call: the server's problem, or no answer at all (network). */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    readonly network = false,
  ) {
    super(`${problem.code}: ${problem.title}`);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** The server does not offer this endpoint (yet): the feature is unavailable, not broken. */
  get missingEndpoint(): boolean {
    return this.problem.status === 404 && this.problem.code === 'ROUTE_NOT_FOUND';
  }
}

export interface ApiResponse<T> {
  readonly body: T;
  readonly headers: Headers;
}

interface ClientState {
  csrfToken: string | undefined;
  language: Language;
  /** With the server's problem, so the sign-in page can say why (expired, ended elsewhere, ...). */
  onSessionLost: (problem: Problem) => void;
  /** The session's password is one an admin set: the person must choose their own first. */
  onPasswordChangeRequired: () => void;
}

const state: ClientState = { csrfToken: undefined, language: 'en', onSessionLost: () => undefined, onPasswordChangeRequired: () => undefined };

/** Set by the session and language providers; every later call uses them. */
export function configureClient(settings: Partial<ClientState>): void {
  Object.assign(state, settings);
}

export function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string' && typeof (value as { title?: unknown }).title === 'string';
}

async function send<T>(
  method: Method,
  path: string,
  options: { query?: Query | undefined; body?: unknown; file?: Blob | undefined; headers?: Readonly<Record<string, string>>; signal?: AbortSignal | undefined } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': state.language, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // A file goes as its own bytes; the server tells its type by them, so an unknown type is left to it.
  if (options.file !== undefined) headers['content-type'] = options.file.type === '' ? 'application/octet-stream' : options.file.type;
  if (method !== 'GET' && state.csrfToken !== undefined) headers['x-csrf-token'] = state.csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.file !== undefined ? { body: options.file } : options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    throw new ApiError({ code: 'NETWORK', title: 'Kouan cannot be reached', status: 0 }, true);
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) {
    const problem: Problem = isProblem(body) ? { ...body, status: response.status } : { code: `HTTP_${response.status}`, title: response.statusText || 'Unexpected answer', status: response.status };
    // A session that ended (idle, logout elsewhere, disabled user) sends the person back to sign in.
    if (response.status === 401 && path !== '/session') state.onSessionLost(problem);
    if (response.status === 403 && problem.code === 'PASSWORD_CHANGE_REQUIRED') state.onPasswordChangeRequired();
    throw new ApiError(problem);
  }
  return { body: body as T, headers: response.headers };
}

export const api = {
  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return (await send<T>('GET', path, { query, signal })).body;
  },
  async post<T>(path: string, body?: unknown, headers?: Readonly<Record<string, string>>): Promise<T> {
    return (await send<T>('POST', path, { body: body ?? {}, ...(headers === undefined ? {} : { headers }) })).body;
  },
  async put<T>(path: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<T> {
    return (await send<T>('PUT', path, { body, ...(headers === undefined ? {} : { headers }) })).body;
  },
  /** Sends a file's bytes (POST /attachments). */
  async upload<T>(path: string, file: Blob): Promise<T> {
    return (await send<T>('POST', path, { file })).body;
  },
  async delete(path: string): Promise<void> {
    await send<unknown>('DELETE', path);
  },
  /** The full answer with its headers (an ETag to send back, a Retry-After). */
  raw<T>(method: Method, path: string, options: { query?: Query; body?: unknown; headers?: Readonly<Record<string, string>> } = {}): Promise<ApiResponse<T>> {
    return send<T>(method, path, options);
  },
};

/** The path segment for an identifier taken from data or the address bar. */
export const segment = (value: string): string => encodeURIComponent(value);
