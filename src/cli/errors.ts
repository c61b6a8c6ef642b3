import type { Command } from 'commander';
import { helpHint } from './help.js';

/** A wrong or missing flag found by a command itself (commander reports its own the same way). */
export class UsageError extends Error {}

/**
 * Prints an error for a CLI user (message only, no stack unless DENSEKIT_DEBUG is set) and exits
 * non-zero. A usage error adds one line pointing at the command's help.
 */
export function reportError(err: unknown, command?: Command): never {
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`densekit: error: ${e.message}\n`);
  if (e instanceof UsageError && command) process.stderr.write(`${helpHint(command)}\n`);
  if (process.env.DENSEKIT_DEBUG) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}
