/** The policies module: who may do what to which resource, asked by routes and services alike. */
export { ACTION_IDS, ACTIONS, isActionId, type Action, type ActionId } from './actions.js';
export { PermissionsSchema, permissionsOf, type FiledType, type Permissions } from './permissions.js';
export {
  authorize,
  hasScope,
  issuingParty,
  ledgerViewer,
  managesParty,
  partAgency,
  permits,
  permittedActions,
  refusal,
  seesAccount,
  submissionViewer,
  VERIFYING_AGENCY,
  type CallerIssuer,
  type LedgerViewer,
  type Subject,
  type SubmissionViewer,
} from './policies.js';
export { AGENCY_MOVEMENTS, clearanceAgency, publishableTypes, publisherKind, publishesAtLocations, ROLE_EVENT_TYPES, tieOf, type Tie } from './publishing.js';
