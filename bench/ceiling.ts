// The GEMM ceiling: how many GFLOP/s onnxruntime's own MatMul kernels reach on this machine for the
// matrix shapes of a BERT-base layer at 32×128 tokens, in float32 (MatMul) and int8
// (DynamicQuantizeMatMul, the op the int8 encoder graph uses), with 1 and 2 threads. Encoder
// throughput is reported as a fraction of this.
// Run: npx tsc -p . && node dist/bench/ceiling.js [--threads 1,2] [--tokens 4096] [--json bench/out/ceiling.json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import { int8MatmulSafeWithFullRange } from '../src/model/cpu-features.js';
import { GraphBuilder, MS_DOMAIN } from '../src/model/graph/onnx-builder.js';
import { quantizeColumns } from '../src/model/graph/quantize-weights.js';
import { BERT_BASE, type EncoderShape } from './flops.js';

export type Precision = 'fp32' | 'int8';

/** The (K, N) of each linear layer of one transformer layer: QKV, attention output, FFN in, FFN out. */
export function layerMatmulShapes(s: EncoderShape): readonly (readonly [number, number])[] {
  const h = s.hiddenSize;
  return [
    [h, 3 * h],
    [h, h],
    [h, s.intermediateSize],
    [s.intermediateSize, h],
  ];
}

export interface CeilingResult {
  readonly precision: Precision;
  readonly threads: number;
  /** Rows of the activation matrix (batch × sequence length). */
  readonly m: number;
  /** GFLOP/s per (K, N) shape. */
  readonly perShape: readonly { readonly k: number; readonly n: number; readonly gflops: number }[];
  /** Total FLOPs of the layer's four matmuls over their total time: the ceiling a whole layer could reach. */
  readonly layerMixGflops: number;
}

function deterministicFloats(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32 - 0.5) * scale;
  }
  return out;
}

function matmulModel(precision: Precision, k: number, n: number): Uint8Array {
  const g = new GraphBuilder('ceiling');
  const x = g.input('x', 'float32', ['m', k]);
  const weight = deterministicFloats(k * n, k * 31 + n, 0.08);
  let y: string;
  if (precision === 'fp32') {
    const w = g.initializer('w', weight, [k, n]);
    y = g.node('MatMul', [x, w], ['y'])[0]!;
  } else {
    const q = quantizeColumns(weight, k, n, int8MatmulSafeWithFullRange() ? 127 : 63);
    const w = g.initializer('w_q', q.values, [k, n]);
    const s = g.initializer('w_scale', q.scales, [n]);
    y = g.node('DynamicQuantizeMatMul', [x, w, s], ['y'], {}, MS_DOMAIN)[0]!;
  }
  g.output(y, 'float32', ['m', n]);
  return g.encode();
}

/** Median seconds of `runs` timed calls after one warm-up. */
async function medianSeconds(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number): Promise<number> {
  await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function measureCeiling(
  precision: Precision,
  threads: number,
  options: { readonly m?: number; readonly shape?: EncoderShape; readonly runs?: number } = {},
): Promise<CeilingResult> {
  const m = options.m ?? 4096;
  const runs = options.runs ?? 5;
  const perShape: { k: number; n: number; gflops: number }[] = [];
  let flops = 0;
  let seconds = 0;
  for (const [k, n] of layerMatmulShapes(options.shape ?? BERT_BASE)) {
    const session = await ort.InferenceSession.create(matmulModel(precision, k, n), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const x = new ort.Tensor('float32', deterministicFloats(m * k, 7, 2), [m, k]);
    const s = await medianSeconds(session, { x }, runs);
    await session.release();
    const f = 2 * m * k * n;
    perShape.push({ k, n, gflops: f / s / 1e9 });
    flops += f;
    seconds += s;
  }
  return { precision, threads, m, perShape, layerMixGflops: flops / seconds / 1e9 };
}

export function ceilingTable(results: readonly CeilingResult[]): string {
  const shapes = results[0]!.perShape.map((p) => `${p.k}×${p.n}`);
  const lines = [
    `| precision | threads | M | ${shapes.join(' | ')} | layer mix |`,
    `|---|---|---|${shapes.map(() => '---|').join('')}---|`,
  ];
  for (const r of results) {
    lines.push(`| ${r.precision} | ${r.threads} | ${r.m} | ${r.perShape.map((p) => p.gflops.toFixed(0)).join(' | ')} | **${r.layerMixGflops.toFixed(0)}** |`);
  }
  return lines.join('\n') + '\n\n(GFLOP/s; int8 is DynamicQuantizeMatMul including the per-call activation quantisation)';
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const threadCounts = (argValue('--threads') ?? '1,2').split(',').map(Number);
  const m = Number(argValue('--tokens') ?? 4096);
  const results: CeilingResult[] = [];
  for (const precision of ['fp32', 'int8'] as const) {
    for (const threads of threadCounts) results.push(await measureCeiling(precision, threads, { m }));
  }
  console.log(ceilingTable(results));
  const json = argValue('--json');
  if (json) {
    mkdirSync(dirname(json), { recursive: true });
    writeFileSync(json, JSON.stringify(results, null, 2));
  }
}
