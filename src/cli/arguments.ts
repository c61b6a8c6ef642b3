import { isPositiveInt } from '../checks/positive-int.js';
import { InvalidArgumentError } from 'commander';

/** Commander argument parser for flags that take a whole number ≥ 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!isPositiveInt(n)) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** Commander argument parser for flags that take a whole number ≥ 0. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number ≥ 0, got '${value}'`);
  return n;
}
