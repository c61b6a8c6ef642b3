import { isPositiveInt } from '../checks/positive-int.js';
import { InvalidArgumentError } from 'commander';

/** Commander argument parser for flags that take a whole number ≥ 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!isPositiveInt(n)) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}
