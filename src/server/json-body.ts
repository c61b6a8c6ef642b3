import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Replaces fastify's JSON body parser with one that rejects bytes that are not UTF-8 (the default
 * decodes them to U+FFFD and carries on, which would search for text the client never sent).
 * Parsing itself stays fastify's own (prototype-poisoning checks included).
 */
export function registerStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new HttpError(400, 'INVALID_UTF8', 'request body is not valid UTF-8'), undefined);
      return;
    }
    parseJson(req, text, (err, value) => {
      if (err) done(new HttpError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${err.message}`), undefined);
      else done(null, value);
    });
  });
}
