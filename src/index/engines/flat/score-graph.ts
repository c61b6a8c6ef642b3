// The coarse scoring graphs: scores = queries × blockᵀ, then either TopK (per query) or a threshold
// filter (scores > tau, per query), chosen per run by an `If`, so the [batch, rows] score matrix never
// leaves native memory.
// - f32: ONE session for every block; the block's rows are an input (Gemm transB over the row-major
//   rows the index keeps for rescoring anyway), so the corpus is held once. MLAS packs B per call,
//   which costs O(rows·dim) against the GEMM's O(batch·rows·dim): measured as fast as a prepacked
//   initializer (~370 GFLOP/s on 2 threads at 1000 queries × 32768 rows).
// - int8: one session per block with the codes as an initializer: MLAS's u8s8 kernel is ~2× slower
//   when it must pack its B on every call (measured 500 vs 1100 GFLOP/s), so prepacking pays here.
// Spinning is off: with one thread pool per session, pools left spinning after their run starved the
// next block's pool (a block took 150-400 ms instead of 135).
// Hand-written JS loops reach about 1 GFLOP/s here; these kernels reach 370-1200.
import pkg from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { availableParallelism, endianness } from 'node:os';

const { onnx } = pkg;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

/**
 * 'f32': Gemm(queries f32 [B,d], rows f32 [N,d], transB).
 * 'int8': MatMulIntegerToFloat(queries u8 [B,d] minus a zero point, block codes s8 [d,N], per-row
 *  scales [N]); an approximate score used only to pick candidates (see flat-index.ts).
 */
export type CoarseKind = 'f32' | 'int8';

export interface BlockGraphSpec {
  readonly kind: CoarseKind;
  readonly dim: number;
  /** int8 only (f32 blocks are inputs of any row count). */
  readonly rows?: number;
  /** int8 only: [dim, rows] row-major, column r holding the codes of the block's row r. */
  readonly blockT?: Int8Array;
  /** int8 only: the per-row dequantisation scales. */
  readonly scales?: Float32Array;
  /** int8 only: the zero point subtracted from the uint8 query codes. */
  readonly queryZeroPoint?: number;
}

export function tensorType(elemType: number, dims: (number | string)[]): pkg.onnx.ITypeProto {
  return { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } };
}

export function bytesOf(a: Float32Array | Int8Array | Uint8Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Appends the candidate selection every coarse graph ends with: from `scores` [B, N], either each
 * query's top k (use_topk) or every score above its tau (see buildBlockGraph for the outputs).
 */
export function appendCandidateSelection(
  nodes: pkg.onnx.INodeProto[], inputs: pkg.onnx.IValueInfoProto[], initializer: pkg.onnx.ITensorProto[],
): void {
  initializer.push({ name: 'flat_shape', dims: [1], dataType: T.INT64, rawData: bytesOf(BigInt64Array.from([-1n])) });
  inputs.push(
    { name: 'k', type: tensorType(T.INT64, [1]) },
    { name: 'tau', type: tensorType(T.FLOAT, ['batch', 1]) },
    { name: 'use_topk', type: tensorType(T.BOOL, []) },
  );
  const flatOut = (name: string, elem: number): pkg.onnx.IValueInfoProto => ({ name, type: tensorType(elem, ['m']) });
  const topkBranch: pkg.onnx.IGraphProto = {
    name: 'topk_branch',
    node: [
      {
        opType: 'TopK', input: ['scores', 'k'], output: ['tk_values', 'tk_indices'], name: 'topk',
        attribute: [{ name: 'axis', type: A.INT, i: 1 }, { name: 'largest', type: A.INT, i: 1 }, { name: 'sorted', type: A.INT, i: 1 }],
      },
      { opType: 'Reshape', input: ['tk_values', 'flat_shape'], output: ['tk_values_flat'], name: 'tk_flat_v' },
      { opType: 'Reshape', input: ['tk_indices', 'flat_shape'], output: ['tk_indices_flat'], name: 'tk_flat_i' },
    ],
    output: [flatOut('tk_values_flat', T.FLOAT), flatOut('tk_indices_flat', T.INT64)],
  };
  const thresholdBranch: pkg.onnx.IGraphProto = {
    name: 'threshold_branch',
    node: [
      { opType: 'Greater', input: ['scores', 'tau'], output: ['th_mask'], name: 'above' },
      { opType: 'NonZero', input: ['th_mask'], output: ['th_nz'], name: 'where' },
      { opType: 'Transpose', input: ['th_nz'], output: ['th_nz_t'], name: 'pairs', attribute: [{ name: 'perm', type: A.INTS, ints: [1, 0] }] },
      { opType: 'GatherND', input: ['scores', 'th_nz_t'], output: ['th_values'], name: 'gather' },
      { opType: 'Reshape', input: ['th_nz', 'flat_shape'], output: ['th_indices_flat'], name: 'th_flat_i' },
    ],
    output: [flatOut('th_values', T.FLOAT), flatOut('th_indices_flat', T.INT64)],
  };
  nodes.push({
    opType: 'If', input: ['use_topk'], output: ['out_values', 'out_indices'], name: 'select',
    attribute: [
      { name: 'then_branch', type: A.GRAPH, g: topkBranch },
      { name: 'else_branch', type: A.GRAPH, g: thresholdBranch },
    ],
  });
}

/** The ONNX model of a coarse graph whose selection tail has been appended. */
export function encodeCoarseModel(
  name: string, nodes: pkg.onnx.INodeProto[], inputs: pkg.onnx.IValueInfoProto[], initializer: pkg.onnx.ITensorProto[],
): Uint8Array {
  const flatOut = (n: string, elem: number): pkg.onnx.IValueInfoProto => ({ name: n, type: tensorType(elem, ['m']) });
  const model: pkg.onnx.IModelProto = {
    irVersion: 8,
    producerName: 'densekit',
    opsetImport: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
    graph: { name, node: nodes, input: inputs, initializer, output: [flatOut('out_values', T.FLOAT), flatOut('out_indices', T.INT64)] },
  };
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Inputs: queries, (f32 only) rows [N,d], k (int64 [1]), tau (f32 [B,1]), use_topk (bool scalar).
 * Outputs (both flat): with use_topk, values [B*k] and column indices [B*k] (each query's k best,
 * sorted descending); otherwise values [M] and indices [2*M] (M query indices, then M column indices)
 * of every score strictly greater than that query's tau.
 */
export function buildBlockGraph(spec: BlockGraphSpec): Uint8Array {
  if (endianness() !== 'LE') throw new Error('densekit flat search needs a little-endian host');
  const { kind, dim } = spec;
  const initializer: pkg.onnx.ITensorProto[] = [];
  const nodes: pkg.onnx.INodeProto[] = [];
  const inputs: pkg.onnx.IValueInfoProto[] = [];
  if (kind === 'f32') {
    inputs.push(
      { name: 'queries', type: tensorType(T.FLOAT, ['batch', dim]) },
      { name: 'rows', type: tensorType(T.FLOAT, ['n', dim]) },
    );
    nodes.push({ opType: 'Gemm', input: ['queries', 'rows'], output: ['scores'], name: 'score', attribute: [{ name: 'transB', type: A.INT, i: 1 }] });
  } else {
    const rows = spec.rows!;
    if (!spec.blockT || !spec.scales || spec.blockT.length !== rows * dim || spec.scales.length !== rows) {
      throw new Error('flat index: an int8 block needs rows, codes [dim, rows] and one scale per row');
    }
    inputs.push({ name: 'queries', type: tensorType(T.UINT8, ['batch', dim]) });
    initializer.push(
      { name: 'block', dims: [dim, rows], dataType: T.INT8, rawData: bytesOf(spec.blockT) },
      { name: 'block_scales', dims: [rows], dataType: T.FLOAT, rawData: bytesOf(spec.scales!) },
      { name: 'query_scale', dims: [], dataType: T.FLOAT, rawData: bytesOf(new Float32Array([1])) },
      { name: 'query_zero', dims: [], dataType: T.UINT8, rawData: new Uint8Array([spec.queryZeroPoint!]) },
    );
    nodes.push({
      opType: 'MatMulIntegerToFloat',
      domain: 'com.microsoft',
      input: ['queries', 'block', 'query_scale', 'block_scales', 'query_zero'],
      output: ['scores'],
      name: 'score',
    });
  }
  appendCandidateSelection(nodes, inputs, initializer);
  return encodeCoarseModel(`densekit_flat_block_${kind}`, nodes, inputs, initializer);
}

/** Session options every coarse graph runs with (see the spinning note at the top). */
export function coarseSessionOptions(threads: number | undefined, arena: boolean): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads ?? availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: arena,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

export async function createBlockSession(spec: BlockGraphSpec, threads?: number): Promise<ort.InferenceSession> {
  // int8: one session per block, each of whose arenas would otherwise keep its own [batch, rows]
  // score matrix (131 MB at 1000 × 32768) alive: 4 GB over a 1M-row corpus.
  return ort.InferenceSession.create(buildBlockGraph(spec), coarseSessionOptions(threads, spec.kind === 'f32'));
}
