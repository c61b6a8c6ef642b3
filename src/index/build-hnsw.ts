// Builds the HNSW graph (the vector engine's HnswIndex) over a finished set of shards, as the last
// step of `index --index hnsw` and of `merge`.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { HnswBuilder } from './build.js';
import { sha256OfFile } from './build-verify.js';
import { HnswIndex } from './engines/hnsw/hnsw-index.js';
import { VectorStore } from './vector-store.js';

export const HNSW_FILE = 'hnsw.usearch';

export interface HnswBuildOptions {
  readonly M?: number;
  readonly efConstruction?: number;
  /**
   * Insertion threads. Default 1: a graph built by one thread is the same bytes on every run, which
   * keeps resumed and merged builds identical to one run; more threads build faster but not reproducibly.
   */
  readonly threads?: number;
}

export function hnswBuilder(options: HnswBuildOptions = {}): HnswBuilder {
  const M = options.M ?? 16;
  const efConstruction = options.efConstruction ?? 128;
  return async (dir, shards, params) => {
    const store = VectorStore.open(dir, shards.map((s) => ({ file: s.vectors.file, count: s.count, dim: params.dims, dtype: params.dtype })));
    try {
      const graph = await HnswIndex.build(store, { M, efConstruction, threads: options.threads ?? 1 });
      graph.save(join(dir, HNSW_FILE));
    } finally {
      store.close();
    }
    const describe = (file: string) => ({ file, sha256: sha256OfFile(join(dir, file)), bytes: statSync(join(dir, file)).size });
    return { file: describe(HNSW_FILE), sidecar: describe(`${HNSW_FILE}.json`), params: { M, efConstruction } };
  };
}
