import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { Notice } from '../../modules/doctypes/index.js';
import {
  AmendmentDecisionRequestSchema,
  AmendmentRequestSchema,
  AmendmentViewSchema,
  VersionViewSchema,
  DecisionRequestSchema,
  ListQuerySchema,
  SubmissionPageSchema,
  SubmissionViewSchema,
  SubmitRequestSchema,
  SubmitResponseSchema,
  ValidateResponseSchema,
  wordSubmission,
} from '../../modules/submissions/index.js';
import { decodeInterchange } from '../../formats/edifact/tokenizer.js';
import { KouanError, NOTICES, fill, type Language } from '../../shared/errors.js';
import type { SubmitRequest } from '../../modules/submissions/index.js';
import { readingEdifact, readingXml } from '../edifact-problem.js';
import { decodeXml } from '../../formats/xml/reader.js';
import { isXmlMediaType, XML_MEDIA_TYPE } from '../edges.js';
import { contentTypeCharset, EDIFACT_MEDIA_TYPE } from './tracking.routes.js';
import { principalOf, type Services } from '../app.js';
import { languageOf, renderFieldErrors, withProblems } from '../problem.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function renderNotices(notices: readonly Notice[], language: Language) {
  return notices.map((notice) => ({ code: notice.code, ...(notice.path === undefined ? {} : { path: notice.path }), message: fill(NOTICES[notice.code][language], notice.params ?? {}) }));
}

/** An XML message's body, under either media type. */
const XmlBody = {
  schema: Type.Unsafe<Buffer>({
    description:
      "An XML message in a format a document type registers, e.g. China customs' DecMessage for the goods declaration (also as text/xml); decoded by its byte order mark, the charset parameter or its XML declaration (UTF-8, UTF-16, GBK, GB18030). A DOCTYPE or an entity other than the five predefined is refused (400 XML_DOCTYPE, XML_ENTITY)",
  }),
};

/** A submission's body: JSON, a UN/EDIFACT interchange (CUSDEC) or an XML message (DecMessage) a document type registers. */
const SubmitBodySchema = {
  content: {
    'application/json': { schema: SubmitRequestSchema },
    [EDIFACT_MEDIA_TYPE]: {
      schema: Type.Unsafe<Buffer>({
        description: 'A UN/EDIFACT interchange of one message in a format a document type registers (GET /api/v1/doctypes/{id}: formats), e.g. CUSDEC for the goods declaration; decoded by its UNB syntax identifier',
      }),
    },
    [XML_MEDIA_TYPE]: XmlBody,
    'text/xml': XmlBody,
  },
};

/**
 * The request a body makes, with the text a signature covers: JSON as it came, or the document a message carries
 * in a format its type registers (the registry says which, by the media type and what the message says it is).
 */
function requestOf(services: Services, body: unknown, contentType: string | undefined, raw: string | undefined): { request: SubmitRequest; text: string } {
  if (!(body instanceof Uint8Array)) return { request: body as SubmitRequest, text: raw ?? '' };
  const xml = isXmlMediaType(contentType);
  const mediaType = xml ? XML_MEDIA_TYPE : EDIFACT_MEDIA_TYPE;
  const guarded = xml ? readingXml : readingEdifact;
  const text = guarded(() => (xml ? decodeXml(body, contentTypeCharset(contentType)) : decodeInterchange(body, contentTypeCharset(contentType))));
  const found = services.doctypes.formatOf(mediaType, text);
  if (found === undefined) throw new KouanError('FORMAT_UNKNOWN', { params: { mediaType } });
  const reading = guarded(() => found.format.parse(text));
  if ('errors' in reading) throw new KouanError('SUBMISSION_INVALID', { params: { count: reading.errors.length }, errors: [...reading.errors] });
  return { request: { docType: found.definition.id, data: reading.document }, text };
}

export function submissionsRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/validate',
      {
        config: { action: 'submission.validate' },
        schema: {
          summary: 'Validate a document without storing it',
          description: 'The same verdict POST /submissions would give, with the parts it would be split into. Stores nothing.',
          tags: ['submissions'],
          body: SubmitBodySchema,
          response: withProblems({ 200: ValidateResponseSchema }),
        },
      },
      async (request) => {
        const language = languageOf(request);
        const caller = principalOf(request);
        const { request: body } = requestOf(services, request.body, request.headers['content-type'], request.rawBody);
        const outcome = await services.submissions.validate(caller, body);
        return { valid: outcome.valid, errors: renderFieldErrors(outcome.errors, language), notices: renderNotices(outcome.notices, language), parts: [...outcome.parts] };
      },
    );

    app.post(
      '/submissions',
      {
        config: { action: 'submission.declare' },
        schema: {
          summary: 'Submit a document once; Kouan declares it to each agency',
          description:
            'Validates the document (422 SUBMISSION_INVALID lists every problem, nothing stored), stores it durably and splits it into one part per agency. ' +
            'Send an Idempotency-Key to retry safely: the same key and body return the same submission (header Idempotent-Replayed: true).',
          tags: ['submissions'],
          headers: Type.Object({
            'idempotency-key': Type.Optional(Type.String()),
            'kouan-signature': Type.Optional(Type.String({ maxLength: 20_000, description: 'Detached compact JWS (<protected>..<signature>) over the exact request body, with a key registered at /api/v1/signing-keys' })),
          }),
          body: SubmitBodySchema,
          response: withProblems({ 201: SubmitResponseSchema }),
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw new KouanError('IDEMPOTENCY_KEY_INVALID');
        const jws = request.headers['kouan-signature'];
        const caller = principalOf(request);
        // A message's signature covers the interchange as sent (its decoded text), as a JSON body's covers its bytes.
        const { request: body, text } = requestOf(services, request.body, request.headers['content-type'], request.rawBody);
        const outcome = await services.submissions.submit(caller, body, key, { jws: typeof jws === 'string' ? jws : undefined, body: text });
        void reply.header('kouan-receipt', outcome.receipt);
        if (outcome.receiptSm2 !== undefined) void reply.header('kouan-receipt-sm2', outcome.receiptSm2);
        request.auditSubject = { resource: outcome.submission.id, owner: outcome.submission.trader };
        if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
        void reply.header('location', `/api/v1/submissions/${outcome.submission.id}`);
        return reply.status(201).send({ ...outcome.submission, notices: renderNotices(outcome.notices, languageOf(request)), receipt: outcome.receipt, ...(outcome.receiptSm2 === undefined ? {} : { receiptSm2: outcome.receiptSm2 }) });
      },
    );

    app.get(
      '/submissions',
      {
        config: { action: 'submission.read' },
        schema: {
          summary: 'List submissions you may see, newest first',
          description: 'An enterprise sees the submissions it declared or that were declared for it; an agency those with a part routed to it.',
          tags: ['submissions'],
          querystring: ListQuerySchema,
          response: withProblems({ 200: SubmissionPageSchema }),
        },
      },
      async (request) => {
        const page = await services.submissions.list(principalOf(request), request.query);
        return { ...page, submissions: page.submissions.map((submission) => wordSubmission(submission, languageOf(request))) };
      },
    );

    app.get(
      '/submissions/:id',
      {
        config: { action: 'submission.read' },
        schema: {
          summary: 'A submission with its parts and history',
          description: 'By its id (sub_...) or by its 18-digit declaration number.',
          tags: ['submissions'],
          params: Type.Object({ id: Type.String({ maxLength: 64, description: 'The submission id, or its 18-digit declaration number' }) }),
          response: withProblems({ 200: SubmissionViewSchema }),
        },
      },
      async (request) => wordSubmission(await services.submissions.get(principalOf(request), request.params.id), languageOf(request)),
    );

    app.post(
      '/submissions/:id/cancel',
      {
        config: { action: 'submission.cancel' },
        schema: { summary: 'Cancel a submission before any agency has released it', tags: ['submissions'], params: IdParams, response: withProblems({ 200: SubmissionViewSchema }) },
      },
      async (request) => wordSubmission(await services.submissions.cancel(principalOf(request), request.params.id), languageOf(request)),
    );

    app.get(
      '/submissions/:id/formats/:format',
      {
        config: { action: 'submission.read' },
        schema: {
          summary: 'A submission as a message of a format its document type registers (CUSDEC for a goods declaration)',
          description: "Its parties and operators: the stored document printed in the format (GET /api/v1/doctypes/{id}: formats), as a download. An agency reads its part's messages from its inbox; 404 here.",
          tags: ['submissions'],
          params: Type.Object({ id: Type.String({ maxLength: 64 }), format: Type.String({ maxLength: 32 }) }),
          response: withProblems({ 200: Type.String({ description: 'The message, e.g. a UN/EDIFACT interchange (UNOW: UTF-8)' }) }),
        },
      },
      async (request, reply) => {
        const printed = await services.submissions.print(principalOf(request), request.params.id, request.params.format);
        void reply.type(`${printed.mediaType}; charset=utf-8`);
        void reply.header('content-disposition', `attachment; filename="${printed.filename}"`);
        // Bytes, never serialised as JSON: the route's schema only documents the answer.
        return (reply as FastifyReply).send(Buffer.from(printed.text, 'utf8'));
      },
    );

    app.post(
      '/submissions/:id/amendments',
      {
        config: { action: 'submission.amend' },
        schema: {
          summary: 'Ask to amend or withdraw a submission an agency has taken in (修改/撤销申请)',
          description:
            'The declarant only, with reasons. `amend` carries the whole new document in `data` (and its `attachments`), checked as a submission is (422 SUBMISSION_INVALID); `withdraw` carries none. ' +
            'The request goes to every agency whose part has taken the document in (GET /doctypes/{id}: lifecycle.amendable) and changes nothing until all of them approve. ' +
            'Before any agency took it in, cancel instead (409 AMENDMENT_BEFORE_ACCEPTANCE); one request at a time (409 AMENDMENT_PENDING); after a release, the approval reverses what was written off (409 LEDGER_REVERSAL_REFUSED when exports have consumed the imported material of a manual); ' +
            'an approval that opened or closed a ledger account is final (409 AMENDMENT_ACCOUNT_SETTLED). May be signed (Kouan-Signature) as a submission is.',
          tags: ['submissions'],
          params: IdParams,
          headers: Type.Object({ 'kouan-signature': Type.Optional(Type.String({ maxLength: 20_000, description: 'Detached compact JWS over the exact request body' })) }),
          body: AmendmentRequestSchema,
          response: withProblems({ 201: AmendmentViewSchema }),
        },
      },
      async (request, reply) => {
        const jws = request.headers['kouan-signature'];
        const amendment = await services.submissions.requestAmendment(principalOf(request), request.params.id, request.body, { jws: typeof jws === 'string' ? jws : undefined, body: request.rawBody ?? '' });
        request.auditSubject = { resource: amendment.id, owner: amendment.requestedBy };
        void reply.header('location', `/api/v1/submissions/${request.params.id}`);
        return reply.status(201).send(amendment);
      },
    );

    app.post(
      '/submissions/:id/amendments/:amendmentId/decisions',
      {
        config: { action: 'submission.decide' },
        schema: {
          summary: "An agency's decision on a request to amend or withdraw",
          description:
            'An agency the request went to: approved, or rejected with reasons (a rejection ends the request). The last approval applies it: the new version takes the document\'s place ' +
            '(every part gets part.amended with its new projection, a part it no longer needs is cancelled, one it newly needs is added; the ledger holds are replaced) or the document is withdrawn (every part cancelled, holds given back). ' +
            '409 AMENDMENT_DECIDED when the agency has decided or the request is over; 409 AMENDMENT_LEDGER_REFUSED when the ledger cannot hold the new version.',
          tags: ['submissions'],
          params: Type.Object({ id: Type.String({ maxLength: 64 }), amendmentId: Type.String({ maxLength: 64 }) }),
          body: AmendmentDecisionRequestSchema,
          response: withProblems({ 200: AmendmentViewSchema }),
        },
      },
      async (request) => {
        const caller = principalOf(request);
        const amendment = await services.submissions.decideAmendment(caller, request.params.id, request.params.amendmentId, request.body);
        request.auditSubject = { resource: amendment.id, owner: null };
        return amendment;
      },
    );

    app.get(
      '/submissions/:id/versions/:version',
      {
        config: { action: 'submission.read' },
        schema: {
          summary: 'A version of the document an approved amendment replaced',
          description: "Its parties and operators see the whole document; an agency its part's projection (null when the version did not go to it).",
          tags: ['submissions'],
          params: Type.Object({ id: Type.String({ maxLength: 64 }), version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
          response: withProblems({ 200: VersionViewSchema }),
        },
      },
      async (request) => services.submissions.version(principalOf(request), request.params.id, request.params.version),
    );

    app.post(
      '/submissions/:id/decisions',
      {
        config: { action: 'submission.decide' },
        schema: {
          summary: "An agency's decision on its part",
          description: 'outcome: accepted, rejected (with reasons), inspection, released, refused (with reasons). Impossible transitions answer 409 PART_TRANSITION_INVALID.',
          tags: ['agencies'],
          params: IdParams,
          body: DecisionRequestSchema,
          response: withProblems({ 200: Type.Intersect([SubmissionViewSchema, Type.Object({ receipt: Type.String({ description: "Kouan's countersignature of the decision (compact JWS)" }), receiptSm2: Type.Optional(Type.String({ description: 'The same, signed with SM2, when the platform makes SM2 countersignatures' })) })]) }),
        },
      },
      async (request) => wordSubmission(await services.submissions.decide(principalOf(request), request.params.id, request.body), languageOf(request)),
    );
  };
}
