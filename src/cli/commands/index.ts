import type { RegisterCommand } from './registry.js';
import { registerEmbed } from './embed.js';
import { registerFuse } from './fuse.js';
import { registerModels } from './models.js';
import { registerTokenize } from './tokenize.js';
import { registerEval } from './eval.js';
import { registerIndex } from './build-index.js';
import { registerSearch } from './search.js';
import { registerMerge } from './merge.js';
import { registerImport } from './import.js';
import { registerExport } from './export.js';
import { registerServe } from './serve.js';
import { registerVerify } from './verify.js';
import { registerUpgrade } from './upgrade.js';

/** Every subcommand, in the order `densekit --help` lists them. Add one line per command file. */
export const commands: RegisterCommand[] = [
  registerModels,
  registerTokenize,
  registerEmbed,
  registerFuse,
  registerEval,
  registerIndex,
  registerSearch,
  registerMerge,
  registerImport,
  registerExport,
  registerServe,
  registerVerify,
  registerUpgrade,
];
