// The HNSW engine: an approximate graph (usearch, see hnsw-index.ts) built over the finished shards,
// after a whole build, a merge or an import. Files: hnsw.usearch and its sidecar hnsw.usearch.json.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256OfFile } from '../../../files/sha256.js';
import { verifyFile } from '../../formats/verify.js';
import type { ManifestFile } from '../../formats/manifest.js';
import { VectorStore } from '../../formats/vector-store.js';
import type { EngineOpenContext, IndexEngine } from '../engine.js';
import { hitsOfRows, localRowsOf } from '../local-rows.js';
import { positiveIntParam, readParams } from '../params.js';
import { HnswIndex } from './hnsw-index.js';

export const HNSW_FILE = 'hnsw.usearch';
const SIDECAR_FILE = `${HNSW_FILE}.json`;

function recordedFile(context: EngineOpenContext, name: string): ManifestFile {
  const f = context.record.files.find((x) => x.file === name);
  if (!f) throw new Error(`${join(context.dir, 'manifest.json')}: the hnsw engine record names no ${name}`);
  return f;
}

export const hnswEngine: IndexEngine = {
  kind: 'hnsw',
  summary: 'hnsw: approximate graph search (usearch); hnsw:M=16,efConstruction=128, efSearch 64 at search time',
  storage: 'local',
  exact: false,
  parseParams: (raw) => readParams('hnsw', raw, { M: positiveIntParam(16), efConstruction: positiveIntParam(128) }),
  searchParamNames: ['efSearch'],
  parseSearchParams: (raw) => readParams('hnsw', raw, { efSearch: positiveIntParam(64) }),

  writesFiles: true,
  async build(context, params) {
    const { dir, shards } = context;
    const store = VectorStore.open(dir, shards.map((s) => ({ file: s.vectors.file, count: s.count, dim: context.params.dims, dtype: context.params.dtype })));
    try {
      // One insertion thread by default: a graph built by one thread is the same bytes on every run, which
      // keeps resumed and merged builds identical to one run; more threads build faster but not reproducibly.
      const graph = await HnswIndex.build(store, { M: params.M as number, efConstruction: params.efConstruction as number, threads: context.threads ?? 1 });
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
    // verifyFile checks what the manifest recorded; the loader re-checks the graph against its own sidecar.
    verifyFile(dir, recordedFile(context, SIDECAR_FILE), context.verify);
    verifyFile(dir, file, false);
    const efSearch = context.searchParams.efSearch as number;
    const graph = HnswIndex.load(join(dir, file.file), {
      efSearch,
      verifyChecksum: context.verify,
      ...(context.threads !== undefined ? { threads: context.threads } : {}),
    });
    if (graph.count !== manifest.count || graph.dim !== manifest.dims) {
      throw new Error(`hnsw index ${join(dir, file.file)}: holds ${graph.count} × ${graph.dim}, the manifest says ${manifest.count} × ${manifest.dims}`);
    }
    return {
      count: graph.count,
      dims: graph.dim,
      search: async (queries, k) => hitsOfRows(await graph.search(queries, k, { tieRanks: rows.docids }), rows.docids),
      describe: () => ({ kind: 'hnsw', params: context.record.params, searchParams: { efSearch } }),
      close: async () => {},
    };
  },
};
