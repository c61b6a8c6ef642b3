/** Element types found in Hugging Face checkpoints (safetensors names; torch storages map onto these). */
export type DType =
  | 'F64' | 'F32' | 'F16' | 'BF16'
  | 'I64' | 'I32' | 'I16' | 'I8'
  | 'U64' | 'U32' | 'U16' | 'U8'
  | 'BOOL';

/** One named weight as stored in a checkpoint file. */
export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /**
   * The values as float32, row-major, honouring storage offset and strides.
   * Zero-copy where the stored data is contiguous, aligned F32; a fresh array otherwise.
   */
  float32(): Float32Array;
}

/** All weights of a checkpoint, by their names in the file (before any normalisation). */
export type StateDict = Map<string, Tensor>;
