import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, type ErrorBody } from './http-error.js';
import type { ServerLimits } from './limits.js';

interface SchemaIssue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** A person-readable message and a stable code for the first schema violation of a request. */
export function describeSchemaIssue(issue: SchemaIssue, context: string, limits: ServerLimits): { code: string; message: string } {
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (path === 'k') return { code: 'INVALID_K', message: `"k" must be an integer from 1 to ${limits.maxK}` };
  if (/^(query|queries\.\d+)$/.test(path)) {
    if (issue.keyword === 'maxLength') {
      return { code: 'QUERY_TOO_LONG', message: `"${path}" is longer than ${limits.maxQueryLength} characters` };
    }
    if (issue.keyword === 'minLength') return { code: 'EMPTY_QUERY', message: `"${path}" is empty` };
    return { code: 'INVALID_QUERY', message: `"${path}" must be a string` };
  }
  if (path === 'queries') {
    if (issue.keyword === 'maxItems') {
      return { code: 'TOO_MANY_QUERIES', message: `"queries" has more than ${limits.maxQueriesPerRequest} entries` };
    }
    if (issue.keyword === 'minItems') return { code: 'EMPTY_QUERY', message: '"queries" is empty' };
    return { code: 'INVALID_QUERY', message: '"queries" must be an array of strings' };
  }
  if (issue.keyword === 'additionalProperties') {
    return { code: 'UNKNOWN_FIELD', message: `unknown field "${String(issue.params.additionalProperty)}" in the ${context} (expected "query" or "queries", and "k")` };
  }
  if (path === '' && issue.keyword === 'type') return { code: 'INVALID_BODY', message: `the ${context} must be a JSON object such as {"query": "...", "k": 10}` };
  return { code: 'INVALID_REQUEST', message: `${context}${path ? `.${path}` : ''} ${issue.message ?? 'is invalid'}` };
}

/** fastify's own client errors, renamed to codes of ours with messages that name the limit. */
const FASTIFY_CLIENT_ERRORS: Record<string, { code: string; message: (limits: ServerLimits, contentType: string) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: (l) => `request body is larger than ${l.maxBodyBytes} bytes` },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: (_l, ct) => `unsupported Content-Type ${JSON.stringify(ct)}; send application/json`,
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MISSING_QUERY', message: () => 'the JSON body is empty; send {"query": "...", "k": 10}' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_CONTENT_LENGTH', message: () => 'Content-Length does not match the body' },
};

export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** fastify's error handler: every error becomes an ErrorBody; 5xx are logged, their details not sent. */
export function makeErrorHandler(limits: ServerLimits, log: (err: unknown) => void) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    if (err instanceof HttpError) {
      void reply.code(err.statusCode).headers(err.headers).send(errorBody(err.statusCode, err.code, err.message));
      return;
    }
    if (err.validation && err.validation.length > 0) {
      const { code, message } = describeSchemaIssue(err.validation[0] as SchemaIssue, err.validationContext ?? 'request', limits);
      void reply.code(400).send(errorBody(400, code, message));
      return;
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // fastify's own client errors (body too large, unsupported media type, ...): keep its code.
      const known = FASTIFY_CLIENT_ERRORS[err.code ?? ''];
      const body = known
        ? errorBody(status, known.code, known.message(limits, request.headers['content-type'] ?? ''))
        : errorBody(status, 'BAD_REQUEST', err.message);
      void reply.code(status).send(body);
      return;
    }
    log(err);
    void reply.code(500).send(errorBody(500, 'INTERNAL_ERROR', 'the server failed to answer; see its log'));
  };
}
