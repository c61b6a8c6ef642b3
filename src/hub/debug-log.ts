/** Debug lines for the hub resolver, shown only when DENSEKIT_DEBUG is set (the CLI's debug switch). */
export function debugLog(message: string): void {
  if (process.env.DENSEKIT_DEBUG) process.stderr.write(`densekit: debug: ${message}\n`);
}
