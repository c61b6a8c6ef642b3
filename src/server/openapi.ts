// The OpenAPI 3.1 description served at /openapi.json, built from the same schemas fastify validates
// with (schemas.ts), so the document cannot drift from what the server enforces.
import type { ServerLimits } from './limits.js';
import { docSchema, errorSchema, healthSchema, infoSchema, searchBodySchema, searchReplySchema } from './schemas.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorRef = { $ref: '#/components/schemas/Error' };
const errorReply = (description: string) => ({ description, content: json(errorRef) });

export function openApiDocument(limits: ServerLimits, version: string, withApiKey: boolean): Record<string, unknown> {
  const authErrors = withApiKey ? { 401: errorReply('Missing or wrong API key.') } : {};
  const busy = { 503: errorReply(`More than ${limits.maxConcurrentRequests} requests at once, or shutting down; see Retry-After.`) };
  const security = withApiKey ? [{ apiKeyHeader: [] }, { bearer: [] }] : [];
  return {
    openapi: '3.1.0',
    info: {
      title: 'densekit search server',
      version,
      description: 'Dense passage retrieval over a densekit index. Every error is JSON: {statusCode, code, error, message}.',
    },
    ...(withApiKey
      ? {
          security,
          components: {
            securitySchemes: {
              apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
              bearer: { type: 'http', scheme: 'bearer' },
            },
            schemas: { Error: errorSchema },
          },
        }
      : { components: { schemas: { Error: errorSchema } } }),
    paths: {
      '/search': {
        post: {
          summary: 'Search with one query or several',
          requestBody: { required: true, content: json(searchBodySchema(limits)) },
          responses: {
            200: { description: 'Hits per query, in query order.', content: json(searchReplySchema) },
            400: errorReply('Malformed JSON, invalid UTF-8, missing or bad query, k out of range, unknown field.'),
            413: errorReply(`Body larger than ${limits.maxBodyBytes} bytes.`),
            415: errorReply('Content-Type is not application/json.'),
            ...authErrors,
            ...busy,
          },
        },
      },
      '/docs/{id}': {
        get: {
          summary: 'A stored passage by docid',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'The passage.', content: json(docSchema) },
            404: errorReply('No such docid, or the index stores no text.'),
            ...authErrors,
            ...busy,
          },
        },
      },
      '/info': {
        get: {
          summary: 'Model, index and server limits',
          responses: { 200: { description: 'Index info.', content: json(infoSchema) }, ...authErrors, ...busy },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness (never needs an API key)',
          security: [],
          responses: { 200: { description: 'Serving.', content: json(healthSchema) }, 503: errorReply('Shutting down.') },
        },
      },
      '/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1 document.' }, ...authErrors } },
      },
      '/': {
        get: { summary: 'The search page (HTML)', responses: { 200: { description: 'HTML page.', content: { 'text/html': {} } }, ...authErrors } },
      },
    },
  };
}
