import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  ACCOUNT_STATUSES,
  AccountActionSchema,
  AccountViewSchema,
  EntryViewSchema,
  IssueAccountSchema,
  VerifiedCopySchema,
  VerifyCopySchema,
} from '../../modules/ledger/index.js';
import { principalOf, type Services } from '../app.js';
import { languageOf, withProblems } from '../problem.js';

const NumberParams = Type.Object({ number: Type.String({ maxLength: 64 }) });

export function ledgerRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/ledger/types',
      {
        config: { action: 'reference.read' },
        schema: {
          summary: 'Account types and the regulatory-conditions table (HS prefix ▶ required documents)',
          tags: ['ledger'],
        },
      },
      () => services.ledger.types(),
    );

    app.get(
      '/ledger/keys',
      {
        config: { public: true },
        schema: {
          summary: "The issuers' public keys (JWK set) that verify a signed account offline",
          tags: ['ledger'],
          security: [],
        },
      },
      () => services.ledger.jwks(),
    );

    app.post(
      '/ledger/verify',
      {
        config: { public: true },
        schema: {
          summary: 'Check a printed or exported copy of an account (its compact JWS)',
          description: 'Answers 200 with the signed content and its status here now, or 422 LEDGER_SIGNATURE_INVALID. The same check runs offline with `kouan ledger verify-copy`.',
          tags: ['ledger'],
          security: [],
          body: VerifyCopySchema,
          response: withProblems({ 200: VerifiedCopySchema }),
        },
      },
      (request) => services.ledger.verifyCopy(request.body.signature),
    );

    app.post(
      '/ledger/accounts',
      {
        config: { action: 'ledger.issue' },
        schema: {
          summary: 'Issue a licence, permit or certificate into the ledger (issuing agency)',
          description: 'Kouan signs it on the issuer\'s behalf. Issuing the same number with the same content again answers 200 with the account; other content is 409.',
          tags: ['ledger'],
          body: IssueAccountSchema,
          response: withProblems({ 200: AccountViewSchema, 201: AccountViewSchema }),
        },
      },
      async (request, reply) => {
        const { account, replayed } = await services.ledger.issue(principalOf(request), request.body);
        request.auditSubject = { resource: account.number, owner: account.holder };
        void reply.header('location', `/api/v1/ledger/accounts/${encodeURIComponent(account.number)}`);
        return reply.status(replayed ? 200 : 201).send(account);
      },
    );

    app.get(
      '/ledger/accounts',
      {
        config: { action: 'ledger.read' },
        schema: {
          summary: 'Accounts you hold (enterprise), issued (agency) or verify (customs)',
          tags: ['ledger'],
          querystring: Type.Object(
            {
              type: Type.Optional(Type.String({ maxLength: 64 })),
              status: Type.Optional(Type.Enum(ACCOUNT_STATUSES)),
              cursor: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            },
            { additionalProperties: false },
          ),
          response: withProblems({ 200: Type.Object({ accounts: Type.Array(AccountViewSchema), next: Type.Union([Type.String(), Type.Null()]) }) }),
        },
      },
      (request) => services.ledger.list(principalOf(request), request.query),
    );

    app.get(
      '/ledger/accounts/:number',
      { config: { action: 'ledger.read' }, schema: { summary: 'An account with its balances per line and its signature', tags: ['ledger'], params: NumberParams, response: withProblems({ 200: AccountViewSchema }) } },
      (request) => services.ledger.get(principalOf(request), request.params.number),
    );

    app.get(
      '/ledger/accounts/:number/entries',
      {
        config: { action: 'ledger.read' },
        schema: {
          summary: 'Who used the account and when: its immutable entries, oldest first',
          tags: ['ledger'],
          params: NumberParams,
          querystring: Type.Object(
            { after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
            { additionalProperties: false },
          ),
          response: withProblems({ 200: Type.Object({ entries: Type.Array(EntryViewSchema), next: Type.Integer() }) }),
        },
      },
      (request) => services.ledger.entries(principalOf(request), request.params.number, request.query.after ?? 0, request.query.limit ?? 100, languageOf(request)),
    );

    app.get(
      '/ledger/overdue',
      {
        config: { action: 'ledger.read' },
        schema: {
          summary: 'Temporary admissions past their deadline with items not yet written off (customs, the holder, the issuer)',
          tags: ['ledger'],
          querystring: Type.Object(
            { cursor: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
            { additionalProperties: false },
          ),
          response: withProblems({ 200: Type.Object({ accounts: Type.Array(AccountViewSchema), next: Type.Union([Type.String(), Type.Null()]) }) }),
        },
      },
      (request) => services.ledger.overdue(principalOf(request), new Date().toISOString().slice(0, 10), request.query),
    );

    app.post(
      '/ledger/accounts/:number/extend',
      {
        config: { action: 'ledger.extend' },
        schema: {
          summary: "Extend a temporary admission's deadline by 6 months (customs; at most 3 times)",
          description: 'Answers 409 LEDGER_EXTENSIONS_EXHAUSTED after the third extension, 409 LEDGER_ACCOUNT_STATE when the account is not active, 409 LEDGER_EXTENSION_NOT_ALLOWED for a type without a deadline.',
          tags: ['ledger'],
          params: NumberParams,
          body: AccountActionSchema,
          response: withProblems({ 200: AccountViewSchema }),
        },
      },
      (request) => services.ledger.extend(principalOf(request), request.params.number, request.body.reason),
    );

    for (const [action, summary] of [
      ['revoke', 'Revoke the account for good (issuer); open reservations are voided'],
      ['suspend', 'Suspend the account (issuer); open reservations are voided'],
      ['reinstate', 'Reinstate a suspended account (issuer)'],
    ] as const) {
      app.post(
        `/ledger/accounts/:number/${action}`,
        { config: { action: 'ledger.issue' }, schema: { summary, tags: ['ledger'], params: NumberParams, body: AccountActionSchema, response: withProblems({ 200: AccountViewSchema }) } },
        (request) => services.ledger[action](principalOf(request), request.params.number, request.body.reason),
      );
    }
  };
}
