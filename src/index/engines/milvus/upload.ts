// Streams passages into a collection in bounded batches (rows and bytes, under gRPC's message limit),
// retrying a batch with exponential backoff when the failure is transient (server restarting, busy,
// rate limiting). Upserts are keyed by docid, so a retried or re-run batch never duplicates a row.
import { rowProblem, type MilvusCollection, type PassageRow } from './collection.js';
import { isTransientGrpcError } from './connection.js';
import { MilvusCallError } from './status.js';

export interface UploadOptions {
  /** Rows per upsert request (default 1000). */
  readonly batchRows?: number;
  /** Approximate request size cap in bytes (default 16 MiB; gRPC's default limit is 64 MiB). */
  readonly batchBytes?: number;
  /** Attempts per batch before giving up (default 6: waits of 0.5, 1, 2, 4, 8 s between them). */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  /** Called after each stored batch with its row count. */
  readonly onBatch?: (rows: number) => void;
  readonly log?: (message: string) => void;
}

function isTransient(err: unknown): boolean {
  return err instanceof MilvusCallError ? err.transient : isTransientGrpcError(err);
}

/** Runs `call`, retrying transient failures with doubling waits; other failures are thrown at once. */
export async function withRetries<T>(what: string, call: () => Promise<T>, options: Pick<UploadOptions, 'attempts' | 'baseDelayMs' | 'log'> = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isTransient(err) || attempt >= attempts) {
        if (attempt > 1) (err as Error).message += ` (after ${attempt} attempts)`;
        throw err;
      }
      const wait = base * 2 ** (attempt - 1);
      options.log?.(`${what}: ${(err as Error).message}; retrying in ${wait} ms (attempt ${attempt + 1} of ${attempts})`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Bytes a row adds to an upsert request, roughly (4 per float, the strings, some framing). */
function rowBytes(row: PassageRow): number {
  return row.vector.length * 4 + Buffer.byteLength(row.id) + Buffer.byteLength(row.title ?? '') + Buffer.byteLength(row.text) + 64;
}

/** Checks every row against the collection's limits first, then upserts them batch by batch. */
export async function uploadRows(collection: MilvusCollection, rows: readonly PassageRow[], options: UploadOptions = {}): Promise<void> {
  for (const row of rows) {
    const problem = rowProblem(row);
    if (problem) throw new Error(`passage ${JSON.stringify(row.id.slice(0, 200))} cannot be stored in milvus collection ${JSON.stringify(collection.name)}: ${problem} (shorten it or split the passage; nothing is cut silently)`);
  }
  const maxRows = options.batchRows ?? 1000;
  const maxBytes = options.batchBytes ?? 16 * 1024 * 1024;
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length && end - start < maxRows && (end === start || bytes + rowBytes(rows[end]!) <= maxBytes)) bytes += rowBytes(rows[end++]!);
    const batch = rows.slice(start, end);
    await withRetries(`milvus upsert of rows ${start}..${end - 1}`, () => collection.upsert(batch), options);
    options.onBatch?.(batch.length);
    start = end;
  }
}
