/** Who files a goods declaration for whom: the domestic trader itself, or a customs broker it delegated to. */
import type { PartiesSpec } from '../../modules/doctypes/doctype.js';
import { obj, str } from '../../modules/doctypes/loose.js';
import { domesticTraderField } from './rules.js';

export const parties: PartiesSpec = {
  declarant: 'declarant',
  trader(document) {
    const field = domesticTraderField(document);
    return field === undefined ? undefined : { path: `$.${field}.id`, id: str(obj(document[field])?.id) };
  },
  scope: (document) => str(document.direction),
  agentRoles: ['broker'],
};
