import type { StateDict } from '../checkpoint/tensor.js';
import { expectedBodyShapes, expectedHeadShapes } from './layout.js';
import type { TransformerConfig } from './types.js';

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Checks a normalised state dict against the config: every weight the model needs is present, float,
 * and shaped as the config says. `source` (the checkpoint path) goes into error messages. Keys the
 * model does not read (pooler.*, position_ids, MLM heads) are listed on stderr when DENSEKIT_DEBUG is set.
 */
export function checkWeights(weights: StateDict, config: TransformerConfig, source: string): void {
  const expected = new Map([...expectedBodyShapes(config), ...expectedHeadShapes(config)]);
  const missing = [...expected.keys()].filter((name) => !weights.has(name));
  if (missing.length > 0) {
    throw new Error(
      `${source}: checkpoint is missing ${missing.length} weight(s) that a ${config.modelType} model with this config needs: ${missing.join(', ')}`,
    );
  }
  const problems: string[] = [];
  for (const [name, shape] of expected) {
    const t = weights.get(name)!;
    if (!FLOAT_DTYPES.has(t.dtype)) problems.push(`${name} has dtype ${t.dtype}, expected a float type`);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      problems.push(`${name} has shape ${fmt(t.shape)}, expected ${fmt(shape)} from config.json`);
    }
  }
  if (problems.length > 0) throw new Error(`${source}: weights do not match the config: ${problems.join('; ')}`);

  if (process.env.DENSEKIT_DEBUG) {
    const unused = [...weights.keys()].filter((name) => !expected.has(name));
    if (unused.length > 0) process.stderr.write(`densekit: ${source}: ${unused.length} weight(s) not used by the encoder body: ${unused.join(', ')}\n`);
  }
}
