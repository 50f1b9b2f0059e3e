import type { AttachmentKind, AttachmentMediaType } from '../../modules/doctypes/doctype.js';
import type { ProcessingTradeClosure } from './schema.js';

const DOCUMENTS: readonly AttachmentMediaType[] = ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/tiff'];

/** The files a closure carries: the enterprise's reconciliation report and the records of any destruction. */
export const attachments: readonly AttachmentKind<ProcessingTradeClosure>[] = [
  { id: 'reconciliation-report', label: { en: 'Reconciliation report', zh: '核销报告' }, mediaTypes: DOCUMENTS, agencies: ['CUS'], maxCount: 5 },
  { id: 'destruction-record', label: { en: 'Record of destruction', zh: '销毁记录' }, mediaTypes: DOCUMENTS, agencies: ['CUS'], maxCount: 10 },
];
