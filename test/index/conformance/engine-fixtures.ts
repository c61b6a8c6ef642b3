// How the searcher conformance suite (../engine-conformance.test.ts) gets an index of each kind.
//
// Every registered engine is built with the library (`Index.build` with `index: kind`) over each
// stored dtype, with no entry needed here. An engine that needs more (a server to talk to, other
// parameters) adds an entry: `available` says why it cannot run (the suite then prints one skip line),
// `spec` names the engine and its parameters, `setUp`/`tearDown` start and stop what it needs.
import type { EngineChoiceInput } from '../../../src/index/engines/registry.js';
import type { VectorDType } from '../../../src/index/formats/vector-types.js';

export interface EngineFixture {
  /** undefined when the engine can run here; otherwise the reason it cannot (shown as the skip line). */
  available(): Promise<string | undefined>;
  /** What `index` is given when building (default: the engine's kind with its default parameters). */
  spec?(): EngineChoiceInput;
  /** Stored dtypes to test (default all three). */
  readonly dtypes?: readonly VectorDType[];
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
}

/** Fixtures by engine kind; engines without an entry are built locally with their defaults. */
export const ENGINE_FIXTURES: Readonly<Record<string, EngineFixture>> = {};

const LOCAL: EngineFixture = { available: async () => undefined };

export function fixtureFor(kind: string): EngineFixture {
  return ENGINE_FIXTURES[kind] ?? LOCAL;
}
