// The HNSW engine: an approximate graph (usearch, see hnsw-index.ts) built over the finished shards,
// after a whole build, a merge or an import. Files: hnsw.usearch and its sidecar hnsw.usearch.json.
//
// The graph stores its own copy of the vectors as f32, f16 or i8 (quantization=auto: as the shards
// store them, --dtype f32/f16/int8). Opening memory-maps the graph after checking sizes and headers;
// the whole-file sha256 the manifest records is checked by `densekit verify`, as for blocked shards.
// rescore=N at search time scores the graph's best N candidates again, exactly, from the shard rows.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256OfFile } from '../../../files/sha256.js';
import { verifyFile } from '../../formats/verify.js';
import type { ManifestFile } from '../../formats/manifest.js';
import { VectorStore } from '../../formats/vector-store.js';
import type { VectorDType } from '../../formats/vector-types.js';
import type { EngineOpenContext, EngineParams, IndexEngine } from '../engine.js';
import { hitsOfRows, localRowsOf } from '../local-rows.js';
import { choiceParam, nonNegativeIntParam, positiveIntParam, readParams } from '../params.js';
import { HNSW_QUANTIZATIONS, HnswIndex, type HnswQuantization } from './hnsw-index.js';
import { StoredRows } from './stored-rows.js';

export const HNSW_FILE = 'hnsw.usearch';
const SIDECAR_FILE = `${HNSW_FILE}.json`;

const QUANTIZATION_OF_DTYPE: Readonly<Record<VectorDType, HnswQuantization>> = { f32: 'f32', f16: 'f16', int8: 'i8' };

/**
 * The graph's vector kind for a build: the parameter, or as the shards store vectors when it is 'auto'
 * or absent. Absent is left out of the record, so indexes built before the parameter existed (whose
 * graphs are f32 whatever --dtype was; their sidecar says so) keep the same engine record.
 */
function quantizationOf(params: EngineParams, dtype: VectorDType): HnswQuantization {
  const q = params['quantization'];
  return q === undefined || q === 'auto' ? QUANTIZATION_OF_DTYPE[dtype] : (q as HnswQuantization);
}

function recordedFile(context: EngineOpenContext, name: string): ManifestFile {
  const f = context.record.files.find((x) => x.file === name);
  if (!f) throw new Error(`${join(context.dir, 'manifest.json')}: the hnsw engine record names no ${name}`);
  return f;
}

export const hnswEngine: IndexEngine = {
  kind: 'hnsw',
  summary: 'hnsw: approximate graph search (usearch); hnsw:M=16,efConstruction=128,quantization=auto|f32|f16|i8 (auto: what --dtype stores), efSearch 64 and rescore 0 at search time',
  storage: 'local',
  exact: false,
  parseParams: (raw) => {
    const { quantization, ...params } = readParams('hnsw', raw, { M: positiveIntParam(16), efConstruction: positiveIntParam(128), quantization: choiceParam(['auto', ...HNSW_QUANTIZATIONS], 'auto') });
    return raw['quantization'] === undefined ? params : { ...params, quantization: quantization! };
  },
  searchParamNames: ['efSearch', 'rescore'],
  parseSearchParams: (raw) => readParams('hnsw', raw, { efSearch: positiveIntParam(64), rescore: nonNegativeIntParam(0) }),

  writesFiles: true,
  async build(context, params) {
    const { dir, shards } = context;
    const store = VectorStore.open(dir, shards.map((s) => ({ file: s.vectors.file, count: s.count, dim: context.params.dims, dtype: context.params.dtype })));
    try {
      // One insertion thread by default: a graph built by one thread is the same bytes on every run, which
      // keeps resumed and merged builds identical to one run; more threads build faster but not reproducibly.
      const graph = await HnswIndex.build(store, {
        M: params.M as number, efConstruction: params.efConstruction as number,
        quantization: quantizationOf(params, context.params.dtype), threads: context.threads ?? 1,
      });
      graph.save(join(dir, HNSW_FILE));
    } finally {
      store.close();
    }
    const describe = (file: string): ManifestFile => ({ file, sha256: sha256OfFile(join(dir, file)), bytes: statSync(join(dir, file)).size });
    return [describe(HNSW_FILE), describe(SIDECAR_FILE)];
  },

  async open(context) {
    const rows = localRowsOf(context);
    const { dir, manifest } = context;
    const file = recordedFile(context, HNSW_FILE);
    // The sidecar is small: hashed when asked to verify. The graph is only size-checked here (and its
    // header by the loader); `densekit verify` hashes it.
    verifyFile(dir, recordedFile(context, SIDECAR_FILE), context.verify);
    verifyFile(dir, file, false);
    const efSearch = context.searchParams.efSearch as number;
    const rescore = context.searchParams.rescore as number;
    const path = join(dir, file.file);
    const graph = HnswIndex.load(path, { efSearch, ...(context.threads !== undefined ? { threads: context.threads } : {}) });
    if (graph.count !== manifest.count || graph.dim !== manifest.dims) {
      throw new Error(`hnsw index ${path}: holds ${graph.count} × ${graph.dim}, the manifest says ${manifest.count} × ${manifest.dims}`);
    }
    // Without the parameter (the default, and indexes from before it) the sidecar says what the graph stores.
    if (context.record.params['quantization'] !== undefined) {
      const expected = quantizationOf(context.record.params, manifest.dtype);
      if (graph.quantization !== expected) throw new Error(`hnsw index ${path}: stores ${graph.quantization} vectors, the manifest's engine record says ${expected}`);
    }
    const stored = new StoredRows(rows.store);
    return {
      count: graph.count,
      dims: graph.dim,
      search: async (queries, k) => hitsOfRows(await graph.search(queries, k, { tieRanks: rows.docids, rescore, rows: stored }), rows.docids),
      describe: () => ({ kind: 'hnsw', params: { ...context.record.params, quantization: graph.quantization }, searchParams: { efSearch, rescore } }),
      close: async () => {},
    };
  },
};
