import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import { KouanError, type FieldError } from '../../shared/errors.js';
import { nowIso } from '../../shared/ids.js';
import type { AttachmentKind, DocTypeDefinition } from '../doctypes/index.js';
import type { Principal } from '../parties/index.js';
import type { AttachmentsRepository, StoredAttachment, StoredBlob } from './attachments.repository.js';
import type { AttachmentRef, UploadedAttachment } from './attachments.schema.js';
import { sniffMediaType } from './sniff.js';
import { authorize } from '../policies/index.js';

/** Content types a client may declare for an upload; application/octet-stream leaves it to the bytes. */
export const UPLOAD_CONTENT_TYPES = ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/tiff', 'application/octet-stream'] as const;

/**
 * The files documents carry (随附单证): uploaded first, stored once per content under its SHA-256, then named
 * by hash inside the submission's signed body, so that the declarant's signature and Kouan's receipt cover them.
 */
export class AttachmentsService {
  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly maxBytes: number,
  ) {}

  get limit(): number {
    return this.maxBytes;
  }

  /** Takes a file an enterprise will attach: its type is what its bytes are, and must be what the client said. */
  async upload(caller: Principal, declared: string, content: Buffer): Promise<UploadedAttachment> {
    authorize(caller, 'attachment.upload');
    if (content.length === 0) throw new KouanError('ATTACHMENT_EMPTY');
    if (content.length > this.maxBytes) throw new KouanError('ATTACHMENT_TOO_LARGE', { params: { limit: this.maxBytes } });
    const mediaType = sniffMediaType(content);
    if (mediaType === undefined) throw new KouanError('ATTACHMENT_TYPE_UNSUPPORTED');
    if (declared !== 'application/octet-stream' && declared !== mediaType) throw new KouanError('ATTACHMENT_TYPE_MISMATCH', { params: { declared, actual: mediaType } });
    const sha256 = createHash('sha256').update(content).digest('hex');
    await this.repository.put({ sha256, mediaType, size: content.length, content }, { tenant: caller.tenant, partyId: caller.partyId, at: nowIso() });
    return { sha256, mediaType, size: content.length };
  }

  /** A file the caller uploaded; NOT_FOUND otherwise, whether or not someone else did. */
  async uploaded(caller: Principal, sha256: string): Promise<StoredBlob> {
    const blob = await this.repository.findUploaded(caller.partyId, sha256);
    if (blob === undefined) throw new KouanError('NOT_FOUND');
    return blob;
  }

  /**
   * The problems with the files a document names: each of a kind its type takes, uploaded by the declarant
   * itself (a hash of someone else's file reveals nothing and attaches nothing), of a format its kind takes, at
   * most as many as the kind allows, and every kind the document requires present.
   */
  async check(definition: DocTypeDefinition, document: unknown, refs: readonly AttachmentRef[], declarant: string): Promise<FieldError[]> {
    const kinds = new Map((definition.attachments ?? []).map((kind) => [kind.id, kind]));
    const errors: FieldError[] = [];
    const uploaded = await this.repository.uploadedBy(declarant, refs.map((ref) => ref.sha256));
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    for (const [index, ref] of refs.entries()) {
      const path = `$.attachments[${index}]`;
      const kind = kinds.get(ref.kind);
      if (kind === undefined) {
        errors.push({ path: `${path}.kind`, code: 'ATTACHMENT_KIND_UNKNOWN', params: { kind: ref.kind, kinds: kinds.size === 0 ? '-' : [...kinds.keys()].join(', ') } });
        continue;
      }
      const file = uploaded.get(ref.sha256);
      if (file === undefined) {
        errors.push({ path: `${path}.sha256`, code: 'ATTACHMENT_NOT_UPLOADED' });
        continue;
      }
      if (!kind.mediaTypes.includes(file.mediaType)) errors.push({ path: `${path}.sha256`, code: 'ATTACHMENT_TYPE_NOT_ALLOWED', params: { kind: kind.id, mediaType: file.mediaType, allowed: kind.mediaTypes.join(', ') } });
      if (seen.has(`${kind.id} ${ref.sha256}`)) errors.push({ path: `${path}.sha256`, code: 'ATTACHMENT_DUPLICATE', params: { kind: kind.id } });
      seen.add(`${kind.id} ${ref.sha256}`);
      const count = (counts.get(kind.id) ?? 0) + 1;
      counts.set(kind.id, count);
      if (count === kind.maxCount + 1) errors.push({ path, code: 'ATTACHMENT_TOO_MANY', params: { kind: kind.id, max: kind.maxCount } });
    }
    for (const kind of kinds.values()) {
      if (!counts.has(kind.id) && requires(kind, document)) errors.push({ path: '$.attachments', code: 'ATTACHMENT_REQUIRED', params: { kind: kind.id, docType: definition.id } });
    }
    return errors;
  }

  attach(trx: Transaction<Database>, submissionId: string, refs: readonly AttachmentRef[]): Promise<void> {
    return this.repository.attach(trx, submissionId, refs);
  }

  replace(trx: Transaction<Database>, submissionId: string, refs: readonly AttachmentRef[]): Promise<void> {
    return this.repository.replace(trx, submissionId, refs);
  }

  /** The files a submission carries that this viewer may see: all for its parties, an agency only its kinds. */
  async of(definition: DocTypeDefinition, submissionId: string, agency: string | undefined, trx?: Transaction<Database>): Promise<StoredAttachment[]> {
    const all = await this.repository.of(submissionId, trx);
    return agency === undefined ? all : all.filter((file) => shownTo(definition, file.kind, agency));
  }

  /** One file's bytes (the caller checked that the viewer may see it). */
  async content(sha256: string): Promise<StoredBlob> {
    const blob = await this.repository.find(sha256);
    if (blob === undefined) throw new KouanError('NOT_FOUND');
    return blob;
  }
}

function requires(kind: AttachmentKind, document: unknown): boolean {
  return kind.required !== undefined && typeof document === 'object' && document !== null && kind.required(document);
}

/** Whether an agency's part shows files of a kind (a kind no longer defined is shown to no agency). */
export function shownTo(definition: DocTypeDefinition, kindId: string, agency: string): boolean {
  const kind = definition.attachments?.find((candidate) => candidate.id === kindId);
  return kind !== undefined && (kind.agencies === undefined || kind.agencies.includes(agency));
}
