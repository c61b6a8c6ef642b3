import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';

/**
 * Caps the requests being handled at once (health checks excepted, so an overloaded server still
 * reports itself alive). Past the cap, requests get 503 with Retry-After instead of queueing without
 * bound. A slot is freed when the response socket closes, which also covers clients that hang up.
 */
export class RequestGate {
  private active = 0;

  constructor(private readonly max: number) {}

  get inFlight(): number {
    return this.active;
  }

  readonly hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.routeOptions.url === '/healthz') return;
    if (this.active >= this.max) {
      throw new HttpError(503, 'OVERLOADED', `the server is handling its maximum of ${this.max} concurrent requests; retry shortly`, { 'retry-after': '1' });
    }
    this.active += 1;
    let released = false;
    reply.raw.once('close', () => {
      if (!released) {
        released = true;
        this.active -= 1;
      }
    });
  };
}
