// What int8 costs in retrieval quality: encodes BEIR SciFact (5,183 passages, 300 test queries) with
// all-MiniLM-L6-v2 in float32 and in int8, ranks by exact dot product (top 100), and scores nDCG@10
// with src/eval (trec_eval semantics). Also reports int8-vs-float32 cosine of the vectors themselves,
// on the corpus and on the golden texts of test/fixtures. Writes JSON for bench/encode-compare.ts.
// Run: npx tsc -p . && node dist/bench/scifact-quality.js [--model DIR] [--threads 2] [--json bench/out/scifact-quality.json]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readCorpus, readQueries, type CorpusRecord } from '../src/corpus/index.js';
import { Encoder } from '../src/encoder/encoder.js';
import { evaluate } from '../src/eval/evaluate.js';
import { readQrels } from '../src/eval/qrels.js';
import type { Run } from '../src/eval/run.js';

const DATA = new URL('../../test/fixtures/data/scifact/', import.meta.url).pathname;
const GOLDEN = new URL('../../test/fixtures/goldens/models/bert-tiny/expected.json', import.meta.url).pathname;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

function cosineStats(a: readonly Float32Array[], b: readonly Float32Array[]): { min: number; mean: number } {
  const c = a.map((v, i) => cosine(v, b[i]!));
  return { min: Math.min(...c), mean: c.reduce((s, x) => s + x, 0) / c.length };
}

/** Exact top-k by dot product (vectors are L2-normalised by the model's pooling settings). */
function topK(queries: readonly Float32Array[], qids: readonly string[], docs: readonly Float32Array[], docids: readonly string[], k: number): Run {
  const run: Run = new Map();
  queries.forEach((q, qi) => {
    const scores = docs.map((d) => {
      let s = 0;
      for (let j = 0; j < q.length; j++) s += q[j]! * d[j]!;
      return s;
    });
    const order = scores.map((_, i) => i).sort((x, y) => scores[y]! - scores[x]!).slice(0, k);
    run.set(qids[qi]!, { docids: order.map((i) => docids[i]!), scores: order.map((i) => scores[i]!), ranks: order.map((_, r) => r + 1) });
  });
  return run;
}

const model = argValue('--model') ?? '/tmp/models/all-MiniLM-L6-v2';
const threads = Number(argValue('--threads') ?? 2);
const corpus: CorpusRecord[] = [];
for await (const r of readCorpus(`${DATA}corpus.jsonl`)) corpus.push(r);
const queries = await readQueries(`${DATA}queries.jsonl`);
const qrels = await readQrels(`${DATA}qrels/test.tsv`);
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as { queries: string[]; passages: [string, string][] };

const results: Record<string, { ndcg10: number; encodeSeconds: number; docs: Float32Array[]; queries: Float32Array[]; golden: Float32Array[] }> = {};
for (const quantize of ['none', 'int8'] as const) {
  const encoder = await Encoder.load(model, { threads, quantize });
  const t0 = performance.now();
  const docVectors = await encoder.encodePassages(corpus);
  const encodeSeconds = (performance.now() - t0) / 1000;
  const queryVectors = await encoder.encodeQueries(queries.map((q) => q.text));
  const goldenVectors = [
    ...(await encoder.encodeQueries(golden.queries)),
    ...(await encoder.encodePassages(golden.passages.map(([title, text]) => ({ title, text })))),
  ];
  await encoder.dispose();
  const run = topK(queryVectors, queries.map((q) => q.id), docVectors, corpus.map((d) => d.id), 100);
  const ndcg10 = evaluate(qrels, run, { measures: ['ndcg_cut.10'] }).all['ndcg_cut_10']!;
  results[quantize] = { ndcg10, encodeSeconds, docs: docVectors, queries: queryVectors, golden: goldenVectors };
  console.error(`${quantize}: nDCG@10 ${ndcg10.toFixed(4)}, corpus encoded in ${encodeSeconds.toFixed(1)} s`);
}
const fp32 = results.none!;
const int8 = results.int8!;
const summary = {
  model,
  threads,
  corpus: corpus.length,
  queries: queries.length,
  ndcg10: { fp32: fp32.ndcg10, int8: int8.ndcg10, loss: fp32.ndcg10 - int8.ndcg10 },
  encodeSeconds: { fp32: fp32.encodeSeconds, int8: int8.encodeSeconds },
  cosineInt8VsFp32: {
    corpus: cosineStats(int8.docs, fp32.docs),
    queries: cosineStats(int8.queries, fp32.queries),
    golden: cosineStats(int8.golden, fp32.golden),
  },
  date: new Date().toISOString(),
};
console.log(JSON.stringify(summary, null, 2));
const json = argValue('--json');
if (json) {
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(json, JSON.stringify(summary, null, 2));
}
