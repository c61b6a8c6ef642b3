// The fastify application: routes, validation, limits and API key. start-server.ts binds it to a port.
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { apiKeyGuard } from './api-key.js';
import { BatchedSearch } from './batched-search.js';
import { errorBody, makeErrorHandler } from './error-reply.js';
import { HttpError } from './http-error.js';
import { registerStrictJsonParser } from './json-body.js';
import type { ServerLimits } from './limits.js';
import { openApiDocument } from './openapi.js';
import { RequestGate } from './request-gate.js';
import { docSchema, healthSchema, infoSchema, searchBodySchema, searchReplySchema } from './schemas.js';
import { SEARCH_PAGE_CSP, SEARCH_PAGE_HTML } from './search-page.js';
import type { SearchBackend } from './types.js';

export interface AppOptions {
  readonly backend: SearchBackend;
  readonly limits: ServerLimits;
  /** When set, every route but /healthz needs it. */
  readonly apiKey?: string;
  /** fastify's request log (JSON lines on stdout). */
  readonly logRequests?: boolean;
  /** Where server errors (5xx) are reported; default stderr. */
  readonly logError?: (err: unknown) => void;
  /** Reported in the OpenAPI document. */
  readonly version?: string;
}

export interface App {
  readonly app: FastifyInstance;
  readonly search: BatchedSearch;
  readonly gate: RequestGate;
  /**
   * Call before `app.close()`: requests that arrive from now on get 503, and responses still being
   * produced carry `Connection: close`, so their keep-alive sockets end with them instead of holding
   * `close()` open until the keep-alive timeout.
   */
  beginShutdown(): void;
}

interface SearchBody {
  query?: string;
  queries?: string[];
  k?: number;
}

export function buildApp(options: AppOptions): App {
  const { backend, limits } = options;
  const logError = options.logError ?? ((err: unknown) => process.stderr.write(`densekit serve: ${(err as Error)?.stack ?? String(err)}\n`));
  const app = Fastify({
    logger: options.logRequests ?? false,
    bodyLimit: limits.maxBodyBytes,
    // Docids can be long; the default 100-character route parameter limit would 404 them.
    routerOptions: { maxParamLength: 4096 },
    // Stop slow or stalled clients from holding a connection (and a concurrency slot) forever.
    requestTimeout: 30_000,
    // During close: drop idle keep-alive sockets, let in-flight requests finish. New requests get our
    // own 503 JSON error (see beginShutdown) rather than fastify's bare one.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Strict validation: "5" is not a k, and unknown fields are errors rather than silently dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
  });
  const search = new BatchedSearch(backend, { maxBatchSize: limits.maxBatchSize, maxWaitMs: limits.batchWaitMs });
  const gate = new RequestGate(limits.maxConcurrentRequests);

  registerStrictJsonParser(app);
  app.setErrorHandler(makeErrorHandler(limits, logError));
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  if (options.apiKey !== undefined) app.addHook('onRequest', apiKeyGuard(options.apiKey));
  let shuttingDown = false;
  app.addHook('onRequest', async () => {
    if (shuttingDown) throw new HttpError(503, 'SHUTTING_DOWN', 'the server is shutting down', { 'retry-after': '1' });
  });
  app.addHook('onRequest', gate.hook);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (shuttingDown) reply.header('connection', 'close');
    return payload;
  });

  app.post('/search', { schema: { body: searchBodySchema(limits), response: { 200: searchReplySchema } } }, async (request) => {
    const started = performance.now();
    const body = request.body as SearchBody | undefined;
    if (body?.query !== undefined && body.queries !== undefined) {
      throw new HttpError(400, 'AMBIGUOUS_QUERY', 'give either "query" or "queries", not both');
    }
    const queries = body?.query !== undefined ? [body.query] : body?.queries;
    if (queries === undefined) {
      throw new HttpError(400, 'MISSING_QUERY', 'the body needs "query" (a string) or "queries" (an array of strings)');
    }
    const hits = await search.search(queries, body?.k ?? limits.defaultK);
    return { results: queries.map((query, i) => ({ query, hits: hits[i]! })), tookMs: performance.now() - started };
  });

  app.get<{ Params: { id: string } }>('/docs/:id', { schema: { response: { 200: docSchema } } }, async (request) => {
    const { id } = request.params;
    if (!backend.info().storesText) throw new HttpError(404, 'NO_STORED_TEXT', 'this index stores no passage text (BM25 indexes and imported vectors keep docids only)');
    const doc = await backend.getDoc(id);
    if (!doc) throw new HttpError(404, 'DOC_NOT_FOUND', `no document with id ${JSON.stringify(id)}`);
    return doc;
  });

  app.get('/info', { schema: { response: { 200: infoSchema } } }, async () => {
    const batching = search.stats();
    return {
      ...backend.info(),
      limits,
      stats: { batches: batching.batches, queries: batching.items, largestBatch: batching.largestBatch, inFlight: gate.inFlight },
    };
  });

  app.get('/healthz', { schema: { response: { 200: healthSchema } } }, async () => ({ status: 'ok' }));

  const openApi = openApiDocument(limits, options.version ?? '0.0.0', options.apiKey !== undefined);
  app.get('/openapi.json', async () => openApi);

  app.get('/', async (_request, reply) => {
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', SEARCH_PAGE_CSP)
      .header('cache-control', 'no-cache')
      .header('referrer-policy', 'no-referrer');
    return SEARCH_PAGE_HTML;
  });

  return { app, search, gate, beginShutdown: () => void (shuttingDown = true) };
}
