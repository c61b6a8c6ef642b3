/** An error that becomes a JSON reply `{ statusCode, code, error, message }` with this status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The JSON body of every error reply. */
export interface ErrorBody {
  readonly statusCode: number;
  /** Stable machine-readable code, e.g. "K_OUT_OF_RANGE", "UNAUTHORIZED". */
  readonly code: string;
  /** HTTP reason phrase. */
  readonly error: string;
  /** What was wrong, for a person. */
  readonly message: string;
}
