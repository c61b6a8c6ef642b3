// Index engines by name. A new engine is one folder under engines/ plus one line in BUILT_IN below
// (or a registerEngine call from outside the package); `--index NAME[:params]`, the manifest, the
// opener and the shared conformance suite (test/index/engine-conformance.test.ts) all go through here.
import type { EngineChoice } from '../formats/manifest.js';
import type { EngineParamValue, IndexEngine } from './engine.js';
import { parseEngineSpec } from './params.js';
import { flatEngine } from './flat/flat-engine.js';
import { hnswEngine } from './hnsw/hnsw-engine.js';
import { milvusEngine } from './milvus/milvus-engine.js';
import { referenceEngine } from './reference/reference-engine.js';

const BUILT_IN: readonly IndexEngine[] = [flatEngine, hnswEngine, referenceEngine, milvusEngine];

const engines = new Map<string, IndexEngine>(BUILT_IN.map((e) => [e.kind, e]));

/** Adds an engine under its kind; refuses a kind that is taken. */
export function registerEngine(engine: IndexEngine): void {
  if (engines.has(engine.kind)) throw new Error(`index engine ${JSON.stringify(engine.kind)} is already registered`);
  engines.set(engine.kind, engine);
}

/** The engine of that kind, or an error listing the known ones. */
export function engineByKind(kind: string): IndexEngine {
  const engine = engines.get(kind);
  if (!engine) throw new Error(`unknown index engine ${JSON.stringify(kind)} (known: ${[...engines.keys()].join(', ')})`);
  return engine;
}

/** Every registered engine, built-in ones first. */
export function registeredEngines(): readonly IndexEngine[] {
  return [...engines.values()];
}

/** The engine that searches local shards exactly (`--exact`, and slices before their merge). */
export const EXACT_ENGINE = flatEngine.kind;

/** How a caller names an engine: "hnsw", "hnsw:M=32", or { kind, params } from the library. */
export type EngineChoiceInput = string | { readonly kind: string; readonly params?: Readonly<Record<string, EngineParamValue>> };

/** The engine an input names, with its parameters checked and defaults filled in (default: flat). */
export function chooseEngine(input: EngineChoiceInput | undefined): { engine: IndexEngine; choice: EngineChoice } {
  const spec = input === undefined ? { kind: EXACT_ENGINE, params: {} } : typeof input === 'string' ? parseEngineSpec(input) : { kind: input.kind, params: input.params ?? {} };
  const engine = engineByKind(spec.kind);
  return { engine, choice: { kind: engine.kind, params: engine.parseParams(spec.params) } };
}
