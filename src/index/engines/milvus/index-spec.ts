// Milvus index types as densekit engine parameters: FLAT (exact), HNSW (M, efConstruction; ef at search),
// IVF_FLAT (nlist; nprobe at search), and the metric the encoder's similarity calls for.
import type { Similarity } from '../../../encoder/types.js';

export type MilvusIndexType = 'FLAT' | 'HNSW' | 'IVF_FLAT';
export const MILVUS_INDEX_TYPES: readonly MilvusIndexType[] = ['FLAT', 'HNSW', 'IVF_FLAT'];
export type MilvusMetric = 'IP' | 'COSINE';

export interface MilvusIndexSpec {
  readonly type: MilvusIndexType;
  /** HNSW: graph degree and build-time candidate list. */
  readonly M?: number;
  readonly efConstruction?: number;
  /** IVF_FLAT: number of clusters. */
  readonly nlist?: number;
}

export interface MilvusSearchParams {
  /** HNSW candidate list at search time (raised to k when smaller). */
  readonly ef?: number;
  /** IVF_FLAT clusters probed per query. */
  readonly nprobe?: number;
}

export const HNSW_DEFAULTS = { M: 16, efConstruction: 200 } as const;
export const IVF_DEFAULTS = { nlist: 1024 } as const;
export const SEARCH_DEFAULTS = { ef: 64, nprobe: 16 } as const;
/** Milvus refuses topk above this. */
export const MILVUS_MAX_TOPK = 16384;

export function metricFor(similarity: Similarity): MilvusMetric {
  return similarity === 'cosine' ? 'COSINE' : 'IP';
}

/** The spec with its type's defaults filled in and the other types' parameters refused. */
export function completeIndexSpec(spec: { type: string; M?: number | undefined; efConstruction?: number | undefined; nlist?: number | undefined }): MilvusIndexSpec {
  const type = spec.type.toUpperCase();
  if (!MILVUS_INDEX_TYPES.includes(type as MilvusIndexType)) throw new Error(`milvus index type ${JSON.stringify(spec.type)} is not one of ${MILVUS_INDEX_TYPES.join(', ')}`);
  const stray = (names: readonly ('M' | 'efConstruction' | 'nlist')[]): void => {
    for (const n of names) if (spec[n] !== undefined) throw new Error(`milvus index type ${type} takes no ${n}`);
  };
  if (type === 'HNSW') {
    stray(['nlist']);
    return { type, M: spec.M ?? HNSW_DEFAULTS.M, efConstruction: spec.efConstruction ?? HNSW_DEFAULTS.efConstruction };
  }
  if (type === 'IVF_FLAT') {
    stray(['M', 'efConstruction']);
    return { type, nlist: spec.nlist ?? IVF_DEFAULTS.nlist };
  }
  stray(['M', 'efConstruction', 'nlist']);
  return { type: 'FLAT' };
}

/** createIndex's params object for a spec. */
export function buildParamsOf(spec: MilvusIndexSpec): Record<string, number> {
  if (spec.type === 'HNSW') return { M: spec.M!, efConstruction: spec.efConstruction! };
  if (spec.type === 'IVF_FLAT') return { nlist: spec.nlist! };
  return {};
}

/** search's params object for a spec at top-k. */
export function searchParamsOf(spec: MilvusIndexSpec, params: MilvusSearchParams, k: number): Record<string, number> {
  if (spec.type === 'HNSW') return { ef: Math.max(k, params.ef ?? SEARCH_DEFAULTS.ef) };
  if (spec.type === 'IVF_FLAT') return { nprobe: Math.min(spec.nlist!, params.nprobe ?? SEARCH_DEFAULTS.nprobe) };
  return {};
}
