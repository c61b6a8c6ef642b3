// The flat engine: exact inner-product search over every stored row. It writes no files of its own,
// so it also opens any local index "exactly" (`--exact`), whatever engine built it.
// Two ways to search, both exact and bit-identical in results:
// - scan (shard-scan-index.ts): the stored codes, block by block from the shard files, with memory a
//   constant whatever the corpus size and no per-row work at open. Used for blocked (version 2) f16
//   and int8 shards, and for f32 ones with the search parameter scan=on.
// - memory (flat-index.ts): every row decoded to float32 in memory at open, plus int8 codes for its
//   coarse pass; faster per query where it fits (f32 at small k), and what version 1 shards use.
import type { EngineParamValue, IndexEngine } from '../engine.js';
import { hitsOfRows, localRowsOf } from '../local-rows.js';
import { readParams } from '../params.js';
import type { VectorStore } from '../../formats/vector-store.js';
import type { RowHits, SearchOptions } from '../../formats/vector-types.js';
import { FlatIndex } from './flat-index.js';
import { ShardScanIndex } from './shard-scan-index.js';

type ScanChoice = 'auto' | 'on' | 'off';

function scanParam(value: EngineParamValue | undefined, name: string): ScanChoice {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw new Error(`${name} must be auto, on or off, got ${JSON.stringify(value)}`);
}

/** Whether `scan` picks the streaming scan for these shards (see the note at the top). */
export function usesScan(store: VectorStore, scan: ScanChoice): boolean {
  if (scan === 'off' || !ShardScanIndex.canScan(store.shards)) {
    if (scan === 'on') throw new Error('flat engine: scan=on needs blocked (version 2) shards; this index has version 1 shards (rebuild or re-import it)');
    return false;
  }
  return scan === 'on' || store.dtype !== 'f32';
}

export const flatEngine: IndexEngine = {
  kind: 'flat',
  summary: 'flat: exact search over the stored vectors (no parameters; search parameter scan=auto|on|off)',
  storage: 'local',
  exact: true,
  parseParams: (raw) => readParams('flat', raw, {}),
  searchParamNames: ['scan'],
  parseSearchParams: (raw) => readParams('flat', raw, { scan: scanParam }),
  writesFiles: false,
  build: async () => [],
  async open(context) {
    const rows = localRowsOf(context);
    const scan = (context.searchParams['scan'] as ScanChoice | undefined) ?? 'auto';
    const threads = context.threads !== undefined ? { threads: context.threads } : {};
    const index: { count: number; dim: number; search(q: readonly Float32Array[], k: number, o: SearchOptions): Promise<RowHits>; close(): Promise<void> } =
      usesScan(rows.store, scan) ? await ShardScanIndex.open(rows.store.shards, threads) : await FlatIndex.build(rows.store, threads);
    const mode = index instanceof ShardScanIndex ? 'scan' : 'memory';
    return {
      count: index.count,
      dims: index.dim,
      search: async (queries, k) => hitsOfRows(await index.search(queries, k, { tieRanks: rows.docids }), rows.docids),
      describe: () => ({ kind: 'flat', params: context.record.params, searchParams: { scan, mode } }),
      close: () => index.close(),
    };
  },
};
