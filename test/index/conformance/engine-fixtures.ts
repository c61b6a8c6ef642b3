// How the searcher conformance suite (../engine-conformance.test.ts) gets an index of each kind.
//
// Every registered engine is built with the library (`Index.build` with `index: kind`) over each
// stored dtype, with no entry needed here. An engine that needs more (a server to talk to, other
// parameters) adds an entry: `available` says why it cannot run (the suite then prints one skip line),
// `spec` names the engine and its parameters, `setUp`/`tearDown` start and stop what it needs.
import type { EngineChoiceInput } from '../../../src/index/engines/registry.js';
import type { VectorDType } from '../../../src/index/formats/vector-types.js';
import { milvusForTests, type MilvusOrSkip } from '../../support/milvus.js';

export interface EngineFixture {
  /** undefined when the engine can run here; otherwise the reason it cannot (shown as the skip line). */
  available(): Promise<string | undefined>;
  /** What `index` is given when building (default: the engine's kind with its default parameters). */
  spec?(): EngineChoiceInput;
  /** Stored dtypes to test (default all three). */
  readonly dtypes?: readonly VectorDType[];
  /** Search-time settings to run the whole suite with as well (each is one more target). */
  readonly searchVariants?: readonly SearchVariant[];
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
}

/** Search parameters given the same way to the library, the server (searchParams) and the CLI (flags). */
export interface SearchVariant {
  readonly name: string;
  readonly searchParams: Readonly<Record<string, number>>;
  readonly cliArgs: readonly string[];
  /** Hits carry exact scores of the stored vectors (approximate engines that rescore). */
  readonly exactScores?: boolean;
}

/** The milvus engine against a real server (test/support/milvus.ts starts one, or reuses DENSEKIT_MILVUS_URI's). */
function milvusFixture(): EngineFixture {
  let milvus: MilvusOrSkip | undefined;
  const collection = `densekit_conformance_${process.pid}`;
  return {
    async available() {
      milvus ??= await milvusForTests();
      if (milvus.server === undefined) return milvus.skip;
      // The engine reads its token from the environment only (the CLI runs the suite makes inherit it).
      if (milvus.server.token !== undefined) process.env.MILVUS_TOKEN = milvus.server.token;
      return undefined;
    },
    spec: () => ({ kind: 'milvus', params: { uri: milvus!.server!.uri, collection } }),
    // Milvus stores float32 whatever the local dtype would have been.
    dtypes: ['f32'],
    async tearDown() {
      const server = milvus?.server;
      if (!server) return;
      const { connectMilvus } = await import('../../../src/index/engines/milvus/connection.js');
      const client = await connectMilvus({ uri: server.uri, token: server.token });
      await client.dropCollection({ collection_name: collection });
      await client.closeConnection();
      await server.stop();
    },
  };
}

/** hnsw: also with a narrow search rescored from the shards (every dtype's graph: f32, f16, i8). */
const HNSW_FIXTURE: EngineFixture = {
  available: async () => undefined,
  searchVariants: [{ name: 'efSearch=8 rescore=20', searchParams: { efSearch: 8, rescore: 20 }, cliArgs: ['--ef-search', '8', '--rescore', '20'], exactScores: true }],
};

/** Fixtures by engine kind; engines without an entry are built locally with their defaults. */
export const ENGINE_FIXTURES: Readonly<Record<string, EngineFixture>> = { milvus: milvusFixture(), hnsw: HNSW_FIXTURE };

const LOCAL: EngineFixture = { available: async () => undefined };

export function fixtureFor(kind: string): EngineFixture {
  return ENGINE_FIXTURES[kind] ?? LOCAL;
}
