/**
 * Renders docs/authorization.md from the policies' table of actions (src/modules/policies/actions.ts) and the
 * route table (each operation's `x-kouan-action` in the OpenAPI document).
 */
import { ACTION_IDS, ACTIONS, type Action } from '../src/modules/policies/index.js';

export const AUTHORIZATION_FILE = new URL('../docs/authorization.md', import.meta.url);

const KINDS = { enterprise: 'enterprises', agency: 'agencies', operator: 'operators' } as const;

type OpenApi = { paths: Record<string, Record<string, { 'x-kouan-action'?: string }>> };

function who(action: Action): string {
  const kinds = action.kinds.map((kind) => (kind === 'enterprise' && action.enterpriseRoles !== undefined ? `enterprises with the ${action.enterpriseRoles.join(', ')} role` : KINDS[kind]));
  return kinds.join('; ');
}

export function renderAuthorizationDoc(openapiText: string): string {
  const document = JSON.parse(openapiText) as OpenApi;
  const routes = new Map<string, string[]>(ACTION_IDS.map((id) => [id, []]));
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const action = operation['x-kouan-action'];
      if (action !== undefined) routes.get(action)?.push(`${method.toUpperCase()} ${path}`);
    }
  }
  const publicRoutes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method, operation]) => ['get', 'post', 'put', 'delete'].includes(method) && operation['x-kouan-action'] === undefined)
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
  const code = (list: readonly string[]) => [...list].sort().map((route) => `\`${route}\``);
  const lines = [
    '# Who may do what',
    '',
    '<!-- Generated from src/modules/policies/actions.ts and the route table by `npm run openapi`; a test fails when it is stale. -->',
    '',
    'Every authenticated route of the API names one **action**, and the policies module decides, before the',
    'handler runs, whether the caller may take it at all: the kind of party it is, the role an enterprise needs',
    'besides, and the API-key scope its credential carries. A portal session carries every scope but `admin`,',
    'which takes the admin role. A refusal is `403 FORBIDDEN` (`403 SCOPE_MISSING` for a key limited to other',
    'scopes, `403 EVENT_PUBLISHER_REQUIRED` for an enterprise without a publishing role), given before any',
    'resource is looked up or any body read, so it says nothing about the resource. The services ask the same',
    'policies again, so the command line and the workers obey this table too.',
    '',
    'A caller permitted an action acts only on the resources it can see (next section): another party\'s',
    'resource answers `404 NOT_FOUND`, as if it did not exist. `GET /api/v1/session/permissions` tells a',
    'credential which actions it may take; the portal shows what that says. The OpenAPI document names each',
    "operation's action as `x-kouan-action`, and the authorization matrix test (test/authorization-matrix.test.ts)",
    'generates its 403 cells from this table.',
    '',
    '## Actions',
    '',
    '| action | what | who | key scope | routes |',
    '|---|---|---|---|---|',
    ...ACTION_IDS.map((id) => {
      const action: Action = ACTIONS[id];
      return `| \`${id}\` | ${action.title.en} / ${action.title.zh} | ${who(action)} | ${action.scope === undefined ? 'any' : `\`${action.scope}\``} | ${code(routes.get(id) ?? []).join('<br>') || 'none'} |`;
    }),
    '',
    `Public (no API key; the session routes read the portal's cookie themselves): ${code(publicRoutes).join(', ')}, \`GET /healthz\`, \`GET /readyz\`, \`GET /docs\`.`,
    '',
    '## Which resources',
    '',
    '- **Documents** (submissions, their versions, files and printed messages): an enterprise sees those it',
    '  declared or is the trader of; an agency the parts routed to it, and of the document only its part\'s',
    "  projection, its history and the files shown to it; an operator its tenant's. A document is changed",
    '  (cancelled, amended) by its declarant; a part is decided by its agency.',
    '- **Ledger accounts**: an enterprise sees what it holds and, as a carrier, the bills it recorded; an agency',
    "  what it issued, customs (`CUS`, which verifies declarations against every account) all; an operator its",
    "  tenant's. Only the issuer suspends, reinstates or revokes an account; customs sees every account but",
    '  changes only its own (403 on the others).',
    "- **Drafts, delegations, signing keys**: the party's own; a delegation is seen by both its parties and",
    '  revoked by the one that gave it.',
    "- **People and API keys**: an admin manages its own party's; an operator every party of its tenant.",
    '- **Tracking**: a party sees the containers, bills and vessels of its own documents and bills, an agency',
    '  what it cleared, an operator all (docs/tracking.md); a terminal or port publishes at its own locations, a',
    '  carrier on its own bills.',
    '- **Inbox, webhook**: the agency\'s own. **Audit log, domain events, statistics, party directory**: the',
    "  operator's tenant.",
    '',
  ];
  return lines.join('\n');
}
