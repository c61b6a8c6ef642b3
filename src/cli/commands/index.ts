import type { RegisterCommand } from './registry.js';
import { registerEmbed } from './embed.js';
import { registerFuse } from './fuse.js';
import { registerModels } from './models.js';
import { registerTokenize } from './tokenize.js';

/** Every subcommand, in the order `densekit --help` lists them. Add one line per command file. */
export const commands: RegisterCommand[] = [
  registerModels,
  registerTokenize,
  registerEmbed,
  registerFuse,
];
