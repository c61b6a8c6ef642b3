import { requirePositiveInt } from '../checks/positive-int.js';

/** Request limits of the server; every one breach gets its own 4xx JSON error. */
export interface ServerLimits {
  /** Largest `k` a request may ask for. */
  readonly maxK: number;
  /** `k` when a request gives none. */
  readonly defaultK: number;
  /** Longest query, in Unicode code points (the encoder truncates to its token limit anyway). */
  readonly maxQueryLength: number;
  /** Most queries in one `POST /search` body. */
  readonly maxQueriesPerRequest: number;
  /** Largest request body, in bytes (413 beyond it). */
  readonly maxBodyBytes: number;
  /** Most requests handled at once (every route but /healthz); more get 503 with Retry-After. */
  readonly maxConcurrentRequests: number;
  /** Longest time a client may take to send a whole request (headers and body); past it: 408 and disconnect. */
  readonly bodyTimeoutMs: number;
  /** Micro-batching: how long the first waiting query waits for company before its batch runs. */
  readonly batchWaitMs: number;
  /** Micro-batching: most queries in one backend call (1 turns batching off). */
  readonly maxBatchSize: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxK: 100,
  defaultK: 10,
  maxQueryLength: 2048,
  maxQueriesPerRequest: 64,
  maxBodyBytes: 256 * 1024,
  maxConcurrentRequests: 64,
  bodyTimeoutMs: 10_000,
  batchWaitMs: 2,
  maxBatchSize: 32,
};

/** DEFAULT_LIMITS overridden by `partial`; throws naming the field when a value is out of range. */
export function resolveLimits(partial: Partial<ServerLimits> = {}): ServerLimits {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...stripUndefined(partial) };
  const positiveInt = (field: keyof ServerLimits): void => {
    requirePositiveInt(`server limits: ${field}`, limits[field]);
  };
  positiveInt('maxK');
  positiveInt('defaultK');
  positiveInt('maxQueryLength');
  positiveInt('maxQueriesPerRequest');
  positiveInt('maxBodyBytes');
  positiveInt('maxConcurrentRequests');
  positiveInt('maxBatchSize');
  positiveInt('bodyTimeoutMs');
  if (!Number.isFinite(limits.batchWaitMs) || limits.batchWaitMs < 0) {
    throw new Error(`server limits: batchWaitMs must be a number ≥ 0, got ${String(limits.batchWaitMs)}`);
  }
  if (limits.defaultK > limits.maxK) throw new Error(`server limits: defaultK (${limits.defaultK}) exceeds maxK (${limits.maxK})`);
  return limits;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
