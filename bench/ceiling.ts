// The GEMM ceiling: how many GFLOP/s onnxruntime's own MatMul kernels reach on this machine for the
// matrix shapes of a BERT-base layer at 32×128 tokens, in float32 (MatMul) and int8
// (DynamicQuantizeMatMul, the op the int8 encoder graph uses), with 1 and 2 threads, as chains of
// matmuls inside one graph (like the encoder's own). Encoder
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
  /** GFLOP/s per (K, N) shape chained with its (N, K) back projection (one figure for h×h alone). */
  readonly perShape: readonly { readonly k: number; readonly n: number; readonly gflops: number }[];
  /** GFLOP/s of a chain of the layer's matmul shapes (with back projections): the ceiling the encoder is measured against. */
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

/**
 * One graph of `blocks` chained matmuls of the given shapes (each [K, N] followed by a [N, K] back
 * projection where N ≠ K, so the chain stays well-formed). Chaining inside one graph keeps the copy of
 * inputs and outputs across the JS boundary out of the timing: a lone MatMul per run measured ~25% low.
 * Returns the model and the FLOPs of one run per row of the activation matrix.
 */
function matmulChainModel(precision: Precision, shapes: readonly (readonly [number, number])[], blocks: number): { model: Uint8Array; flopsPerRow: number } {
  const g = new GraphBuilder('ceiling');
  const k0 = shapes[0]![0];
  let x = g.input('x', 'float32', ['m', k0]);
  let flopsPerRow = 0;
  let seed = 1;
  const matmul = (input: string, k: number, n: number): string => {
    flopsPerRow += 2 * k * n;
    const weight = deterministicFloats(k * n, seed++, 0.08);
    if (precision === 'fp32') {
      const w = g.initializer('w', weight, [k, n]);
      return g.node('MatMul', [input, w], ['y'])[0]!;
    }
    const q = quantizeColumns(weight, k, n, int8MatmulSafeWithFullRange() ? 127 : 63);
    const w = g.initializer('w_q', q.values, [k, n]);
    const s = g.initializer('w_scale', q.scales, [n]);
    return g.node('DynamicQuantizeMatMul', [input, w, s], ['y'], {}, MS_DOMAIN)[0]!;
  };
  for (let b = 0; b < blocks; b++) {
    for (const [k, n] of shapes) {
      if (k !== k0) continue; // shapes that start from the hidden size; their back projection covers the rest
      x = matmul(x, k, n);
      if (n !== k0) x = matmul(x, n, k0);
    }
  }
  g.output(x, 'float32', ['m', k0]);
  return { model: g.encode(), flopsPerRow };
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
  const shapes = layerMatmulShapes(options.shape ?? BERT_BASE);
  const perShape: { k: number; n: number; gflops: number }[] = [];
  const measure = async (chain: readonly (readonly [number, number])[], blocks: number): Promise<number> => {
    const { model, flopsPerRow } = matmulChainModel(precision, chain, blocks);
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const k = chain[0]![0];
    const x = new ort.Tensor('float32', deterministicFloats(m * k, 7, 2), [m, k]);
    const s = await medianSeconds(session, { x }, runs);
    await session.release();
    return (flopsPerRow * m) / s / 1e9;
  };
  for (const [k, n] of shapes) {
    if (k !== shapes[0]![0]) continue;
    // [h, n] then [n, h]: one figure for the pair (the FFN's in and out, QKV-sized and back, h×h alone).
    perShape.push({ k, n, gflops: await measure([[k, n]], 4) });
  }
  return { precision, threads, m, perShape, layerMixGflops: await measure(shapes, 2) };
}

export function ceilingTable(results: readonly CeilingResult[]): string {
  const shapes = results[0]!.perShape.map((p) => (p.k === p.n ? `${p.k}×${p.n}` : `${p.k}×${p.n}+${p.n}×${p.k}`));
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
