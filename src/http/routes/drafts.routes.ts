import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DraftPageSchema, DraftSchema, ListDraftsQuerySchema, NewDraftSchema, SaveDraftSchema, type Draft, type DraftsService } from '../../modules/drafts/index.js';
import { KouanError } from '../../shared/errors.js';
import { principalOf } from '../app.js';
import { withProblems } from '../problem.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
/** A version as an entity tag: "3", W/"3" or a bare 3; `*` matches any. */
const ENTITY_TAG = /^(?:W\/)?"?([1-9]\d{0,14})"?$/;

/** The version an If-Match header asks for; undefined when absent or `*`. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const version = ENTITY_TAG.exec(header.trim())?.[1];
  if (version === undefined) throw new KouanError('REQUEST_INVALID', { errors: [{ path: 'headers:$.if-match', code: 'FIELD_FORMAT', params: { format: 'a draft version as an entity tag, e.g. "3"' } }] });
  return Number(version);
}

const etag = (draft: Draft) => `"${draft.version}"`;

export function draftsRoutes(services: { readonly drafts: DraftsService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/drafts',
      {
        config: { action: 'draft.write' },
        schema: {
          summary: 'Keep an unfinished declaration to come back to',
          description:
            'Enterprises only. `data` is any JSON object, stored as sent and not validated (POST /validate does that). ' +
            'An unknown docType is 404 DOCTYPE_UNKNOWN; a party keeps at most 200 drafts (409 DRAFT_LIMIT_REACHED). The answer carries the ETag of version 1.',
          tags: ['drafts'],
          body: NewDraftSchema,
          response: withProblems({ 201: DraftSchema }),
        },
      },
      async (request, reply) => {
        const caller = principalOf(request);
        const draft = await services.drafts.create(caller, request.body);
        request.auditSubject = { resource: draft.id, owner: caller.partyId };
        void reply.header('location', `/api/v1/drafts/${draft.id}`);
        void reply.header('etag', etag(draft));
        return reply.status(201).send(draft);
      },
    );

    app.get(
      '/drafts',
      {
        config: { action: 'draft.read' },
        schema: {
          summary: "Your party's drafts, most recently saved first, without their data",
          tags: ['drafts'],
          querystring: ListDraftsQuerySchema,
          response: withProblems({ 200: DraftPageSchema }),
        },
      },
      (request) => services.drafts.list(principalOf(request), request.query),
    );

    app.get(
      '/drafts/:id',
      {
        config: { action: 'draft.read' },
        schema: { summary: 'One draft of your party, with its data; ETag is its version', tags: ['drafts'], params: IdParams, response: withProblems({ 200: DraftSchema }) },
      },
      async (request, reply) => {
        const draft = await services.drafts.get(principalOf(request), request.params.id);
        void reply.header('etag', etag(draft));
        return draft;
      },
    );

    app.put(
      '/drafts/:id',
      {
        config: { action: 'draft.write' },
        schema: {
          summary: "Save a draft's data (and title)",
          description:
            'Replaces `data`; `title` when given (null clears it). Send the version you read, as `version` or as If-Match, and a save over a newer version is ' +
            '409 DRAFT_VERSION_CONFLICT with the current `version`, changing nothing; without either, the save overwrites. The answer carries the new ETag.',
          tags: ['drafts'],
          params: IdParams,
          headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 64, description: 'The version read, e.g. "3" (the ETag of GET)' })) }),
          body: SaveDraftSchema,
          response: withProblems({ 200: DraftSchema }),
        },
      },
      async (request, reply) => {
        const caller = principalOf(request);
        const draft = await services.drafts.save(caller, request.params.id, request.body, ifMatchVersion(request.headers['if-match']));
        request.auditSubject = { resource: draft.id, owner: caller.partyId };
        void reply.header('etag', etag(draft));
        return draft;
      },
    );

    app.delete(
      '/drafts/:id',
      { config: { action: 'draft.write' }, schema: { summary: 'Delete a draft of your party', tags: ['drafts'], params: IdParams, response: withProblems({ 204: Type.Null() }) } },
      async (request, reply) => {
        const caller = principalOf(request);
        await services.drafts.delete(caller, request.params.id);
        request.auditSubject = { resource: request.params.id, owner: caller.partyId };
        return reply.status(204).send(null);
      },
    );
  };
}
