import type { ModelLayout } from '../layout.js';
import type { TransformerConfig } from '../types.js';
import { ATTENTION_MASK, BATCH_DIM, INPUT_IDS, LAST_HIDDEN_STATE, SEQUENCE_DIM, TOKEN_TYPE_IDS } from './io-names.js';
import { addEmbeddings } from './embeddings.js';
import { addEncoderLayer } from './encoder-layer.js';
import { GraphBuilder } from './onnx-builder.js';
import type { Projections } from './projections.js';
import type { WeightReader } from './weight-reader.js';

/**
 * BertModel (also the BERT inside DPR encoders) or DistilBertModel up to last_hidden_state, no pooler.
 * The two differ only in their weight layout (resolved by `layout`) and in DistilBERT having no
 * token-type embeddings, hence no token_type_ids input.
 */
export function buildEncoderGraph(config: TransformerConfig, layout: ModelLayout, read: WeightReader, proj: Projections): GraphBuilder {
  const g = new GraphBuilder(config.arch);
  const dims = [BATCH_DIM, SEQUENCE_DIM];
  const inputIds = g.input(INPUT_IDS, 'int32', dims);
  const attentionMask = g.input(ATTENTION_MASK, 'int32', dims);
  const tokenTypeIds = config.arch === 'bert' ? g.input(TOKEN_TYPE_IDS, 'int32', dims) : undefined;
  const emb = addEmbeddings(g, { inputIds, attentionMask, ...(tokenTypeIds ? { tokenTypeIds } : {}) }, config, layout, read);
  let x = emb.hidden;
  layout.layers.forEach((layer, i) => {
    x = addEncoderLayer(g, x, emb.maskIndex, layer, config, read, proj, `layer${i}`);
  });
  const [out] = g.node('Identity', [x], [LAST_HIDDEN_STATE]);
  g.output(out!, 'float32', [BATCH_DIM, SEQUENCE_DIM, config.hiddenSize]);
  return g;
}
