import { readFileSync } from 'node:fs';
import type { Index } from '../index/dense-index.js';
import { openIndex } from '../index/open-index.js';
import { buildApp } from './app.js';
import { denseIndexBackend, indexBackend } from './opened-index-backend.js';
import { resolveLimits, type ServerLimits } from './limits.js';
import type { SearchBackend } from './types.js';

export interface StartServerOptions {
  /** An open dense index; the server does not close it. */
  readonly index?: Index;
  /** An index directory (dense, or BM25 from `densekit index --bm25`), opened now and closed by `close()`. */
  readonly indexDir?: string;
  /** Any other backend (e.g. a custom searcher); closed by `close()`. */
  readonly backend?: SearchBackend;
  /** Default 127.0.0.1 (this machine only); "0.0.0.0" or "::" to listen on every interface. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port (read it from `url`). */
  readonly port?: number;
  /** When set, every route but /healthz needs it (header `x-api-key` or `Authorization: Bearer`). */
  readonly apiKey?: string;
  /** Without an API key, host names accepted in the Host header besides IP addresses and localhost (DNS rebinding guard). */
  readonly allowedHosts?: readonly string[];
  readonly limits?: Partial<ServerLimits>;
  /** indexDir only: inference and search threads (default: all cores). */
  readonly threads?: number;
  /** indexDir only: hash every index file against the manifest on open (default true). */
  readonly verify?: boolean;
  /** indexDir only: the engine's search-time parameters (see IndexOpenOptions.searchParams). */
  readonly searchParams?: Readonly<Record<string, string | number>>;
  /** indexDir only: HNSW candidate list size (see IndexOpenOptions.efSearch; ignored by engines without it). */
  readonly efSearch?: number;
  /** fastify's JSON request log on stdout (default off). */
  readonly logRequests?: boolean;
}

export interface ServerStats {
  /** Backend calls (encoder forward passes) so far. */
  readonly batches: number;
  /** Queries searched so far. */
  readonly queries: number;
  readonly largestBatch: number;
  /** Requests being handled now. */
  readonly inFlight: number;
}

export interface RunningServer {
  /** e.g. "http://127.0.0.1:8080" (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly limits: ServerLimits;
  stats(): ServerStats;
  /** Stops accepting connections, lets in-flight requests finish, then closes the index. Idempotent. */
  close(): Promise<void>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function openBackend(options: StartServerOptions): Promise<SearchBackend> {
  const given = [options.index, options.indexDir, options.backend].filter((x) => x !== undefined).length;
  if (given !== 1) throw new Error('startServer: give exactly one of index, indexDir and backend');
  if (options.backend) return options.backend;
  if (options.index) return denseIndexBackend(options.index, { ownsIndex: false });
  return indexBackend(await openIndex(options.indexDir!, {
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    ...(options.searchParams !== undefined ? { searchParams: options.searchParams } : {}),
    ...(options.efSearch !== undefined ? { efSearch: options.efSearch } : {}),
  }));
}

/** Serves an index over HTTP (see docs in README: routes, limits, API key). */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const limits = resolveLimits(options.limits);
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`startServer: port must be an integer from 0 to 65535, got ${port}`);
  const backend = await openBackend(options);
  try {
    await backend.warmUp?.();
  } catch (err) {
    await backend.close();
    throw err;
  }
  const { app, search, gate, beginShutdown } = buildApp({
    backend,
    limits,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.logRequests !== undefined ? { logRequests: options.logRequests } : {}),
    version: packageVersion(),
  });
  try {
    await app.listen({ host: options.host ?? '127.0.0.1', port });
  } catch (err) {
    await backend.close();
    throw new Error(`cannot listen on ${options.host ?? '127.0.0.1'}:${port}: ${(err as Error).message}`);
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    limits,
    stats: () => {
      const s = search.stats();
      return { batches: s.batches, queries: s.items, largestBatch: s.largestBatch, inFlight: gate.inFlight };
    },
    close: () => {
      closing ??= (async () => {
        beginShutdown();
        await app.close();
        await search.close();
        await backend.close();
      })();
      return closing;
    },
  };
}
