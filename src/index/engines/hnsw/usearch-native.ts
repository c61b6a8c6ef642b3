/**
 * usearch's native index, reached through the addon its package ships rather than its JS wrapper.
 * Why: the wrapper converts every input to Float32Array before the addon sees it, so an i8 index can
 * only be fed floats that usearch then scales per vector to unit length (cosine, not inner product)
 * and truncates; the addon itself takes Int8Array rows and queries as they are. It also copies each
 * batch and re-wraps results, which a per-query server path pays for on every call.
 *
 * The addon is loaded with the same node-gyp-build call the wrapper makes (so it is the same binary),
 * resolved from the usearch package wherever npm put it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** usearch's CompiledIndex (javascript/lib.cpp): the methods densekit uses. */
export interface NativeIndex {
  add(keys: BigUint64Array, vectors: Float32Array | Int8Array, threads: number): void;
  /** [keys, distances, counts]: `k` slots per query, the first counts[q] filled. */
  search(queries: Float32Array | Int8Array, k: number, threads: number): [BigUint64Array, Float32Array, BigUint64Array];
  save(path: string): void;
  load(path: string): void;
  /** Memory-maps the file: vectors and graph stay in the page cache, not on the heap. */
  view(path: string): void;
  size(): number;
  dimensions(): number;
  connectivity(): number;
}

interface NativeModule {
  CompiledIndex: new (dim: number, metric: string, quantization: string, connectivity: number, expansionAdd: number, expansionSearch: number, multi: boolean) => NativeIndex;
  version(): string;
}

let loaded: NativeModule | undefined;

function native(): NativeModule {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const main = require.resolve('usearch'); // <root>/javascript/dist/cjs/usearch.js
    const root = join(dirname(main), '..', '..', '..');
    const build = createRequire(main)('node-gyp-build') as (dir: string) => NativeModule;
    loaded = build(root);
  }
  return loaded;
}

/** How usearch stores vectors: scalar kinds named as usearch names them. */
export type UsearchScalar = 'f32' | 'f16' | 'i8';

export function newNativeIndex(o: { dim: number; quantization: UsearchScalar; M: number; efConstruction: number; efSearch: number }): NativeIndex {
  // Inner product ('ip'): usearch's distance is 1 − dot (for i8, 1 − the integer dot of the codes).
  return new (native().CompiledIndex)(o.dim, 'ip', o.quantization, o.M, o.efConstruction, o.efSearch, false);
}

export function usearchVersion(): string {
  return native().version();
}
