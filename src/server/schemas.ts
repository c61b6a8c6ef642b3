// JSON schemas of the HTTP API, written once and used twice: fastify validates requests and serialises
// replies with them, and openapi.ts publishes them. Limits are baked in, so they depend on ServerLimits.
import type { ServerLimits } from './limits.js';

export function queryTextSchema(limits: ServerLimits) {
  return { type: 'string', minLength: 1, maxLength: limits.maxQueryLength, description: 'Query text.' } as const;
}

export function searchBodySchema(limits: ServerLimits) {
  return {
    type: 'object',
    description: 'Exactly one of "query" and "queries".',
    additionalProperties: false,
    properties: {
      query: queryTextSchema(limits),
      queries: {
        type: 'array',
        minItems: 1,
        maxItems: limits.maxQueriesPerRequest,
        items: queryTextSchema(limits),
        description: 'Several queries, answered in order.',
      },
      k: { type: 'integer', minimum: 1, maximum: limits.maxK, description: `Hits per query (default ${limits.defaultK}).` },
    },
  } as const;
}

export const hitSchema = {
  type: 'object',
  required: ['docid', 'score'],
  properties: {
    docid: { type: 'string' },
    score: { type: 'number' },
    title: { type: 'string', description: 'Present when the index stores the corpus and the passage has a title.' },
    text: { type: 'string', description: 'Present when the index stores the corpus.' },
  },
} as const;

export const searchReplySchema = {
  type: 'object',
  required: ['results', 'tookMs'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['query', 'hits'],
        properties: { query: { type: 'string' }, hits: { type: 'array', items: hitSchema } },
      },
    },
    tookMs: { type: 'number', description: 'Server time for the whole request, in milliseconds.' },
  },
} as const;

export const docSchema = {
  type: 'object',
  required: ['id', 'text'],
  properties: { id: { type: 'string' }, title: { type: 'string' }, text: { type: 'string' } },
} as const;

export const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
} as const;

export const infoSchema = {
  type: 'object',
  required: ['model', 'count', 'indexType', 'storesText', 'limits'],
  properties: {
    model: { type: 'string', description: 'Hub id or directory of the model that encoded the passages.' },
    revision: { type: 'string' },
    preset: { type: 'string' },
    queryModel: { type: 'string', description: 'Hub id or directory of the model that encodes queries, when it is not `model` (DPR/RDR question encoder).' },
    queryRevision: { type: 'string' },
    count: { type: 'integer', description: 'Vectors in the index.' },
    dims: { type: 'integer', description: 'Vector width (dense indexes only).' },
    indexType: { type: 'string' },
    dtype: { type: 'string' },
    similarity: { type: 'string' },
    storesText: { type: 'boolean' },
    limits: {
      type: 'object',
      properties: {
        maxK: { type: 'integer' },
        defaultK: { type: 'integer' },
        maxQueryLength: { type: 'integer' },
        maxQueriesPerRequest: { type: 'integer' },
        maxBodyBytes: { type: 'integer' },
        maxConcurrentRequests: { type: 'integer' },
        batchWaitMs: { type: 'number' },
        maxBatchSize: { type: 'integer' },
      },
    },
    stats: {
      type: 'object',
      description: 'Since start: encoder batches run, queries searched, the largest batch; requests in flight now.',
      properties: {
        batches: { type: 'integer' },
        queries: { type: 'integer' },
        largestBatch: { type: 'integer' },
        inFlight: { type: 'integer' },
      },
    },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['statusCode', 'code', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const;
