// What local engines share: their open context must carry the index's rows, and their row-numbered
// results become docid hits through the rows' docids.
import type { RowHits } from '../formats/vector-types.js';
import type { RowDocids } from '../formats/docid-index.js';
import type { EngineHit, EngineOpenContext, LocalRows } from './engine.js';

/** The local rows of an open context, or an error naming the engine (a remote index has none). */
export function localRowsOf(context: EngineOpenContext): LocalRows {
  if (!context.rows) throw new Error(`${context.dir}: the ${context.record.kind} engine searches local shard files, and this index has none`);
  return context.rows;
}

/** Row-numbered results as hits carrying docid, score and row. */
export function hitsOfRows(found: RowHits, docids: Pick<RowDocids, 'docid'>): EngineHit[][] {
  return found.ids.map((rows, q) => rows.map((row, r) => ({ docid: docids.docid(row), score: found.scores[q]![r]!, row })));
}
