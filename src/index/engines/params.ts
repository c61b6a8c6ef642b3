// `--index NAME[:k=v,k=v]`: splitting the spec, and the checks every engine's parameters share
// (unknown names and bad values are refused with the engine and parameter named).
import { isPositiveInt } from '../../checks/positive-int.js';
import type { EngineParams, EngineParamValue } from './engine.js';

export interface EngineSpec {
  readonly kind: string;
  readonly params: Readonly<Record<string, EngineParamValue>>;
}

/** Parses "hnsw" or "hnsw:M=32,efConstruction=200" (values stay strings; the engine checks them). */
export function parseEngineSpec(spec: string): EngineSpec {
  const colon = spec.indexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  if (!/^[a-z][a-z0-9_-]*$/.test(kind)) throw new Error(`--index ${JSON.stringify(spec)}: expected NAME or NAME:param=value,... (e.g. hnsw:M=32)`);
  const params: Record<string, string> = {};
  if (colon >= 0) {
    for (const part of spec.slice(colon + 1).split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      const name = eq < 0 ? '' : part.slice(0, eq).trim();
      if (!name) throw new Error(`--index ${spec}: parameter ${JSON.stringify(part)} must look like name=value`);
      if (name in params) throw new Error(`--index ${spec}: parameter ${name} is given twice`);
      params[name] = part.slice(eq + 1).trim();
    }
  }
  return { kind, params };
}

/** Reads an engine's parameters from raw values: each known name through its reader, unknown names refused. */
export function readParams(
  engine: string,
  raw: Readonly<Record<string, EngineParamValue>>,
  readers: Readonly<Record<string, (value: EngineParamValue | undefined, name: string) => EngineParamValue>>,
): EngineParams {
  const known = Object.keys(readers);
  for (const name of Object.keys(raw)) {
    if (!known.includes(name)) {
      throw new Error(`--index ${engine}: unknown parameter ${JSON.stringify(name)} (${known.length ? `known: ${known.join(', ')}` : 'it takes none'})`);
    }
  }
  const out: Record<string, EngineParamValue> = {};
  for (const name of known) {
    try {
      out[name] = readers[name]!(raw[name], name);
    } catch (err) {
      throw new Error(`--index ${engine}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** A reader for a positive integer parameter with a default. */
export function positiveIntParam(fallback: number): (value: EngineParamValue | undefined, name: string) => number {
  return (value, name) => {
    if (value === undefined) return fallback;
    const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (!isPositiveInt(n)) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** A reader for a whole number ≥ 0 with a default (0 usually meaning "off"). */
export function nonNegativeIntParam(fallback: number): (value: EngineParamValue | undefined, name: string) => number {
  return (value, name) => {
    if (value === undefined) return fallback;
    const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** A reader for one of a fixed set of strings, with a default. */
export function choiceParam<T extends string>(choices: readonly T[], fallback: T): (value: EngineParamValue | undefined, name: string) => T {
  return (value, name) => {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (choices as readonly string[]).includes(value.trim())) return value.trim() as T;
    throw new Error(`${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  };
}
