// The coarse graphs of the shard scan (shard-scan-index.ts): one session scores any block of a version 2
// shard as it lies on disk, the block being an input rather than an initializer, so nothing per block
// is held between runs and memory does not grow with the corpus.
// - int8: QGemm (com.microsoft) with the queries' uint8 codes as A [batch, d] and the block's int8
//   codes as B, transposed (transB: [N, d] row-major, as stored), per-column scales = the rows' scales.
//   Measured against the alternatives on 1024 queries × 16,384 rows × 768 (same run, loaded machine):
//   QGemm 1.0, MatMulIntegerToFloat over a pre-transposed block 0.6, with the block as A [N, d] plus a
//   Mul and Transpose 0.36; int8 × int8 runs a generic kernel on x64 (0.05).
// - f16: Cast to float32 inside the graph (vectorised in onnxruntime) and the f32 Gemm.
// - f32: the Gemm over the block as it is.
import pkg from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { endianness } from 'node:os';
import { appendCandidateSelection, bytesOf, coarseSessionOptions, encodeCoarseModel, tensorType } from './score-graph.js';
import type { VectorDType } from '../../formats/vector-types.js';

const { onnx } = pkg;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

/**
 * Inputs by dtype, then the selection inputs (k, tau, use_topk; see buildBlockGraph):
 * - int8: query_codes u8 [batch, d] (zero point queryZeroPoint), codes s8 [N, d], row_scales f32 [N],
 *   code_zeros s8 [N] (zeros); scores = Σ (query code − zero point) · code × row scale, float32
 *   (the query's own scale is applied by the caller, which keeps TopK and thresholds per query).
 * - f16 / f32: queries f32 [batch, d], rows f16 / f32 [N, d]; scores = queries · rowsᵀ.
 */
export function buildScanGraph(dtype: VectorDType, dim: number, queryZeroPoint = 128): Uint8Array {
  if (endianness() !== 'LE') throw new Error('densekit flat search needs a little-endian host');
  const initializer: pkg.onnx.ITensorProto[] = [];
  const nodes: pkg.onnx.INodeProto[] = [];
  const inputs: pkg.onnx.IValueInfoProto[] = [];
  if (dtype === 'int8') {
    inputs.push(
      { name: 'query_codes', type: tensorType(T.UINT8, ['batch', dim]) },
      { name: 'codes', type: tensorType(T.INT8, ['n', dim]) },
      { name: 'row_scales', type: tensorType(T.FLOAT, ['n']) },
      // QGemm wants one zero point per scale; the codes are symmetric, so these are all 0.
      { name: 'code_zeros', type: tensorType(T.INT8, ['n']) },
    );
    initializer.push(
      { name: 'one', dims: [], dataType: T.FLOAT, rawData: bytesOf(new Float32Array([1])) },
      { name: 'query_zero', dims: [], dataType: T.UINT8, rawData: new Uint8Array([queryZeroPoint]) },
    );
    nodes.push({
      opType: 'QGemm', domain: 'com.microsoft', name: 'score',
      input: ['query_codes', 'one', 'query_zero', 'codes', 'row_scales', 'code_zeros'], output: ['scores'],
      attribute: [{ name: 'transB', type: A.INT, i: 1 }],
    });
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
export async function createScanSession(dtype: VectorDType, dim: number, queryZeroPoint: number, threads?: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(buildScanGraph(dtype, dim, queryZeroPoint), coarseSessionOptions(threads, true));
}
