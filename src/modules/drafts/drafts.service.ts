import type { Principal } from '../parties/index.js';
import { KouanError } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { DraftCursor, DraftRow, DraftsRepository } from './drafts.repository.js';
import type { Draft, DraftPage, DraftSummary, ListDraftsQuery, NewDraft, SaveDraft } from './drafts.schema.js';
import { authorize } from '../policies/index.js';

export interface DraftsOptions {
  /** The document type ids a draft may be of (the registry's). */
  readonly docTypes: readonly string[];
  /** How many drafts one party may keep. */
  readonly limit: number;
}

const DEFAULT_PAGE = 50;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (dft_[0-9A-Z]{26})$/;

/**
 * Drafts: an enterprise's unfinished declarations, kept so that its people come back to them from any browser.
 * A draft belongs to the party, not to the person: everyone of the party sees and saves it. Nothing in it is
 * validated; submitting is the client's POST /submissions with its data.
 */
export class DraftsService {
  constructor(
    private readonly repository: DraftsRepository,
    private readonly options: DraftsOptions,
  ) {}

  /** Keeps a new draft; DOCTYPE_UNKNOWN for a document type the registry lacks, DRAFT_LIMIT_REACHED past the limit. */
  async create(caller: Principal, request: NewDraft): Promise<Draft> {
    authorize(caller, 'draft.write');
    if (!this.options.docTypes.includes(request.docType)) throw new KouanError('DOCTYPE_UNKNOWN', { params: { docType: request.docType } });
    const at = nowIso();
    const row: DraftRow = {
      id: newId('dft'),
      party_id: caller.partyId,
      doc_type: request.docType,
      title: request.title ?? null,
      data: JSON.stringify(request.data),
      attachments: JSON.stringify(request.attachments ?? []),
      version: 1,
      // A portal session's keyId is its user's id: the person, for a person; the key, for a machine.
      created_by: caller.keyId,
      updated_by: caller.keyId,
      created_at: at,
      updated_at: at,
    };
    if (!(await this.repository.insertWithin(row, this.options.limit))) throw new KouanError('DRAFT_LIMIT_REACHED', { params: { limit: this.options.limit } });
    return draftView(row);
  }

  /** The party's drafts, most recently saved first, a page at a time, without their data. */
  async list(caller: Principal, query: ListDraftsQuery): Promise<DraftPage> {
    authorize(caller, 'draft.read');
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.repository.list(caller.partyId, { docType: query.docType, after: query.cursor === undefined ? undefined : parseCursor(query.cursor), limit });
    const last = rows.at(-1);
    return { drafts: rows.map(summaryView), next: rows.length === limit && last !== undefined ? cursorOf({ updatedAt: last.updated_at, id: last.id }) : null };
  }

  /** One draft of the caller's party; another party's is NOT_FOUND. */
  async get(caller: Principal, id: string): Promise<Draft> {
    authorize(caller, 'draft.read');
    const row = await this.repository.find(id, caller.partyId);
    if (row === undefined) throw new KouanError('NOT_FOUND');
    return draftView(row);
  }

  /**
   * Saves a draft's data (and title, when given). With a version (the body's `version` or If-Match), only over
   * that version: a save over a newer one is DRAFT_VERSION_CONFLICT, and changes nothing.
   */
  async save(caller: Principal, id: string, request: SaveDraft, ifMatch: number | undefined): Promise<Draft> {
    authorize(caller, 'draft.write');
    if (request.version !== undefined && ifMatch !== undefined && request.version !== ifMatch) {
      throw new KouanError('REQUEST_INVALID', { errors: [{ path: 'headers:$.if-match', code: 'FIELD_FORMAT', params: { format: `the version of the body, ${request.version}` } }] });
    }
    const expectedVersion = request.version ?? ifMatch;
    const saved = await this.repository.save(id, caller.partyId, { title: request.title, data: JSON.stringify(request.data), attachments: request.attachments === undefined ? undefined : JSON.stringify(request.attachments), expectedVersion, by: caller.keyId, at: nowIso() });
    if (saved !== undefined) return draftView(saved);
    const current = await this.repository.find(id, caller.partyId);
    if (current === undefined) throw new KouanError('NOT_FOUND');
    throw new KouanError('DRAFT_VERSION_CONFLICT', { params: { id, version: current.version, expected: expectedVersion ?? current.version }, extra: { version: current.version } });
  }

  async delete(caller: Principal, id: string): Promise<void> {
    authorize(caller, 'draft.write');
    if (!(await this.repository.delete(id, caller.partyId))) throw new KouanError('NOT_FOUND');
  }
}

/** The cursor is opaque to clients: the last draft's save time and id. */
function cursorOf(cursor: DraftCursor): string {
  return Buffer.from(`${cursor.updatedAt} ${cursor.id}`).toString('base64url');
}

function parseCursor(text: string): DraftCursor {
  const match = CURSOR.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new KouanError('REQUEST_INVALID', { errors: [{ path: 'querystring:$.cursor', code: 'FIELD_FORMAT', params: { format: 'the `next` of a previous page' } }] });
  }
  return { updatedAt: match[1], id: match[2] };
}

function summaryView(row: Omit<DraftRow, 'data' | 'attachments'>): DraftSummary {
  return {
    id: row.id,
    docType: row.doc_type,
    title: row.title,
    version: row.version,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function draftView(row: DraftRow): Draft {
  return { ...summaryView(row), data: JSON.parse(row.data) as Record<string, unknown>, attachments: JSON.parse(row.attachments) as Draft['attachments'] };
}
