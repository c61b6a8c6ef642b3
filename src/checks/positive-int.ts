// The one check for "a whole number ≥ 1" (k, sizes, limits, engine parameters), so every caller
// words the error the same way: "<what> must be a positive integer, got <value>".

export function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** `value` when it is a positive integer; otherwise a RangeError naming `what`. */
export function requirePositiveInt(what: string, value: unknown): number {
  if (!isPositiveInt(value)) throw new RangeError(`${what} must be a positive integer, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  return value;
}
