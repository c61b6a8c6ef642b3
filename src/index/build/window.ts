// Encodes one build window: sorts its passages by token length so each batch pads little, encodes the
// batches, and puts the vectors back in corpus order. The batches depend only on the window's content,
// so the same window always gives the same bytes (which resume and slice+merge rely on).
import type { PassageInput } from '../../encoder/types.js';
import type { Encoding } from '../../tokenizer/types.js';
import { l2NormalizeRows } from '../normalize.js';

/**
 * What the build needs from an encoder beyond TextEncoder: tokenizing apart from encoding, so each
 * passage is tokenized once, both for length sorting and for the forward pass.
 */
export interface WindowEncoder {
  readonly dims: number;
  tokenizePassage(passage: PassageInput): Encoding;
  encodePassageEncodings(encodings: readonly Encoding[]): Promise<Float32Array[]>;
}

export interface WindowOptions {
  readonly batchSize: number;
  /** L2-normalise each vector (cosine similarity with an encoder that does not normalise itself). */
  readonly normalize: boolean;
  /** Called after each batch with the number of passages it held. */
  readonly onBatch?: (passages: number) => void;
}

/** Row-major vectors (passages.length × dims) of `passages`, in their given order. */
export async function encodeWindow(encoder: WindowEncoder, passages: readonly PassageInput[], options: WindowOptions): Promise<Float32Array> {
  const dims = encoder.dims;
  const encodings = passages.map((p) => encoder.tokenizePassage(p));
  // Longest first (the biggest batch is met at once, not after hours); equal lengths keep corpus order.
  const order = passages.map((_, i) => i).sort((a, b) => encodings[b]!.ids.length - encodings[a]!.ids.length || a - b);
  const out = new Float32Array(passages.length * dims);
  for (let start = 0; start < order.length; start += options.batchSize) {
    const rows = order.slice(start, start + options.batchSize);
    const vectors = await encoder.encodePassageEncodings(rows.map((r) => encodings[r]!));
    if (vectors.length !== rows.length) throw new Error(`encoder returned ${vectors.length} vectors for a batch of ${rows.length} passages`);
    rows.forEach((r, j) => {
      const v = vectors[j]!;
      if (v.length !== dims) throw new Error(`encoder returned a vector of ${v.length} values, expected ${dims}`);
      out.set(v, r * dims);
    });
    options.onBatch?.(rows.length);
  }
  if (options.normalize) l2NormalizeRows(out, dims);
  return out;
}
