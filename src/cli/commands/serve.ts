import { InvalidArgumentError } from 'commander';
import { startServer, type ServerLimits } from '../../server/index.js';
import { positiveInt } from '../arguments.js';
import type { RegisterCommand } from './registry.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got '${value}'`);
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number ≥ 0, got '${value}'`);
  return n;
}

interface ServeFlags {
  index: string;
  host: string;
  port: number;
  apiKey?: string;
  maxK?: number;
  maxQueryLength?: number;
  maxQueries?: number;
  maxBodyBytes?: number;
  maxConcurrent?: number;
  bodyTimeoutMs?: number;
  allowedHost: string[];
  batchWaitMs?: number;
  maxBatchSize?: number;
  threads?: number;
  verify: boolean;
  logRequests: boolean;
}

/** `densekit serve`: HTTP search over an index until SIGTERM or SIGINT. */
export const registerServe: RegisterCommand = (program) => {
  program
    .command('serve')
    .description('serve an index (dense or BM25) over HTTP: POST /search, GET /docs/:id, /info, /healthz, /openapi.json, and a search page at /')
    .requiredOption('--index <dir>', 'index directory (built by `densekit index`, dense or --bm25)')
    .option('--host <addr>', 'address to listen on (0.0.0.0 or :: for every interface)', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', port, 8080)
    .option('--api-key <key>', 'require this key on every route but /healthz (default: $DENSEKIT_API_KEY; prefer the variable, arguments show in ps)')
    .option('--max-k <n>', 'largest k a request may ask for (default 100)', positiveInt)
    .option('--max-query-length <n>', 'longest query in characters (default 2048)', positiveInt)
    .option('--max-queries <n>', 'most queries in one request (default 64)', positiveInt)
    .option('--max-body-bytes <n>', 'largest request body (default 262144)', positiveInt)
    .option('--max-concurrent <n>', 'most requests handled at once, counted once their body has arrived; more get 503 (default 64)', positiveInt)
    .option('--body-timeout-ms <ms>', 'longest time a client may take to send a whole request; slower ones get 408 and are disconnected (default 10000)', positiveInt)
    .option('--allowed-host <name>', 'without an API key, a host name (besides IP addresses and localhost) that requests may name in their Host header; repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--batch-wait-ms <ms>', 'micro-batching: how long a query waits for others to share its forward pass (default 2)', nonNegative)
    .option('--max-batch-size <n>', 'micro-batching: most queries per forward pass; 1 turns batching off (default 32)', positiveInt)
    .option('--threads <n>', 'inference and search threads (default: all cores)', positiveInt)
    .option('--no-verify', 'skip hashing the index files on open (sizes are still checked)')
    .option('--log-requests', 'log every request as a JSON line on stdout')
    .action(async (flags: ServeFlags) => {
      const apiKey = flags.apiKey ?? (process.env.DENSEKIT_API_KEY || undefined);
      const limits: Partial<ServerLimits> = {
        ...(flags.maxK !== undefined ? { maxK: flags.maxK } : {}),
        ...(flags.maxK !== undefined && flags.maxK < 10 ? { defaultK: flags.maxK } : {}),
        ...(flags.maxQueryLength !== undefined ? { maxQueryLength: flags.maxQueryLength } : {}),
        ...(flags.maxQueries !== undefined ? { maxQueriesPerRequest: flags.maxQueries } : {}),
        ...(flags.maxBodyBytes !== undefined ? { maxBodyBytes: flags.maxBodyBytes } : {}),
        ...(flags.maxConcurrent !== undefined ? { maxConcurrentRequests: flags.maxConcurrent } : {}),
        ...(flags.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: flags.bodyTimeoutMs } : {}),
        ...(flags.batchWaitMs !== undefined ? { batchWaitMs: flags.batchWaitMs } : {}),
        ...(flags.maxBatchSize !== undefined ? { maxBatchSize: flags.maxBatchSize } : {}),
      };
      const server = await startServer({
        indexDir: flags.index,
        host: flags.host,
        port: flags.port,
        ...(apiKey !== undefined ? { apiKey } : {}),
        allowedHosts: flags.allowedHost,
        limits,
        ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
        verify: flags.verify,
        logRequests: flags.logRequests === true,
      });
      process.stderr.write(`densekit serve: listening on ${server.url}${apiKey !== undefined ? ' (API key required)' : ''}\n`);

      // Graceful shutdown: stop accepting, let in-flight requests finish, close the index, exit 0.
      // A second signal while that runs exits at once.
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) {
          process.stderr.write(`densekit serve: ${signal} again, exiting without waiting\n`);
          process.exit(1);
        }
        stopping = true;
        process.stderr.write(`densekit serve: ${signal}, finishing in-flight requests\n`);
        server.close().then(
          () => {
            process.stderr.write('densekit serve: stopped\n');
            process.exit(0);
          },
          (err: unknown) => {
            process.stderr.write(`densekit serve: error while stopping: ${(err as Error).message}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
};
