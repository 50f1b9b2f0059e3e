/** Who files a processing-trade closure: the manual's holder itself, or a broker it delegated to. */
import type { PartiesSpec } from '../../modules/doctypes/doctype.js';
import { obj, str } from '../../modules/doctypes/loose.js';

export const parties: PartiesSpec = {
  declarant: 'declarant',
  trader: (document) => ({ path: '$.enterprise.id', id: str(obj(document.enterprise)?.id) }),
  agentRoles: ['broker'],
};
