import type { AttachmentKind, AttachmentMediaType } from '../../modules/doctypes/doctype.js';
import { obj, str } from '../../modules/doctypes/loose.js';
import type { ExhibitionFiling } from './schema.js';

const DOCUMENTS: readonly AttachmentMediaType[] = ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/tiff'];

/**
 * The files an exhibition filing carries: the event's approval for commerce and market regulation, the exhibit
 * list as the organiser printed it, the ATA carnet's pages for customs when the carnet is the guarantee, and
 * photos of the exhibits for every agency.
 */
export const attachments: readonly AttachmentKind<ExhibitionFiling>[] = [
  { id: 'event-approval', label: { en: 'Approval of the exhibition', zh: '展会批准文件' }, mediaTypes: DOCUMENTS, agencies: ['MOC', 'SAIC'], maxCount: 5 },
  { id: 'exhibit-list', label: { en: 'Exhibit list as printed', zh: '展品清单（纸质版）' }, mediaTypes: DOCUMENTS, maxCount: 5 },
  {
    id: 'ata-carnet',
    label: { en: 'ATA carnet (cover and vouchers)', zh: 'ATA 单证册（封面及凭证）' },
    mediaTypes: DOCUMENTS,
    agencies: ['CUS'],
    maxCount: 5,
    required: (filing) => str(obj(filing.guarantee)?.kind) === 'ata-carnet',
    requiredWhen: { en: 'when the guarantee is an ATA carnet', zh: '以 ATA 单证册作担保时' },
  },
  { id: 'photo', label: { en: 'Photo of an exhibit', zh: '展品照片' }, mediaTypes: ['image/jpeg', 'image/png'], maxCount: 50 },
];
