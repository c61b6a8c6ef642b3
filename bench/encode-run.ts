// The densekit side of bench/encode-compare.ts, run in its own process so each engine's peak RSS is
// its own: loads an Encoder, encodes the texts of a JSON list as passages, prints one JSON line.
// Usage: node dist/bench/encode-run.js --model DIR --texts texts.json --max-length 256
//          [--quantize int8] [--threads 2] [--runs 1] [--pooling mean] [--embeddings out.f32]
//          [--token-budget N] [--batch-size N]
import { readFileSync, writeFileSync } from 'node:fs';
import { Encoder } from '../src/encoder/encoder.js';
import type { Pooling } from '../src/encoder/types.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const model = arg('--model');
const textsPath = arg('--texts');
if (!model || !textsPath) throw new Error('usage: encode-run --model DIR --texts texts.json --max-length N [--quantize int8] [--threads N] [--runs N]');
const maxLength = Number(arg('--max-length') ?? 256);
const threads = Number(arg('--threads') ?? 2);
const runs = Number(arg('--runs') ?? 1);
const quantize = (arg('--quantize') ?? 'none') as 'none' | 'int8';
const pooling = arg('--pooling') as Pooling | undefined;
const tokenBudget = arg('--token-budget');
const batchSize = arg('--batch-size');
const texts = JSON.parse(readFileSync(textsPath, 'utf8')) as string[];

const t0 = performance.now();
const encoder = await Encoder.load(model, {
  threads,
  quantize,
  ...(tokenBudget ? { tokenBudget: Number(tokenBudget) } : {}),
  ...(batchSize ? { batchSize: Number(batchSize) } : {}),
  passage: { maxLength, passageFormat: 'text', ...(pooling ? { pooling } : {}) },
});
const loadSeconds = (performance.now() - t0) / 1000;
const passages = texts.map((text) => ({ text }));
const tokens = passages.reduce((n, p) => n + encoder.tokenizePassage(p).ids.length, 0);

await encoder.encodePassages(passages.slice(0, 32)); // warm-up
const times: number[] = [];
const cpu0 = process.cpuUsage();
let vectors: Float32Array[] = [];
for (let r = 0; r < runs; r++) {
  const t = performance.now();
  vectors = await encoder.encodePassages(passages);
  times.push((performance.now() - t) / 1000);
}
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
const embeddingsPath = arg('--embeddings');
if (embeddingsPath) {
  const flat = new Float32Array(vectors.length * encoder.dims);
  vectors.forEach((v, i) => flat.set(v, i * encoder.dims));
  writeFileSync(embeddingsPath, flat);
}
await encoder.dispose();
console.log(
  JSON.stringify({
    engine: 'densekit',
    quantize,
    threads,
    loadSeconds,
    sequences: texts.length,
    tokens,
    seconds: times[Math.floor(times.length / 2)],
    /** CPU seconds per run (all threads): a load-robust companion to the wall time on a shared machine. */
    cpuSeconds: (cpu.user + cpu.system) / 1e6 / runs,
    dims: encoder.dims,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
