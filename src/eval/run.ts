import { readTextFile } from '../corpus/text-lines.js';
import type { QueryHits } from '../results/hits.js';

/** The retrieved documents of one topic, in file order (columnar, so big runs stay compact). */
export interface RankedList {
  readonly docids: string[];
  readonly scores: number[];
  /** The run file's rank column. trec_eval ignores it; MS MARCO's official MRR script orders by it. */
  readonly ranks: number[];
}

/** A retrieval run: topic id → retrieved documents. */
export type Run = Map<string, RankedList>;

const INTEGER = /^[+-]?\d+$/;

/**
 * Parses a run. Lines are TREC format (`qid Q0 docid rank score tag`, whitespace-separated), or
 * MS MARCO's `qid docid rank` (then the score is taken as 1/rank so that score order equals rank
 * order). A docid repeated within one topic is an error, as trec_eval refuses such runs.
 */
export function parseTrecRun(text: string, source = 'run'): Run {
  const run: Run = new Map();
  const seen = new Map<string, Set<string>>();
  const cols: string[] = [];
  let lastQid = '';
  let list: { docids: string[]; scores: number[]; ranks: number[] } | undefined;
  let docs: Set<string> | undefined;
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const lineStart = start;
    const n = splitFields(text, start, end, cols);
    start = end + 1;
    if (n === 0) continue;
    const where = `${source}:${lineNo}`;
    let qid: string, docid: string, rankText: string, score: number;
    if (n === 6) {
      qid = cols[0]!;
      docid = cols[2]!;
      rankText = cols[3]!;
      score = Number(cols[4]);
      if (!Number.isFinite(score)) throw new Error(`${where}: score must be a finite number, got ${JSON.stringify(cols[4])}`);
    } else if (n === 3) {
      [qid, docid, rankText] = cols as [string, string, string];
      score = Number.NaN; // set from the rank below
    } else {
      throw new Error(`${where}: malformed run line (expected "qid Q0 docid rank score tag" or "qid docid rank", got ${n} columns): ${JSON.stringify(text.slice(lineStart, end).trim())}`);
    }
    const rank = Number(rankText);
    if (!Number.isInteger(rank) || !INTEGER.test(rankText)) throw new Error(`${where}: rank must be an integer, got ${JSON.stringify(rankText)}`);
    if (n === 3) {
      if (rank < 1) throw new Error(`${where}: rank must be at least 1 in a "qid docid rank" run, got ${rank}`);
      score = 1 / rank;
    }
    if (qid !== lastQid || !list || !docs) {
      list = run.get(qid);
      docs = seen.get(qid);
      if (!list || !docs) {
        list = { docids: [], scores: [], ranks: [] };
        docs = new Set();
        run.set(qid, list);
        seen.set(qid, docs);
      }
      lastQid = qid;
    }
    if (docs.has(docid)) throw new Error(`${where}: document ${docid} appears twice for topic ${qid} (trec_eval refuses duplicate docids within a topic)`);
    docs.add(docid);
    list.docids.push(docid);
    list.scores.push(score);
    list.ranks.push(rank);
  }
  return run;
}

/**
 * Splits text[start, end) at runs of whitespace into `out` (reused across lines to avoid garbage),
 * returning the field count (at most 7; only 3 and 6 are valid). Hand-rolled because a regex split
 * per line dominated the time to read MS MARCO-sized runs (millions of lines).
 */
function splitFields(text: string, start: number, end: number, out: string[]): number {
  let n = 0;
  let i = start;
  while (i < end) {
    let c = text.charCodeAt(i);
    while (i < end && (c === 32 || c === 9 || c === 13 || c === 11 || c === 12)) c = text.charCodeAt(++i);
    if (i >= end) break;
    const fieldStart = i;
    while (i < end && c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) c = text.charCodeAt(++i);
    if (n < 7) out[n] = text.slice(fieldStart, i);
    n++;
  }
  return n;
}

/** Reads a TREC (or MS MARCO 3-column) run file; errors name file:line. */
export async function readTrecRun(path: string): Promise<Run> {
  return parseTrecRun(await readTextFile(path), path);
}

/** Builds a Run from in-memory search results; ranks are positions in each hit list. */
export function runFromHits(hits: readonly QueryHits[]): Run {
  const run: Run = new Map();
  for (const q of hits) {
    if (run.has(q.qid)) throw new Error(`query ${q.qid} appears twice in the hits`);
    const docids: string[] = [];
    const scores: number[] = [];
    const ranks: number[] = [];
    const seen = new Set<string>();
    q.hits.forEach((h, i) => {
      if (seen.has(h.docid)) throw new Error(`query ${q.qid}: document ${h.docid} is retrieved twice`);
      seen.add(h.docid);
      docids.push(h.docid);
      scores.push(h.score);
      ranks.push(i + 1);
    });
    run.set(q.qid, { docids, scores, ranks });
  }
  return run;
}
