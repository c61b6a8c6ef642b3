// The fastify application: routes, validation, limits and API key. start-server.ts binds it to a port.
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { apiKeyGuard } from './api-key.js';
import { BatchedSearch } from './batched-search.js';
import { errorBody, makeErrorHandler } from './error-reply.js';
import { hostGuard } from './host-check.js';
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
  /** Without an API key: host names accepted in the Host header besides IP addresses and localhost. */
  readonly allowedHosts?: readonly string[];
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

/** Docids can be long; the default 100-character route parameter limit would 404 them. */
const MAX_PARAM_LENGTH = 4096;

function sendError(reply: FastifyReply, err: HttpError): void {
  void reply.code(err.statusCode).headers(err.headers).send(errorBody(err.statusCode, err.code, err.message));
}

export function buildApp(options: AppOptions): App {
  const { backend, limits } = options;
  const keyGuard = options.apiKey !== undefined ? apiKeyGuard(options.apiKey) : undefined;
  const hostCheck = options.apiKey === undefined ? hostGuard(options.allowedHosts ?? []) : undefined;
  /** An API key when one is set; otherwise a Host the page could not have been rebound to. */
  const checkAccess = (request: FastifyRequest): void => {
    keyGuard?.(request);
    hostCheck?.(request);
  };
  const logError = options.logError ?? ((err: unknown) => process.stderr.write(`densekit serve: ${(err as Error)?.stack ?? String(err)}\n`));
  const app = Fastify({
    logger: options.logRequests ?? false,
    bodyLimit: limits.maxBodyBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // A request (headers and body) must arrive within bodyTimeoutMs, checked every second, so slow
    // or stalled clients cannot hold connections; they get 408 and are disconnected. headersTimeout
    // must not exceed it: Node swaps the two when it does, which stretched the cut-off to 60 s.
    requestTimeout: limits.bodyTimeoutMs,
    http: { connectionsCheckingInterval: Math.min(1000, limits.bodyTimeoutMs), headersTimeout: limits.bodyTimeoutMs },
    // During close: drop idle keep-alive sockets, let in-flight requests finish. New requests get our
    // own 503 JSON error (see beginShutdown) rather than fastify's bare one.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Strict validation: "5" is not a k, and unknown fields are errors rather than silently dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    // Errors Node raises before fastify sees a request (the request timeout above, malformed HTTP)
    // are answered in densekit's error format too.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE' && socket.writable) {
        const body = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? errorBody(408, 'REQUEST_TIMEOUT', `the request did not arrive within ${limits.bodyTimeoutMs} ms`)
          : errorBody(400, 'BAD_REQUEST', 'malformed HTTP request');
        const json = JSON.stringify(body);
        socket.write(`HTTP/1.1 ${body.statusCode} ${body.error}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
      }
      socket.destroy();
    },
    // URLs the router cannot take (bad percent-encoding, an over-long parameter) get the same access
    // checks and the same error format as every other request, and are never echoed back whole.
    frameworkErrors: (err, request, reply) => {
      try {
        checkAccess(request);
      } catch (denied) {
        sendError(reply, denied as HttpError);
        return;
      }
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const path = request.raw.url ?? '';
      const shown = path.length > 80 ? `${path.slice(0, 80)}… (${path.length} characters)` : path;
      sendError(reply, tooLong ? new HttpError(414, 'URL_TOO_LONG', `the URL path parameter is longer than ${MAX_PARAM_LENGTH} characters: ${shown}`) : new HttpError(400, 'BAD_URL', `the URL is not valid percent-encoding: ${shown}`));
    },
  });
  const search = new BatchedSearch(backend, { maxBatchSize: limits.maxBatchSize, maxWaitMs: limits.batchWaitMs });
  const gate = new RequestGate(limits.maxConcurrentRequests);

  registerStrictJsonParser(app);
  app.setErrorHandler(makeErrorHandler(limits, logError));
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.addHook('onRequest', async (request) => checkAccess(request));
  let shuttingDown = false;
  app.addHook('onRequest', async () => {
    if (shuttingDown) throw new HttpError(503, 'SHUTTING_DOWN', 'the server is shutting down', { 'retry-after': '1' });
  });
  // The concurrency slot is taken once the body has arrived: slow uploads cannot occupy the slots
  // that searches need (their time is bounded by bodyTimeoutMs instead).
  app.addHook('preValidation', gate.hook);
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
