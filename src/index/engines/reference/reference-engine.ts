// The reference engine: brute force, one query at a time, every stored row scored with the reference
// score (exact-score.ts, float64 sums in a fixed order), kept with a top-k heap in trec_eval's order.
// No coarse pass, no kernels, nothing to get wrong: slow (a few hundred thousand rows per second), so it
// is a test oracle for the fast exact engines and a minimal example of an engine, not a way to serve.
import { TopKHeap } from '../../../results/top-k-heap.js';
import type { IndexEngine } from '../engine.js';
import { exactInnerProduct } from '../exact-score.js';
import { localRowsOf } from '../local-rows.js';
import { readParams } from '../params.js';

/** Rows read per block, so memory stays bounded whatever the index size. */
const BLOCK_ROWS = 4096;

export const referenceEngine: IndexEngine = {
  kind: 'reference',
  summary: 'reference: brute-force float64 scores of every row, one query at a time (a slow test oracle; no parameters)',
  storage: 'local',
  exact: true,
  writesFiles: false,
  parseParams: (raw) => readParams('reference', raw, {}),
  build: async () => [],
  async open(context) {
    const { store, docids } = localRowsOf(context);
    const dim = store.dim;
    return {
      count: store.count,
      dims: dim,
      async search(queries, k) {
        queries.forEach((q, i) => {
          if (q.length !== dim) throw new Error(`reference engine: query ${i} has ${q.length} values, index dim is ${dim}`);
        });
        const heaps = queries.map(() => new TopKHeap(Math.min(k, store.count)));
        for (let start = 0; start < store.count; start += BLOCK_ROWS) {
          const n = Math.min(BLOCK_ROWS, store.count - start);
          const rows = store.readRows(start, n);
          queries.forEach((q, i) => {
            for (let r = 0; r < n; r++) heaps[i]!.push(exactInnerProduct(q, 0, rows, r * dim, dim), docids.tieRank(start + r), start + r);
          });
        }
        return heaps.map((heap) => {
          const best = heap.drainDescending();
          return best.ids.map((row, r) => ({ docid: docids.docid(row), score: best.scores[r]!, row }));
        });
      },
      describe: () => ({ kind: 'reference', params: context.record.params, searchParams: {} }),
      close: async () => {},
    };
  },
};
