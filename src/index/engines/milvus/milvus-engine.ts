// The milvus engine: vectors, docids and passage text live in a Milvus collection; the index directory
// keeps only the manifest (model, encoder settings, and this engine's record: uri, collection, index
// type and parameters, replicas). Any machine with the directory and network access to the server can
// search, so `densekit serve` replicas are stateless. The token comes only from MILVUS_TOKEN.
//
// Build: each encoded window is upserted by docid (a re-run or resumed build rewrites, never duplicates),
// then the vector index is built and the collection loaded. Search asks Milvus for the top k and puts
// hits in trec_eval's order (score descending, docid descending); where a tie straddles the cut it asks
// for more until the whole tie is in hand, so the docid order decides which tied hits make the cut.
import { basename } from 'node:path';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { compareHits } from '../../../results/hit-order.js';
import type { EngineBuildContext, EngineHit, EngineOpenContext, EngineParams, EngineParamValue, IndexEngine, SearchEngine, WindowSink } from '../engine.js';
import { positiveIntParam, readParams } from '../params.js';
import { MilvusCollection, type PassageRow } from './collection.js';
import { connectMilvus, resolveConnection, type MilvusConnection } from './connection.js';
import { completeIndexSpec, metricFor, MILVUS_MAX_TOPK, type MilvusIndexSpec, type MilvusMetric } from './index-spec.js';
import { uploadRows } from './upload.js';

export const MILVUS_KIND = 'milvus';
const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

/** A Milvus-valid collection name from a directory name (Milvus allows letters, digits and "_"). */
export function collectionNameFor(dir: string): string {
  const name = basename(dir).replace(/[^A-Za-z0-9_]/g, '_').slice(0, 255);
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`.slice(0, 255);
}

function stringParam(fallback: () => string) {
  return (value: EngineParamValue | undefined, name: string): string => {
    if (value === undefined) return fallback();
    if (typeof value !== 'string') throw new Error(`${name} must be a string, got ${JSON.stringify(value)}`);
    return value.trim();
  };
}

/** Build parameters: only those of the chosen index type are recorded. */
function parseMilvusParams(raw: Readonly<Record<string, EngineParamValue>>): EngineParams {
  const all = readParams(MILVUS_KIND, raw, {
    uri: stringParam(() => resolveConnection({}).uri),
    collection: stringParam(() => ''),
    type: stringParam(() => 'FLAT'),
    M: (v) => v ?? 0,
    efConstruction: (v) => v ?? 0,
    nlist: (v) => v ?? 0,
    replicas: positiveIntParam(1),
  });
  const collection = all.collection as string;
  if (collection !== '' && !COLLECTION_NAME.test(collection)) {
    throw new Error(`--index ${MILVUS_KIND}: collection ${JSON.stringify(collection)} is not a Milvus collection name (letters, digits and "_", not starting with a digit, at most 255)`);
  }
  const int = (name: 'M' | 'efConstruction' | 'nlist'): number | undefined => (raw[name] === undefined ? undefined : positiveIntParam(0)(raw[name], name));
  let spec: MilvusIndexSpec;
  try {
    spec = completeIndexSpec({ type: all.type as string, M: int('M'), efConstruction: int('efConstruction'), nlist: int('nlist') });
  } catch (err) {
    throw new Error(`--index ${MILVUS_KIND}: ${(err as Error).message}`);
  }
  return { uri: all.uri!, collection, replicas: all.replicas!, ...spec };
}

function specOf(params: EngineParams): MilvusIndexSpec {
  return completeIndexSpec({
    type: params.type as string,
    ...(params.M !== undefined ? { M: params.M as number } : {}),
    ...(params.efConstruction !== undefined ? { efConstruction: params.efConstruction as number } : {}),
    ...(params.nlist !== undefined ? { nlist: params.nlist as number } : {}),
  });
}

function collectionOf(params: EngineParams, dir: string): string {
  return (params.collection as string) || collectionNameFor(dir);
}

/** Connection, collection and metric of a build (the connection is opened on first use). */
class BuildTarget {
  private opened: Promise<{ client: MilvusClient; collection: MilvusCollection }> | undefined;
  readonly conn: MilvusConnection;
  readonly name: string;
  readonly metric: MilvusMetric;

  constructor(private readonly context: EngineBuildContext, params: EngineParams) {
    this.conn = resolveConnection({ recordedUri: params.uri as string, uri: params.uri as string });
    this.name = collectionOf(params, context.dir);
    this.metric = metricFor(context.params.encoder.similarity);
  }

  collection(): Promise<MilvusCollection> {
    this.opened ??= (async () => {
      const client = await connectMilvus(this.conn);
      const collection = new MilvusCollection(client, this.name, this.conn.uri);
      if ((await collection.ensure({ dims: this.context.params.dims, metric: this.metric })) === 'created') {
        this.context.log(`milvus: created collection ${this.name} at ${this.conn.uri}`);
      }
      return { client, collection };
    })();
    return this.opened.then((o) => o.collection);
  }

  async close(): Promise<void> {
    if (this.opened) await (await this.opened).client.closeConnection();
  }
}

/** One target per build directory, so the sink and the final index step share one connection. */
const targets = new Map<string, BuildTarget>();
function targetFor(context: EngineBuildContext): BuildTarget {
  let t = targets.get(context.dir);
  if (!t) targets.set(context.dir, (t = new BuildTarget(context, context.params.engine.params)));
  return t;
}

function rowsOf(window: { records: readonly { id: string; title?: string; text?: string }[]; vectors: Float32Array }, dims: number): PassageRow[] {
  return window.records.map((r, i) => ({ id: r.id, title: r.title, text: r.text ?? '', vector: window.vectors.subarray(i * dims, (i + 1) * dims) }));
}

function milvusSink(context: EngineBuildContext): WindowSink {
  const target = targetFor(context);
  return {
    async commit(window) {
      const collection = await target.collection();
      await uploadRows(collection, rowsOf(window, context.params.dims), { log: context.log });
      const first = window.records[0]?.id ?? '';
      const last = window.records[window.records.length - 1]?.id ?? '';
      return { count: window.records.length, remote: { collection: target.name, first, last } };
    },
    checkCommitted(window, index) {
      const remote = 'remote' in window ? window.remote : undefined;
      if (!remote || remote.collection !== target.name) {
        throw new Error(`window ${index} was uploaded to ${JSON.stringify(remote?.collection)}, not to collection ${JSON.stringify(target.name)}`);
      }
    },
    // Milvus holds the ids; reading them back per window would cost a query each, and a re-upload is harmless.
    committedIds: () => undefined,
    files: () => [],
  };
}

/**
 * Opens the collection an index directory names and checks it against the manifest: it must exist,
 * have the manifest's dims and metric, and hold exactly the manifest's count (a slice's manifest
 * counts the whole corpus, which all slices together upload).
 */
async function openMilvus(context: EngineOpenContext): Promise<SearchEngine> {
  const { manifest, record, dir } = context;
  const params = record.params;
  const conn = resolveConnection({ uri: (context.searchParams.uri as string) || undefined, recordedUri: params.uri as string });
  const name = collectionOf(params, dir);
  const metric = metricFor(manifest.similarity);
  const spec = specOf(params);
  const client = await connectMilvus(conn);
  try {
    const collection = new MilvusCollection(client, name, conn.uri);
    await collection.checkShape({ dims: manifest.dims, metric });
    await collection.ensureLoaded(params.replicas as number);
    const expected = manifest.slice ? manifest.slice.totalCount : manifest.count;
    const count = await collection.count();
    if (count !== expected) {
      throw new Error(`milvus ${conn.uri} collection ${JSON.stringify(name)} holds ${count} passages, but ${dir}/manifest.json says ${expected}` +
        ' (an upload still running or cut short, or the collection was changed; re-run the upload to complete it)');
    }
    const searchParams = { efSearch: context.searchParams.efSearch as number, nprobe: context.searchParams.nprobe as number };
    const milvusSearch = { ef: searchParams.efSearch, nprobe: searchParams.nprobe };
    // Imported vectors come with ids only; everything else uploaded its passages' text.
    const storesText = !manifest.build.source.startsWith('import:');

    const searchSome = async (queries: readonly Float32Array[], k: number): Promise<EngineHit[][]> => {
      const want = Math.min(k, count);
      const out: EngineHit[][] = [];
      for (const q of queries) out.push([]);
      let pending = queries.map((_, i) => i);
      let ask = Math.min(want + 8, count, MILVUS_MAX_TOPK);
      while (pending.length > 0) {
        const found = await collection.search(pending.map((i) => queries[i]!), ask, spec, metric, milvusSearch);
        const retry: number[] = [];
        pending.forEach((qi, j) => {
          const hits = found[j]!.sort(compareHits);
          // A tie at the cut that reaches the end of what came back may go on beyond it: ask for more.
          const tieAtCut = hits.length > want && hits[want - 1]!.score === hits[hits.length - 1]!.score;
          if (tieAtCut && hits.length === ask && ask < Math.min(count, MILVUS_MAX_TOPK)) retry.push(qi);
          else out[qi] = hits.slice(0, want);
        });
        pending = retry;
        ask = Math.min(ask * 2, count, MILVUS_MAX_TOPK);
      }
      return out;
    };

    return {
      count,
      dims: manifest.dims,
      async search(queries, k) {
        if (queries.length === 0 || k === 0) return queries.map(() => []);
        if (Math.min(k, count) > MILVUS_MAX_TOPK) throw new Error(`milvus: k ${k} is above Milvus's top-k limit ${MILVUS_MAX_TOPK}`);
        return searchSome(queries, k);
      },
      ...(storesText ? { documents: (docids: readonly string[]) => collection.documents(docids) } : {}),
      describe: () => ({ kind: MILVUS_KIND, params, searchParams: { ...searchParams, uri: conn.uri } }),
      close: () => client.closeConnection().then(() => undefined),
    };
  } catch (err) {
    await client.closeConnection().catch(() => undefined);
    throw err;
  }
}

export const milvusEngine: IndexEngine = {
  kind: MILVUS_KIND,
  summary: 'milvus: a Milvus collection (--milvus-uri, --collection); milvus:type=FLAT|HNSW|IVF_FLAT,M=16,efConstruction=200,nlist=1024,replicas=1, efSearch 64 / nprobe 16 at search time',
  storage: 'remote',
  // FLAT is exact, HNSW and IVF_FLAT are not; the suite must not assume every document comes back.
  exact: false,
  parseParams: parseMilvusParams,
  searchParamNames: ['efSearch', 'nprobe', 'uri'],
  parseSearchParams: (raw) => readParams(MILVUS_KIND, raw, { efSearch: positiveIntParam(64), nprobe: positiveIntParam(16), uri: stringParam(() => '') }),
  createSink: milvusSink,
  writesFiles: false,
  /** Seals the uploads, builds the vector index, loads the collection and checks its count. */
  async build(context, params) {
    const target = targetFor(context);
    targets.delete(context.dir);
    try {
      const collection = await target.collection();
      await collection.buildIndex(specOf(params), target.metric, params.replicas as number);
      return [];
    } finally {
      await target.close();
    }
  },
  open: openMilvus,
};
