// Milvus answers most calls with a status instead of throwing; this turns a failed one into an error
// that says which call on which collection failed, and marks the ones worth retrying.
export interface MilvusStatus {
  readonly error_code: string | number;
  readonly reason: string;
  readonly code?: number;
  readonly retriable?: boolean;
}

export class MilvusCallError extends Error {
  constructor(
    message: string,
    readonly status: MilvusStatus,
  ) {
    super(message);
  }

  /** The server says so, or it is rate limiting / not ready yet. */
  get transient(): boolean {
    return this.status.retriable === true || /RateLimit|NotReady|ForceDeny|Timeout/i.test(String(this.status.error_code));
  }
}

export function checkStatus(status: MilvusStatus, what: string): void {
  if (status.error_code === 'Success' || status.error_code === 0) return;
  throw new MilvusCallError(`${what} failed: ${status.reason || String(status.error_code)}`, status);
}
