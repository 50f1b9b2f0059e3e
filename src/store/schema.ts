/**
 * The database as Kysely sees it: every module's tables, each declared by the module that owns them in its
 * `<module>.tables.ts` (status columns as unions of the module's own values) and touched only by its
 * repositories. Times are ISO 8601 UTC strings with milliseconds (`2026-11-27T06:40:00.000Z`), identical on both
 * stores and sortable as text; documents are JSON text whose decimals are canonical strings. Migrations use
 * `Kysely<any>`, so that they stay as they were when these types move on. The `webhooks` and
 * `webhook_deliveries` tables migration 0024 moved into the delivery engine's are kept, unread, for a downgrade.
 */
import type { AttachmentTables } from '../modules/attachments/attachments.tables.js';
import type { AuditTables } from '../modules/audit/audit.tables.js';
import type { CodesTables } from '../modules/codes/codes.tables.js';
import type { DelegationTables } from '../modules/delegations/delegations.tables.js';
import type { DeliveryTables } from '../modules/delivery/delivery.tables.js';
import type { DraftTables } from '../modules/drafts/drafts.tables.js';
import type { EventTables } from '../modules/events/events.tables.js';
import type { ExchangeTables } from '../modules/exchange/exchange.tables.js';
import type { LedgerTables } from '../modules/ledger/ledger.tables.js';
import type { PartiesTables } from '../modules/parties/parties.tables.js';
import type { SignatureTables } from '../modules/signatures/signatures.tables.js';
import type { StatsTables } from '../modules/stats/stats.tables.js';
import type { AmendmentTables } from '../modules/submissions/amendments.tables.js';
import type { SubmissionTables } from '../modules/submissions/submissions.tables.js';
import type { TrackingTables } from '../modules/tracking/tracking.tables.js';
import type { UsersTables } from '../modules/users/users.tables.js';

/** Every table of the store. */
export interface Database
  extends PartiesTables,
    UsersTables,
    CodesTables,
    SubmissionTables,
    AmendmentTables,
    AttachmentTables,
    DraftTables,
    DelegationTables,
    ExchangeTables,
    DeliveryTables,
    SignatureTables,
    LedgerTables,
    AuditTables,
    TrackingTables,
    EventTables,
    StatsTables {}
