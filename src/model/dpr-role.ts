import type { TransformerConfig } from './types.js';

type DprRole = NonNullable<TransformerConfig['dprRole']>;

/** Checkpoint key prefixes of the DPR wrapper classes, and the encoder each one holds. */
const ROLE_PREFIXES: readonly (readonly [string, DprRole])[] = [
  ['ctx_encoder.', 'context'],
  ['question_encoder.', 'question'],
  ['span_predictor.', 'reader'],
];

/**
 * Which encoder of a DPR-style pair a checkpoint holds: what config.json's `architectures` says, else
 * what its weight names say (a DPRContextEncoder saved with a plain BERT config still names its
 * weights `ctx_encoder.bert_model.…`). Undefined for a checkpoint that says neither.
 */
export function dprRoleOf(config: TransformerConfig, originalWeightNames: Iterable<string>): DprRole | undefined {
  if (config.dprRole !== undefined) return config.dprRole;
  for (const name of originalWeightNames) {
    const found = ROLE_PREFIXES.find(([prefix]) => name.startsWith(prefix));
    if (found) return found[1];
  }
  return undefined;
}
