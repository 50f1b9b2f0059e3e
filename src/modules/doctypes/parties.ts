/**
 * Who may file a document and for whom, for every document type alike: the declarant is the caller, and filing
 * for another enterprise needs an agent's role and that enterprise's delegation (委托) for the document type.
 */
import type { FieldError } from '../../shared/errors.js';
import type { Caller, CrossFieldRule, DocTypeDefinition, LooseDocument } from './doctype.js';
import { str } from './loose.js';

/** Why the caller may not file this document for its trader, or undefined when it may. */
export function standingProblem(definition: Pick<DocTypeDefinition, 'id' | 'parties'>, document: LooseDocument, caller: Caller): FieldError | undefined {
  const { parties } = definition;
  const path = `$.${parties.declarant}`;
  const declarant = str(document[parties.declarant]);
  if (declarant === undefined) return undefined;
  if (declarant !== caller.partyId) return { path, code: 'DECLARANT_NOT_CALLER', params: { party: caller.partyId } };
  const traderId = parties.trader(document)?.id;
  if (traderId === undefined || traderId === declarant) return undefined;
  if (!parties.agentRoles.some((role) => caller.roles.includes(role))) return { path, code: 'BROKER_ROLE_REQUIRED' };
  const scope = parties.scope?.(document);
  const mandate = caller.mandates?.find((candidate) => candidate.principal === traderId);
  const covered = mandate !== undefined && (scope === undefined || mandate.directions.includes(scope));
  if (!covered) return { path, code: 'DELEGATION_REQUIRED', params: { trader: traderId, docType: definition.id, direction: scope ?? 'import/export' } };
  return undefined;
}

/** Whether the caller is the declarant and may file for the document's trader: what the ledger needs before it says anything. */
export function hasStanding(definition: Pick<DocTypeDefinition, 'id' | 'parties'>, document: LooseDocument, caller: Caller): boolean {
  return str(document[definition.parties.declarant]) === caller.partyId && standingProblem(definition, document, caller) === undefined;
}

/** What the roles that may file for others are called. */
const ROLE_TITLES: Readonly<Record<string, { en: string; zh: string }>> = { broker: { en: 'broker', zh: '报关企业' } };
const roleTitle = (role: string) => ROLE_TITLES[role] ?? { en: role, zh: role };

/** The rule every document type gets from its parties. */
export function declarantRule(definition: Pick<DocTypeDefinition, 'id' | 'title' | 'parties'>): CrossFieldRule {
  const agents = definition.parties.agentRoles;
  return {
    id: 'declarant-is-caller',
    description:
      agents.length === 0
        ? { en: 'The declarant is the submitting party, which files for itself.', zh: '申报单位须为提交主体本身。' }
        : {
            en: `The declarant is the submitting party; declaring for another enterprise needs the ${agents.map((role) => roleTitle(role).en).join(' or ')} role and an active delegation from it covering ${definition.title.en.toLowerCase()}s${definition.parties.scope === undefined ? '' : ', the direction'} and today.`,
            zh: `申报单位须为提交主体；代理其他企业申报须具备${agents.map((role) => roleTitle(role).zh).join('或')}角色，并持有该企业涵盖${definition.title.zh}${definition.parties.scope === undefined ? '' : '、进出口方向'}及当日的有效委托。`,
          },
    codes: agents.length === 0 ? ['DECLARANT_NOT_CALLER'] : ['DECLARANT_NOT_CALLER', 'BROKER_ROLE_REQUIRED', 'DELEGATION_REQUIRED'],
    check(document, caller) {
      const problem = standingProblem(definition, document, caller);
      return problem === undefined ? [] : [problem];
    },
  };
}
