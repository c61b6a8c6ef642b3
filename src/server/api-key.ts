import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { routeUrl } from './host-check.js';
import { HttpError } from './http-error.js';

/** Routes that answer without a key: health checks come from process managers and load balancers. */
const OPEN_ROUTES = new Set(['/healthz']);

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** The key a request carries: `x-api-key`, or `Authorization: Bearer <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const auth = request.headers.authorization;
  const bearer = auth !== undefined ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return bearer ? bearer[1]!.trim() : undefined;
}

/**
 * A request check that throws 401 unless the request carries `apiKey`. Keys are compared as
 * SHA-256 digests with timingSafeEqual, so the comparison time does not reveal how much matched.
 */
export function apiKeyGuard(apiKey: string) {
  if (apiKey === '') throw new Error('server: the API key must not be empty');
  const expected = digest(apiKey);
  return (request: FastifyRequest): void => {
    const route = routeUrl(request);
    if (route !== undefined && OPEN_ROUTES.has(route)) return;
    const key = presentedKey(request);
    const challenge = { 'www-authenticate': 'Bearer realm="densekit"' };
    if (key === undefined) {
      throw new HttpError(401, 'UNAUTHORIZED', 'this server needs an API key: send the header "x-api-key: <key>" or "Authorization: Bearer <key>"', challenge);
    }
    if (!timingSafeEqual(digest(key), expected)) throw new HttpError(401, 'UNAUTHORIZED', 'wrong API key', challenge);
  };
}
