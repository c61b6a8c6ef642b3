import { evaluate, type EvalOptions, type MeasureValues } from './evaluate.js';
import { mergePerQuery, msmarcoMrr } from './msmarco-mrr.js';
import type { Qrels } from './qrels.js';
import type { Run } from './run.js';
import type { MeasureTable } from './report-text.js';
import { compareBytes } from './trec-order.js';

export const PRESET_NAMES = ['msmarco-dev', 'trec-dl', 'beir'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** Adds trec_eval results into a table, renaming each measure (e.g. `map` → `map_l2`). */
function addEvaluation(table: { all: MeasureValues; perQuery: Map<string, MeasureValues> }, qrels: Qrels, run: Run, options: EvalOptions, rename: (name: string) => string): void {
  // One measure at a time, so the table lists them in the preset's order (the headline number first),
  // not trec_eval's print order.
  for (const measure of options.measures ?? []) {
    const result = evaluate(qrels, run, { ...options, measures: [measure] });
    for (const [name, v] of Object.entries(result.all)) table.all[rename(name)] = v;
    for (const m of result.measures) {
      if (m.kind === 'num_q') continue;
      const values = new Map<string, number>();
      for (const [qid, row] of result.perQuery) values.set(qid, row[m.name]!);
      mergePerQuery(table.perQuery, rename(m.name), values);
    }
  }
}

/** Drops every hit whose docid equals its query id, as BEIR's EvaluateRetrieval does (ignore_identical_ids=True). */
export function dropSelfHits(run: Run): Run {
  const out: Run = new Map();
  for (const [qid, list] of run) {
    const keep = list.docids.map((d, i) => (d === qid ? -1 : i)).filter((i) => i >= 0);
    if (keep.length === list.docids.length) out.set(qid, list);
    else out.set(qid, { docids: keep.map((i) => list.docids[i]!), scores: keep.map((i) => list.scores[i]!), ranks: keep.map((i) => list.ranks[i]!) });
  }
  return out;
}

/**
 * The numbers each benchmark's papers report, computed the way each benchmark's own tooling does:
 * - `msmarco-dev`: `MRR@10` by MS MARCO's official script (see msmarcoMrr) and `recall_1000` by
 *   trec_eval `-c` (how Pyserini/Anserini report R@1k on the dev set; its qrels are all grade 1).
 * - `trec-dl`: `ndcg_cut_10` by trec_eval `-c`; `map_l2` and `recall_1000_l2` by trec_eval
 *   `-c -l 2` (TREC DL counts grade 1 as not relevant for these).
 * - `beir`: `ndcg_cut_10` and `recall_100` as BEIR's EvaluateRetrieval computes them: hits whose
 *   docid equals the query id are dropped, then pytrec_eval (trec_eval's code) at level 1, averaged
 *   over the run's topics that have qrels (no `-c`: qrels topics missing from the run are skipped).
 */
export function evaluatePreset(preset: PresetName, qrels: Qrels, run: Run): MeasureTable {
  const table = { all: {} as MeasureValues, perQuery: new Map<string, MeasureValues>() };
  switch (preset) {
    case 'msmarco-dev': {
      const mrr = msmarcoMrr(qrels, run, 10);
      table.all['MRR@10'] = mrr.mean;
      mergePerQuery(table.perQuery, 'MRR@10', mrr.perQuery);
      addEvaluation(table, qrels, run, { complete: true, measures: ['recall.1000'] }, (n) => n);
      break;
    }
    case 'trec-dl':
      addEvaluation(table, qrels, run, { complete: true, measures: ['ndcg_cut.10'] }, (n) => n);
      addEvaluation(table, qrels, run, { complete: true, level: 2, measures: ['map', 'recall.1000'] }, (n) => `${n}_l2`);
      break;
    case 'beir':
      addEvaluation(table, qrels, dropSelfHits(run), { measures: ['ndcg_cut.10', 'recall.100'] }, (n) => n);
      break;
  }
  const sorted = new Map([...table.perQuery].sort(([a], [b]) => compareBytes(a, b)));
  return { all: table.all, perQuery: sorted };
}
