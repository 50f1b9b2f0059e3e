/** Who files an exhibition filing: the exhibition agent itself, or a broker it delegated to. */
import type { PartiesSpec } from '../../modules/doctypes/doctype.js';
import { obj, str } from '../../modules/doctypes/loose.js';

export const parties: PartiesSpec = {
  declarant: 'declarant',
  trader: (document) => ({ path: '$.agent.id', id: str(obj(document.agent)?.id) }),
  agentRoles: ['broker'],
};
