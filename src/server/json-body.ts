import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Replaces fastify's JSON body parser with one that rejects bytes that are not UTF-8 (the default
 * decodes them to U+FFFD and carries on, which would search for text the client never sent) and
 * reports where the JSON breaks. Plain JSON.parse is safe here: a "__proto__" key becomes an own
 * property, which the route schemas (additionalProperties: false) reject as an unknown field.
 */
export function registerStrictJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = body as Buffer;
    if (bytes.length === 0) {
      done(new HttpError(400, 'MISSING_QUERY', 'the JSON body is empty; send {"query": "...", "k": 10}'), undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      done(new HttpError(400, 'INVALID_UTF8', 'request body is not valid UTF-8'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new HttpError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });
}
