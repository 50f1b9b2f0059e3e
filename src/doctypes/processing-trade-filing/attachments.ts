import type { AttachmentKind, AttachmentMediaType } from '../../modules/doctypes/doctype.js';
import type { ProcessingTradeFiling } from './schema.js';

const DOCUMENTS: readonly AttachmentMediaType[] = ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/tiff'];

/** The files a processing-trade filing carries: the signed processing contract and the consumption-ratio sheet. */
export const attachments: readonly AttachmentKind<ProcessingTradeFiling>[] = [
  { id: 'contract', label: { en: 'Processing contract as signed', zh: '加工贸易合同（签署件）' }, mediaTypes: DOCUMENTS, maxCount: 5 },
  { id: 'consumption-ratios', label: { en: 'Consumption-ratio sheet', zh: '单耗资料' }, mediaTypes: DOCUMENTS, agencies: ['CUS'], maxCount: 5 },
  { id: 'other', label: { en: 'Other document', zh: '其他单证' }, mediaTypes: DOCUMENTS, maxCount: 10 },
];
