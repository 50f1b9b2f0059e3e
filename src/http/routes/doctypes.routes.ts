import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { PublishedDocTypeSchema } from '../../modules/doctypes/index.js';
import type { Services } from '../app.js';
import { withProblems } from '../problem.js';

export function doctypesRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/doctypes', { config: { action: 'reference.read' }, schema: { summary: 'Published document types', tags: ['doctypes'] } }, () => ({
      doctypes: services.doctypes.ids().map((id) => {
        const { schema: _schema, ...summary } = services.doctypes.publish(id);
        return summary;
      }),
    }));

    app.get(
      '/doctypes/:id',
      {
        config: { action: 'reference.read' },
        schema: {
          summary: 'A document type: its JSON Schema, validation rules (with codes) and agency parts',
          description: 'Vendors validate client-side with the same schema and rules. Fields carry Kouan keywords: x-decimal, x-code-list, x-check, x-error-code.',
          tags: ['doctypes'],
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: withProblems({ 200: PublishedDocTypeSchema }),
        },
      },
      (request) => services.doctypes.publish(request.params.id),
    );
  };
}
