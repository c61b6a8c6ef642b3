// TREC run files as written: one line per hit, `qid Q0 docid rank score tag`.
import { writeFile } from 'node:fs/promises';
import type { QueryHits } from './hits.js';

const NO_SPACE = /^\S+$/;

/**
 * Formats hits as TREC run lines (`qid Q0 docid rank score tag`), ranks counted from 1 in the
 * given order. Scores are written with full precision so ties (which trec_eval breaks by docid)
 * survive a round trip.
 */
export function writeTrecRun(hits: readonly QueryHits[], tag: string): string {
  if (!NO_SPACE.test(tag)) throw new Error(`run tag must be non-empty and contain no whitespace, got ${JSON.stringify(tag)}`);
  const out: string[] = [];
  for (const q of hits) {
    if (!NO_SPACE.test(q.qid)) throw new Error(`query id must be non-empty and contain no whitespace, got ${JSON.stringify(q.qid)}`);
    const seen = new Set<string>();
    q.hits.forEach((h, i) => {
      if (!NO_SPACE.test(h.docid)) throw new Error(`query ${q.qid}: docid must be non-empty and contain no whitespace, got ${JSON.stringify(h.docid)}`);
      if (!Number.isFinite(h.score)) throw new Error(`query ${q.qid}: score of ${h.docid} is not finite (${h.score})`);
      if (seen.has(h.docid)) throw new Error(`query ${q.qid}: document ${h.docid} is retrieved twice`);
      seen.add(h.docid);
      out.push(`${q.qid} Q0 ${h.docid} ${i + 1} ${h.score} ${tag}\n`);
    });
  }
  return out.join('');
}

/** Writes hits to a TREC run file. */
export async function saveTrecRun(path: string, hits: readonly QueryHits[], tag: string): Promise<void> {
  await writeFile(path, writeTrecRun(hits, tag));
}
