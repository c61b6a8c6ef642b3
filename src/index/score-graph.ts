// One ONNX graph per corpus block: scores = queries × blockᵀ, then either TopK (per query) or a
// threshold filter (scores > tau, per query), chosen per run by an `If`. The block is a graph
// initialiser so onnxruntime prepacks it once for its GEMM kernels (f32: MLAS SGEMM; int8: MLAS
// U8S8 with VNNI where the CPU has it), and the [batch, rows] score matrix never leaves native memory.
// Hand-written JS loops reach about 1 GFLOP/s here; these kernels reach 150-470.
import pkg from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { availableParallelism, endianness } from 'node:os';

const { onnx } = pkg;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

/**
 * 'f32': MatMul(queries f32 [B,d], block f32 [d,N]).
 * 'int8': MatMulIntegerToFloat(queries u8 [B,d] minus a zero point, block codes s8 [d,N], per-row
 *  scales [N]); an approximate score used only to pick candidates (see flat-index.ts).
 */
export type CoarseKind = 'f32' | 'int8';

export interface BlockGraphSpec {
  readonly kind: CoarseKind;
  readonly dim: number;
  readonly rows: number;
  /** [dim, rows] row-major: column r is corpus row r of the block (f32 values or int8 codes). */
  readonly blockT: Float32Array | Int8Array;
  /** int8 only: the per-row dequantisation scales. */
  readonly scales?: Float32Array;
  /** int8 only: the zero point subtracted from the uint8 query codes. */
  readonly queryZeroPoint?: number;
}

function tensorType(elemType: number, dims: (number | string)[]): pkg.onnx.ITypeProto {
  return { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } };
}

function bytesOf(a: Float32Array | Int8Array | Uint8Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Inputs: queries, k (int64 [1]), tau (f32 [B,1]), use_topk (bool scalar).
 * Outputs (both flat): with use_topk, values [B*k] and column indices [B*k] (each query's k best,
 * sorted descending); otherwise values [M] and indices [2*M] (M query indices, then M column indices)
 * of every score strictly greater than that query's tau.
 */
export function buildBlockGraph(spec: BlockGraphSpec): Uint8Array {
  if (endianness() !== 'LE') throw new Error('densekit flat search needs a little-endian host');
  const { kind, dim, rows } = spec;
  const initializer: pkg.onnx.ITensorProto[] = [];
  const nodes: pkg.onnx.INodeProto[] = [];
  const inputs: pkg.onnx.IValueInfoProto[] = [];
  if (kind === 'f32') {
    inputs.push({ name: 'queries', type: tensorType(T.FLOAT, ['batch', dim]) });
    initializer.push({ name: 'block', dims: [dim, rows], dataType: T.FLOAT, rawData: bytesOf(spec.blockT) });
    nodes.push({ opType: 'MatMul', input: ['queries', 'block'], output: ['scores'], name: 'score' });
  } else {
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
  const model: pkg.onnx.IModelProto = {
    irVersion: 8,
    producerName: 'densekit',
    opsetImport: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
    graph: {
      name: `densekit_flat_block_${kind}`,
      node: nodes,
      input: inputs,
      initializer,
      output: [flatOut('out_values', T.FLOAT), flatOut('out_indices', T.INT64)],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

export async function createBlockSession(spec: BlockGraphSpec, threads?: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(buildBlockGraph(spec), {
    intraOpNumThreads: threads ?? availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}
