// The flat engine: exact inner-product search over every stored row (see flat-index.ts for how it
// stays exact with a fast coarse pass). It writes no files of its own, so it also opens any local
// index "exactly" (`--exact`), whatever engine built it.
import type { IndexEngine } from '../engine.js';
import { hitsOfRows, localRowsOf } from '../local-rows.js';
import { readParams } from '../params.js';
import { FlatIndex } from './flat-index.js';

export const flatEngine: IndexEngine = {
  kind: 'flat',
  summary: 'flat: exact search over the stored vectors (no parameters)',
  storage: 'local',
  exact: true,
  parseParams: (raw) => readParams('flat', raw, {}),
  writesFiles: false,
  build: async () => [],
  async open(context) {
    const rows = localRowsOf(context);
    const index = await FlatIndex.build(rows.store, context.threads !== undefined ? { threads: context.threads } : {});
    return {
      count: index.count,
      dims: index.dim,
      search: async (queries, k) => hitsOfRows(await index.search(queries, k, { tieRanks: rows.tieRanks }), rows.docids),
      describe: () => ({ kind: 'flat', params: context.record.params, searchParams: {} }),
      close: () => index.close(),
    };
  },
};
