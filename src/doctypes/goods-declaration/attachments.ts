import type { AttachmentKind, AttachmentMediaType } from '../../modules/doctypes/doctype.js';
import type { GoodsDeclaration } from './schema.js';

const DOCUMENTS: readonly AttachmentMediaType[] = ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/tiff'];

/**
 * The files a goods declaration carries (随附单证): the commercial documents every agency may read, the
 * contract and the certificate of origin for customs (which assesses value and preference), photos of the goods.
 * Licences and certificates themselves are in the ledger; a scan here is only the paper copy.
 */
export const attachments: readonly AttachmentKind<GoodsDeclaration>[] = [
  { id: 'invoice', label: { en: 'Commercial invoice', zh: '商业发票' }, help: { en: 'An electronic invoice may be its OFD file', zh: '电子发票可直接上传 OFD 文件' }, mediaTypes: DOCUMENTS, maxCount: 10 },
  { id: 'packing-list', label: { en: 'Packing list', zh: '装箱单' }, mediaTypes: DOCUMENTS, maxCount: 10 },
  { id: 'transport-document', label: { en: 'Bill of lading or air waybill', zh: '提（运）单' }, mediaTypes: DOCUMENTS, maxCount: 5 },
  { id: 'contract', label: { en: 'Sales contract', zh: '合同' }, mediaTypes: DOCUMENTS, agencies: ['CUS'], maxCount: 5 },
  { id: 'certificate-of-origin', label: { en: 'Certificate of origin', zh: '原产地证书' }, mediaTypes: DOCUMENTS, agencies: ['CUS'], maxCount: 10 },
  { id: 'photo', label: { en: 'Photo of the goods', zh: '货物照片' }, mediaTypes: ['image/jpeg', 'image/png'], maxCount: 20 },
  { id: 'other', label: { en: 'Other document', zh: '其他单证' }, mediaTypes: DOCUMENTS, maxCount: 10 },
];
