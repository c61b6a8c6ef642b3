// The coarse graphs of the shard scan (shard-scan-index.ts): one session scores any block of a version 2
// shard as it lies on disk, the block being an input rather than an initializer, so nothing per block
// is held between runs and memory does not grow with the corpus.
// - int8: MatMulIntegerToFloat with the block's codes (uint8, zero point 128) as A [N, d] and the
//   queries' int8 codes as B [d, batch]: onnxruntime packs B, the small operand, on every call, and
//   streams A. (Codes as B, as the in-memory index has them, would need each block transposed first;
//   int8 × int8 runs on a slow generic kernel on x64.) Then the per-row scales (Mul) and a Transpose
//   to [batch, N] for the shared selection tail.
// - f16: Cast to float32 inside the graph (vectorised in onnxruntime) and the f32 Gemm.
// - f32: the Gemm over the block as it is.
import pkg from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { endianness } from 'node:os';
import { appendCandidateSelection, bytesOf, coarseSessionOptions, encodeCoarseModel, tensorType } from './score-graph.js';
import type { VectorDType } from './vector-types.js';

const { onnx } = pkg;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

/**
 * Inputs by dtype, then the selection inputs (k, tau, use_topk; see buildBlockGraph):
 * - int8: codes u8 [N, d], query_codes s8 [d, batch], query_scales f32 [batch], row_scales f32 [N, 1];
 *   scores = (codes − 128)ᵀ-products × query scale × row scale.
 * - f16 / f32: queries f32 [batch, d], rows f16 / f32 [N, d]; scores = queries · rowsᵀ.
 */
export function buildScanGraph(dtype: VectorDType, dim: number): Uint8Array {
  if (endianness() !== 'LE') throw new Error('densekit flat search needs a little-endian host');
  const initializer: pkg.onnx.ITensorProto[] = [];
  const nodes: pkg.onnx.INodeProto[] = [];
  const inputs: pkg.onnx.IValueInfoProto[] = [];
  if (dtype === 'int8') {
    inputs.push(
      { name: 'codes', type: tensorType(T.UINT8, ['n', dim]) },
      { name: 'query_codes', type: tensorType(T.INT8, [dim, 'batch']) },
      { name: 'query_scales', type: tensorType(T.FLOAT, ['batch']) },
      { name: 'row_scales', type: tensorType(T.FLOAT, ['n', 1]) },
    );
    initializer.push(
      { name: 'one', dims: [], dataType: T.FLOAT, rawData: bytesOf(new Float32Array([1])) },
      { name: 'code_zero', dims: [], dataType: T.UINT8, rawData: new Uint8Array([128]) },
    );
    nodes.push(
      {
        opType: 'MatMulIntegerToFloat', domain: 'com.microsoft', name: 'score',
        input: ['codes', 'query_codes', 'one', 'query_scales', 'code_zero'], output: ['by_query_scale'],
      },
      { opType: 'Mul', input: ['by_query_scale', 'row_scales'], output: ['scores_t'], name: 'row_scale' },
      { opType: 'Transpose', input: ['scores_t'], output: ['scores'], name: 'by_query', attribute: [{ name: 'perm', type: A.INTS, ints: [1, 0] }] },
    );
  } else {
    inputs.push(
      { name: 'queries', type: tensorType(T.FLOAT, ['batch', dim]) },
      { name: 'rows', type: tensorType(dtype === 'f16' ? T.FLOAT16 : T.FLOAT, ['n', dim]) },
    );
    if (dtype === 'f16') nodes.push({ opType: 'Cast', input: ['rows'], output: ['rows_f32'], name: 'widen', attribute: [{ name: 'to', type: A.INT, i: T.FLOAT }] });
    nodes.push({
      opType: 'Gemm', input: ['queries', dtype === 'f16' ? 'rows_f32' : 'rows'], output: ['scores'], name: 'score',
      attribute: [{ name: 'transB', type: A.INT, i: 1 }],
    });
  }
  appendCandidateSelection(nodes, inputs, initializer);
  return encodeCoarseModel(`densekit_shard_scan_${dtype}`, nodes, inputs, initializer);
}

/** One session for every block; its arena keeps the [batch, N] score matrices between runs. */
export async function createScanSession(dtype: VectorDType, dim: number, threads?: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(buildScanGraph(dtype, dim), coarseSessionOptions(threads, true));
}
