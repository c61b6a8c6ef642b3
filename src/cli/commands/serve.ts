import { InvalidArgumentError } from 'commander';
import { DEFAULT_LIMITS } from '../../server/limits.js';
import { startServer, type ServerLimits } from '../../server/index.js';
import { positiveInt } from '../arguments.js';
import { addHnswSearchOptions, engineSearchParams } from '../engine-options.js';
import { flag } from '../help.js';
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
  milvusUri?: string;
  efSearch?: number;
  rescore?: number;
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
  const cmd = program
    .command('serve')
    .description('serve an index (dense or BM25) over HTTP: POST /search, GET /docs/:id, /info, /healthz, /openapi.json, and a search page at /')
    .requiredOption('--index <dir>', 'index directory (built by `densekit index`, dense or --bm25)')
    .addOption(flag('--host <addr>', 'address to listen on (0.0.0.0 or :: for every interface)', { default: '127.0.0.1' }))
    .addOption(flag('--port <n>', 'port (0: any free port)', { parse: port, default: 8080 }))
    .addOption(flag('--api-key <key>', 'require this key on every route but /healthz (prefer the variable: arguments show in ps)', { shownDefault: '$DENSEKIT_API_KEY' }))
    .addOption(flag('--max-k <n>', 'largest k a request may ask for', { parse: positiveInt, shownDefault: DEFAULT_LIMITS.maxK }))
    .addOption(flag('--max-query-length <n>', 'longest query in characters', { parse: positiveInt, shownDefault: DEFAULT_LIMITS.maxQueryLength }))
    .addOption(flag('--max-queries <n>', 'most queries in one request', { parse: positiveInt, shownDefault: DEFAULT_LIMITS.maxQueriesPerRequest }))
    .addOption(flag('--max-body-bytes <n>', 'largest request body', { parse: positiveInt, shownDefault: DEFAULT_LIMITS.maxBodyBytes }))
    .addOption(flag('--max-concurrent <n>', 'most requests handled at once, counted once their body has arrived; more get 503', { parse: positiveInt, shownDefault: DEFAULT_LIMITS.maxConcurrentRequests }))
    .addOption(flag('--body-timeout-ms <ms>', 'longest time a client may take to send a whole request; slower ones get 408 and are disconnected', { parse: positiveInt, shownDefault: DEFAULT_LIMITS.bodyTimeoutMs }))
    .addOption(flag('--allowed-host <name>', 'without an API key, a host name (besides IP addresses and localhost) that requests may name in their Host header; repeatable', { parse: (v: string, prev: string[]) => [...prev, v], default: [] }))
    .addOption(flag('--batch-wait-ms <ms>', 'micro-batching: how long a query waits for others to share its forward pass', { parse: nonNegative, shownDefault: DEFAULT_LIMITS.batchWaitMs }))
    .addOption(flag('--max-batch-size <n>', 'micro-batching: most queries per forward pass; 1 turns batching off', { parse: positiveInt, shownDefault: DEFAULT_LIMITS.maxBatchSize }))
    .addOption(flag('--threads <n>', 'inference and search threads', { parse: positiveInt, shownDefault: 'all cores' }));
  addHnswSearchOptions(cmd)
    .addOption(flag('--milvus-uri <uri>', 'milvus: the server to search', { shownDefault: '$MILVUS_URI, else the uri the index recorded' }))
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
        ...(flags.efSearch !== undefined ? { efSearch: flags.efSearch } : {}),
        ...engineSearchParams(flags),
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
