// Reaching a Milvus server: the address from a flag, MILVUS_URI or the index's record (in that order),
// the token only from a flag or MILVUS_TOKEN (never recorded anywhere), and the two ways a connection
// fails told apart: nothing answers, or the server refuses the credentials.
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';

export const DEFAULT_MILVUS_URI = '127.0.0.1:19530';

export interface MilvusConnection {
  /** host:port or http(s)://host:port, as the Node SDK takes it. */
  readonly uri: string;
  /** "user:password" or an API key; kept in memory only. */
  readonly token?: string | undefined;
}

export interface ConnectionSources {
  readonly uri?: string | undefined;
  readonly token?: string | undefined;
  /** The uri an index recorded when it was built (used when neither the flag nor MILVUS_URI gives one). */
  readonly recordedUri?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

export function resolveConnection(sources: ConnectionSources): MilvusConnection {
  const env = sources.env ?? process.env;
  const nonEmpty = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);
  const uri = nonEmpty(sources.uri) ?? nonEmpty(env.MILVUS_URI) ?? nonEmpty(sources.recordedUri) ?? DEFAULT_MILVUS_URI;
  const token = nonEmpty(sources.token) ?? nonEmpty(env.MILVUS_TOKEN);
  return { uri, ...(token !== undefined ? { token } : {}) };
}

/** gRPC status codes worth a retry: the server is momentarily away, slow or busy. */
const TRANSIENT_GRPC_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);
const UNAUTHENTICATED = 16;

export function isTransientGrpcError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code);
}

/** An error that names the server and says what to check, for the two ways connecting fails. */
export function connectionError(conn: MilvusConnection, err: unknown): Error {
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  const detail = typeof e.details === 'string' && e.details ? e.details : String(e.message ?? err);
  if (e.code === UNAUTHENTICATED) {
    const how = conn.token === undefined ? 'no token was given (set MILVUS_TOKEN to user:password or an API key)' : 'the token was refused';
    return new Error(`milvus ${conn.uri}: authentication refused: ${how} (server said: ${detail})`);
  }
  if (isTransientGrpcError(err)) return new Error(`milvus ${conn.uri}: server unreachable (${detail}); is Milvus running there? (--milvus-uri / MILVUS_URI)`);
  return new Error(`milvus ${conn.uri}: cannot connect (${detail})`);
}

/** A connected client; throws connectionError's message when the server is away or refuses us. */
export async function connectMilvus(conn: MilvusConnection, options: { timeoutMs?: number } = {}): Promise<MilvusClient> {
  // Loaded on first use: the SDK takes about a second to load its protocol files, which every other
  // densekit command (and every engine but this one) would otherwise pay at start-up.
  const { MilvusClient } = await import('@zilliz/milvus2-sdk-node');
  const client = new MilvusClient({
    address: conn.uri,
    ...(conn.token !== undefined ? { token: conn.token } : {}),
    timeout: options.timeoutMs ?? 60_000,
    logLevel: 'error',
  });
  try {
    // The SDK connects in its constructor and keeps the promise; awaiting it here turns a refused or
    // absent server into our error instead of an unhandled rejection on the first call.
    await (client as unknown as { connectPromise: Promise<unknown> }).connectPromise;
    // Connect does not check credentials on every server version; a cheap authenticated call does.
    await client.showCollections();
  } catch (err) {
    await client.closeConnection().catch(() => undefined);
    throw connectionError(conn, err);
  }
  return client;
}
