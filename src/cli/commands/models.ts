import { PRESETS } from '../../encoder/presets.js';
import type { SideSettings } from '../../encoder/types.js';
import type { RegisterCommand } from './registry.js';

function side(s: SideSettings): string {
  const parts = [`max ${s.maxLength}`, s.pooling, s.normalize ? 'L2' : 'raw', `types ${s.tokenTypes}`];
  if (s.passageFormat) parts.push(s.passageFormat + (s.missingTitle ? ` (no title → "${s.missingTitle}")` : ''));
  return parts.join(', ');
}

export const registerModels: RegisterCommand = (program) => {
  program
    .command('models')
    .description('list the named presets and their settings')
    .option('--json', 'print the presets as JSON')
    .action((flags: { json?: boolean }) => {
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(PRESETS, null, 2)}\n`);
        return;
      }
      for (const p of PRESETS) {
        process.stdout.write(
          `${p.name}\n  ${p.description}\n  hub ids: ${p.hubIds.join(', ')}${p.modelTypes ? `\n  default for model_type: ${p.modelTypes.join(', ')}` : ''}\n` +
            `  query:   ${side(p.settings.query)}\n  passage: ${side(p.settings.passage)}\n  similarity: ${p.settings.similarity}\n` +
            (p.pairs ?? []).map((pair) => `  pair: passages ${pair.passage}, queries ${pair.query}\n`).join(''),
        );
      }
    });
};
