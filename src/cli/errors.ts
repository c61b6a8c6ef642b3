/** Prints an error for a CLI user (message only, no stack unless DENSEKIT_DEBUG is set) and exits non-zero. */
export function reportError(err: unknown): never {
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`densekit: error: ${e.message}\n`);
  if (process.env.DENSEKIT_DEBUG) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}
