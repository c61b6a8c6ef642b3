// What every coarse scoring graph (shard-scan-graph.ts, used by FlatIndex and ShardScanIndex) ends
// with: after scores = queries × blockᵀ, either TopK (per query) or a threshold filter (scores > tau,
// per query), chosen per run by an `If`, so the [batch, rows] score matrix never leaves native memory.
// The rows are always an input, so nothing per block is held inside onnxruntime: MLAS packs them per
// call, O(rows·dim) against the GEMM's O(batch·rows·dim), amortised over a batch of 1024 queries
// (at 240 queries per call the int8 kernel ran 2× slower unpacked than prepacked; at 1024 on par).
// Spinning is off: pools left spinning after their run starved the next session's pool (a block took
// 150-400 ms instead of 135 when each block had its own session).
// Hand-written JS loops reach about 1 GFLOP/s here; these kernels reach 370-1200.
import pkg from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';

const { onnx } = pkg;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

export function tensorType(elemType: number, dims: (number | string)[]): pkg.onnx.ITypeProto {
  return { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } };
}

export function bytesOf(a: Float32Array | Int8Array | Uint8Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Appends the candidate selection every coarse graph ends with: from `scores` [B, N], either each
 * query's top k (use_topk: values [B*k] and column indices [B*k], each query's k best, sorted
 * descending) or every score strictly above its tau (values [M] and indices [2*M]: M query indices,
 * then M column indices). Inputs k (int64 [1]), tau (f32 [B,1]), use_topk (bool scalar).
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
