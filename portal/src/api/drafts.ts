/**
 * Drafts of documents of any type kept by the server (/api/v1/drafts). A change is sent with If-Match, the version the
 * person started from, so two people editing the same draft never overwrite each other silently (409).
 */
import { api, segment } from './client';
import type { AttachedFile, Draft, DraftList } from './types';

export interface VersionedDraft {
  readonly draft: Draft;
  /** What to send as If-Match: the answer's ETag, or the draft's version. */
  readonly etag: string | undefined;
}

function versioned(draft: Draft, headers: Headers): VersionedDraft {
  const etag = headers.get('etag') ?? `"${draft.version}"`;
  return { draft, etag };
}

export const DOC_TYPE = 'goods-declaration';

export const drafts = {
  list: (signal?: AbortSignal) => api.get<DraftList>('/drafts', { limit: 100 }, signal),
  async get(id: string): Promise<VersionedDraft> {
    const answer = await api.raw<Draft>('GET', `/drafts/${segment(id)}`);
    return versioned(answer.body, answer.headers);
  },
  /** A new draft of a document of that type (a goods declaration unless named). */
  async create(data: unknown, title: string, docType: string = DOC_TYPE, files: readonly AttachedFile[] = []): Promise<VersionedDraft> {
    const answer = await api.raw<Draft>('POST', '/drafts', { body: { docType, data, attachments: files, ...(title === '' ? {} : { title }) } });
    return versioned(answer.body, answer.headers);
  },
  async update(id: string, data: unknown, title: string, etag: string | undefined, files: readonly AttachedFile[] = []): Promise<VersionedDraft> {
    const answer = await api.raw<Draft>('PUT', `/drafts/${segment(id)}`, { body: { data, attachments: files, ...(title === '' ? {} : { title }) }, ...(etag === undefined ? {} : { headers: { 'if-match': etag } }) });
    return versioned(answer.body, answer.headers);
  },
  remove: (id: string) => api.delete(`/drafts/${segment(id)}`),
};
