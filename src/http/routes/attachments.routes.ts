import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { Sha256ParamsSchema, UPLOAD_CONTENT_TYPES, UploadedAttachmentSchema, type StoredBlob } from '../../modules/attachments/index.js';
import type { SubmissionsService } from '../../modules/submissions/index.js';
import type { AttachmentsService } from '../../modules/attachments/index.js';
import { KouanError } from '../../shared/errors.js';
import { principalOf } from '../app.js';
import { withProblems } from '../problem.js';

const FileSchema = Type.String({ description: 'The file, as uploaded (Content-Type: its media type)' });

/** The file in the answer: saved, never shown inline, its type what its bytes are. */
function sendFile(reply: FastifyReply, blob: StoredBlob, name: string | undefined) {
  void reply.type(blob.mediaType);
  void reply.header('content-length', blob.size);
  void reply.header('content-disposition', name === undefined ? 'attachment' : `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
  void reply.header('etag', `"${blob.sha256}"`);
  return reply.send(blob.content);
}

export function attachmentsRoutes(services: { readonly attachments: AttachmentsService; readonly submissions: SubmissionsService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The file's own bytes, for this route only: its type is then told by the bytes themselves.
    app.addContentTypeParser([...UPLOAD_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: services.attachments.limit }, (_request, body, done) => {
      done(null, typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    });
    // Over the attachment limit is its own problem, naming that limit (the JSON body limit is another).
    app.setErrorHandler((error, _request, _reply) => {
      if ((error as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new KouanError('ATTACHMENT_TOO_LARGE', { params: { limit: services.attachments.limit } });
      throw error;
    });

    app.post(
      '/attachments',
      {
        config: { action: 'attachment.upload' },
        bodyLimit: services.attachments.limit,
        schema: {
          summary: 'Upload a file a document will carry (invoice, contract, certificate, photo)',
          description:
            `Enterprises only. Send the file's bytes as the body, with its Content-Type (${UPLOAD_CONTENT_TYPES.join(', ')}; application/octet-stream leaves it to the bytes). ` +
            'Kouan tells the type by the bytes (415 ATTACHMENT_TYPE_UNSUPPORTED, ATTACHMENT_TYPE_MISMATCH), stores it once under its SHA-256 and answers the hash, ' +
            'which a submission then names in `attachments` (so that its signature covers the content). 413 ATTACHMENT_TOO_LARGE over the limit (KOUAN_ATTACHMENT_MAX_BYTES, 10 MiB). ' +
            'Uploading the same file again changes nothing.',
          tags: ['submissions'],
          body: Type.Unknown({ description: 'The file' }),
          response: withProblems({ 201: UploadedAttachmentSchema }),
        },
      },
      async (request, reply) => {
        const caller = principalOf(request);
        const declared = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        if (!Buffer.isBuffer(request.body)) throw new KouanError('MEDIA_TYPE_UNSUPPORTED');
        const uploaded = await services.attachments.upload(caller, declared, request.body);
        request.auditSubject = { resource: uploaded.sha256, owner: caller.partyId };
        void reply.header('location', `/api/v1/attachments/${uploaded.sha256}`);
        return reply.status(201).send(uploaded);
      },
    );

    app.get(
      '/attachments/:sha256',
      {
        config: { action: 'submission.read' },
        schema: {
          summary: 'A file you uploaded',
          description: 'Only the party that uploaded it reads it here (404 for anyone else, whether or not the file exists); a submission\'s files are read under the submission.',
          tags: ['submissions'],
          params: Sha256ParamsSchema,
          response: withProblems({ 200: FileSchema }),
        },
      },
      async (request, reply) => sendFile(reply, await services.attachments.uploaded(principalOf(request), request.params.sha256), undefined),
    );

    app.get(
      '/submissions/:id/attachments/:sha256',
      {
        config: { action: 'submission.read' },
        schema: {
          summary: 'A file a submission carries',
          description:
            "For the submission's declarant and trader, and for an agency whose part shows the file's kind (GET /api/v1/doctypes/{id}: attachments[].agencies). 404 for anyone else, operators included.",
          tags: ['submissions'],
          params: Type.Intersect([Type.Object({ id: Type.String({ maxLength: 64, description: 'The submission id, or its 18-digit declaration number' }) }), Sha256ParamsSchema]),
          response: withProblems({ 200: FileSchema }),
        },
      },
      async (request, reply) => {
        const file = await services.submissions.attachment(principalOf(request), request.params.id, request.params.sha256);
        return sendFile(reply, file, file.name);
      },
    );
  };
}
