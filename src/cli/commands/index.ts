import type { RegisterCommand } from './registry.js';
import { registerModels } from './models.js';

/** Every subcommand, in the order `densekit --help` lists them. Add one line per command file. */
export const commands: RegisterCommand[] = [
  registerModels,
];
