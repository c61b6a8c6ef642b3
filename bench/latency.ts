// Single-query latency: encodes the SciFact test queries one at a time (tokenize → forward → pool →
// normalise, i.e. Encoder.encodeQueries([q])) and reports p50 / p99 per model, precision and thread count.
// Models: the BERT-base-sized random model (bench/random-bert.ts) and, when present, all-MiniLM-L6-v2.
// Run: npx tsc -p . && node dist/bench/latency.js [--minilm DIR] [--threads 1,2] [--max-length 32] [--json out.json]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readQueries } from '../src/corpus/index.js';
import { Encoder } from '../src/encoder/encoder.js';
import { randomBertBaseDir } from './random-bert.js';

const QUERIES = new URL('../../test/fixtures/data/scifact/queries.jsonl', import.meta.url).pathname;

export interface LatencyResult {
  readonly model: string;
  readonly quantize: 'none' | 'int8';
  readonly threads: number;
  readonly queries: number;
  readonly meanTokens: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function measureLatency(
  model: string,
  label: string,
  quantize: 'none' | 'int8',
  threads: number,
  texts: readonly string[],
  maxLength: number,
): Promise<LatencyResult> {
  const encoder = await Encoder.load(model, { threads, quantize, query: { maxLength } });
  try {
    for (const t of texts.slice(0, 20)) await encoder.encodeQueries([t]); // warm-up
    const ms: number[] = [];
    let tokens = 0;
    for (const t of texts) {
      tokens += encoder.tokenizeQuery(t).ids.length;
      const t0 = performance.now();
      await encoder.encodeQueries([t]);
      ms.push(performance.now() - t0);
    }
    const sorted = [...ms].sort((a, b) => a - b);
    return {
      model: label,
      quantize,
      threads,
      queries: texts.length,
      meanTokens: tokens / texts.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      meanMs: ms.reduce((a, b) => a + b, 0) / ms.length,
    };
  } finally {
    await encoder.dispose();
  }
}

export function latencyTable(results: readonly LatencyResult[]): string {
  const lines = ['| model | precision | threads | queries | mean tokens | p50 ms | p99 ms | mean ms |', '|---|---|---|---|---|---|---|---|'];
  for (const r of results) {
    lines.push(
      `| ${r.model} | ${r.quantize === 'none' ? 'fp32' : 'int8'} | ${r.threads} | ${r.queries} | ${r.meanTokens.toFixed(1)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.meanMs.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

export async function scifactQueryTexts(): Promise<string[]> {
  return (await readQueries(QUERIES)).map((q) => q.text);
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const threadCounts = (argValue('--threads') ?? '2').split(',').map(Number);
  const maxLength = Number(argValue('--max-length') ?? 32);
  const minilm = argValue('--minilm') ?? '/tmp/models/all-MiniLM-L6-v2';
  const texts = await scifactQueryTexts();
  const models: [string, string][] = [['BERT-base (random)', randomBertBaseDir()]];
  if (existsSync(minilm)) models.push(['all-MiniLM-L6-v2', minilm]);
  const results: LatencyResult[] = [];
  for (const [label, dir] of models) {
    for (const quantize of ['none', 'int8'] as const) {
      for (const threads of threadCounts) results.push(await measureLatency(dir, label, quantize, threads, texts, maxLength));
    }
  }
  console.log(latencyTable(results));
  const json = argValue('--json');
  if (json) {
    mkdirSync(dirname(json), { recursive: true });
    writeFileSync(json, JSON.stringify(results, null, 2));
  }
}
