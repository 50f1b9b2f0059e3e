/** An enterprise's unfinished declaration, saved to come back to; submitting it is the client's POST /submissions. */
export interface DraftTable {
  id: string;
  party_id: string;
  doc_type: string;
  title: string | null;
  /** The draft document as the client sent it (JSON text of an object); nothing is validated. */
  data: string;
  /** The files it carries (JSON array of {kind, sha256, name, mediaType, size}), as the client sent them (0032). */
  attachments: string;
  /** Optimistic-concurrency counter: 1 when created, bumped by every save. */
  version: number;
  /** The user (portal) or API key that created it, and that saved it last. */
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

/** The drafts module's table. Only the module's repositories touch them. */
export interface DraftTables {
  drafts: DraftTable;
}
