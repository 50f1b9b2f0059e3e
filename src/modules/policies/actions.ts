/**
 * Every action a caller may take through the API, and who may take it: the kinds of party, the roles an
 * enterprise needs besides, and the API-key scope the credential must carry. Routes name their action
 * (`config.action`) and the HTTP layer asks the policy before the handler runs; services ask again, so that the
 * command line and the workers obey the same table. Which of its resources a permitted caller may see or change
 * (its own party's, its tenant's, the parts routed to it) is decided in `policies.ts` and in the repositories'
 * queries, never here. docs/authorization.md is generated from this table and the route table.
 */
import type { PartyKind, Role } from '../parties/parties.schema.js';
import type { KeyScope } from '../users/users.schema.js';

export interface Action {
  /** What the action is, for the generated docs/authorization.md and the permissions answer. */
  readonly title: { readonly en: string; readonly zh: string };
  /** The kinds of party that may take it. */
  readonly kinds: readonly PartyKind[];
  /** An enterprise also needs one of these roles; absent: any enterprise. */
  readonly enterpriseRoles?: readonly Role[];
  /** The problem an enterprise without those roles gets; FORBIDDEN unless said. */
  readonly refusal?: 'EVENT_PUBLISHER_REQUIRED';
  /** The API-key scope it needs (a portal session carries every scope but `admin`, which takes the admin role). */
  readonly scope?: KeyScope;
}

const ALL: readonly PartyKind[] = ['enterprise', 'agency', 'operator'];

export const ACTIONS = {
  'reference.read': { title: { en: 'Read who one is, the document types, code lists and account types', zh: '查看本方身份、单证类型、代码表与底账类型' }, kinds: ALL },
  'submission.validate': { title: { en: 'Check a document without filing it', zh: '校验单证（不申报）' }, kinds: ['enterprise'], scope: 'submissions:write' },
  'submission.declare': { title: { en: 'File a document (for itself, or for a trader that delegated it)', zh: '申报单证（自理或受委托代理）' }, kinds: ['enterprise'], scope: 'submissions:write' },
  'submission.read': { title: { en: 'Read the documents one may see, their versions, files and printed messages', zh: '查看可见单证及其版本、随附单证与报文' }, kinds: ALL, scope: 'submissions:read' },
  'submission.cancel': { title: { en: 'Cancel a document before any agency decided', zh: '在任何部门审核前撤回申报' }, kinds: ['enterprise'], scope: 'submissions:write' },
  'submission.amend': { title: { en: 'Ask to amend or withdraw an accepted document', zh: '提出修改或撤销申请' }, kinds: ['enterprise'], scope: 'submissions:write' },
  'submission.decide': { title: { en: "Decide one's part of a document, and requests to amend or withdraw it", zh: '审核本部门分单及修改、撤销申请' }, kinds: ['agency'], scope: 'inbox' },
  'attachment.upload': { title: { en: 'Upload a file to attach to a document', zh: '上传随附单证' }, kinds: ['enterprise'], scope: 'submissions:write' },
  'draft.read': { title: { en: "Read one's party's drafts", zh: '查看本单位草稿' }, kinds: ['enterprise'], scope: 'submissions:read' },
  'draft.write': { title: { en: 'Save, change and delete drafts', zh: '保存、修改、删除草稿' }, kinds: ['enterprise'], scope: 'submissions:write' },
  'delegation.read': { title: { en: "Read the delegations one's party gave or holds", zh: '查看本单位委托关系' }, kinds: ['enterprise'], scope: 'submissions:read' },
  'delegation.grant': { title: { en: 'Delegate declaring to a broker, and revoke it', zh: '委托报关企业代理申报及撤销委托' }, kinds: ['enterprise'], scope: 'submissions:write' },
  'signing-key.read': { title: { en: "Read one's party's signing keys and signing policy", zh: '查看本单位签名密钥与签名策略' }, kinds: ALL, scope: 'submissions:read' },
  'signing-key.manage': { title: { en: 'Register and revoke signing keys, set the signing policy', zh: '登记、吊销签名密钥，设置签名策略' }, kinds: ['enterprise'], scope: 'admin' },
  'signature.audit': { title: { en: "Check the tenant's stored signatures again", zh: '复核本租户已存签名' }, kinds: ['operator'], scope: 'submissions:read' },
  'ledger.read': { title: { en: 'Read the ledger accounts one may see, their entries and overdue items', zh: '查看可见底账、分录与逾期项目' }, kinds: ALL, scope: 'ledger:read' },
  'ledger.issue': { title: { en: 'Issue, suspend, reinstate and revoke accounts (their issuer)', zh: '签发、暂停、恢复、注销底账（签发方）' }, kinds: ['agency', 'enterprise'], enterpriseRoles: ['carrier'], scope: 'ledger:issue' },
  'ledger.extend': { title: { en: 'Extend the deadline of an account (customs)', zh: '延长底账期限（海关）' }, kinds: ['agency'], scope: 'ledger:issue' },
  'tracking.publish': { title: { en: 'Publish movement or clearance events', zh: '发布物流或通关状态事件' }, kinds: ALL, enterpriseRoles: ['carrier', 'terminal', 'port'], refusal: 'EVENT_PUBLISHER_REQUIRED', scope: 'tracking:write' },
  'tracking.read': { title: { en: 'Read the status of cargo, containers and vessels one may see, and follow it', zh: '查看并订阅可见货物、集装箱与船舶状态' }, kinds: ALL, scope: 'tracking:read' },
  'inbox.read': { title: { en: "Read and acknowledge one's agency's inbox", zh: '读取并确认本部门收件箱' }, kinds: ['agency'], scope: 'inbox' },
  'webhook.manage': { title: { en: "Register one's agency's webhook and read its deliveries", zh: '登记本部门推送地址并查看投递记录' }, kinds: ['agency'], scope: 'inbox' },
  'users.manage': { title: { en: "Manage one's party's people and API keys (an operator: its tenant's)", zh: '管理本单位人员与密钥（运营方：本租户）' }, kinds: ALL, scope: 'admin' },
  'session.self': { title: { en: "Manage one's own sign-in (password, second factor)", zh: '管理本人登录（密码、第二因素）' }, kinds: ALL },
  'party.directory': { title: { en: "Look up the tenant's parties", zh: '查询本租户各方' }, kinds: ['operator'] },
  'audit.read': { title: { en: "Read the tenant's audit log", zh: '查看本租户审计日志' }, kinds: ['operator'] },
  'events.read': { title: { en: "Read the tenant's domain events", zh: '读取本租户领域事件' }, kinds: ['operator'] },
  'stats.read': { title: { en: "Read the tenant's statistics", zh: '查看本租户统计' }, kinds: ['operator'] },
} as const satisfies Record<string, Action>;

export type ActionId = keyof typeof ACTIONS;
export const ACTION_IDS = Object.keys(ACTIONS) as ActionId[];

export function isActionId(value: string): value is ActionId {
  return Object.hasOwn(ACTIONS, value);
}
