import type { RegisterCommand } from './registry.js';

/** Every subcommand, in the order `densekit --help` lists them. Add one line per command file. */
export const commands: RegisterCommand[] = [];
