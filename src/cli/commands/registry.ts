import type { Command } from 'commander';

/** A CLI subcommand: adds itself to the root program. Each lives in its own file beside this one. */
export type RegisterCommand = (program: Command) => void;
