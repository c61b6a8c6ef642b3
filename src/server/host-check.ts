import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';

/** The matched route, or undefined for requests the router could not match (bad URLs). */
export function routeUrl(request: FastifyRequest): string | undefined {
  try {
    return request.routeOptions.url;
  } catch {
    return undefined;
  }
}

/** The name part of a Host header: `[::1]:8080` → `::1`, `Example.com:80` → `example.com`. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/**
 * Protection against DNS rebinding for a server without an API key: a web page can point its own
 * domain name at 127.0.0.1 and read the API, but its requests then carry that domain in the Host
 * header. So only hosts that cannot be rebound are accepted: IP addresses (the server's own, as a
 * browser at http://127.0.0.1:8080 sends), `localhost`, and the names the operator allows.
 */
export function hostGuard(allowedHosts: readonly string[]) {
  const allowed = new Set(allowedHosts.map((h) => hostName(h)));
  return (request: FastifyRequest): void => {
    if (routeUrl(request) === '/healthz') return; // liveness reveals nothing; probes may use any name
    const header = request.headers.host;
    if (header === undefined) return; // HTTP/1.0 clients: not a browser
    const name = hostName(header);
    if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || allowed.has(name)) return;
    throw new HttpError(
      403,
      'HOST_NOT_ALLOWED',
      `Host ${JSON.stringify(name.slice(0, 100))} is not allowed: without an API key this server answers only requests to its IP address, ` +
        'localhost, or a name given with --allowed-host (this blocks DNS rebinding)',
    );
  };
}
