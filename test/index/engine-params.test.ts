// `--index NAME[:params]`: each engine checks its own parameters, errors name the engine and the
// parameter, and the older --hnsw-* flags are aliases for the hnsw engine's parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chooseEngine } from '../../src/index/engines/registry.js';
import { parseEngineSpec } from '../../src/index/engines/params.js';
import { engineChoiceFromFlags } from '../../src/cli/engine-options.js';

test('engine specs parse into a kind and raw parameters', () => {
  assert.deepEqual(parseEngineSpec('flat'), { kind: 'flat', params: {} });
  assert.deepEqual(parseEngineSpec('hnsw:M=32,efConstruction=200'), { kind: 'hnsw', params: { M: '32', efConstruction: '200' } });
  assert.throws(() => parseEngineSpec('hnsw:M'), /parameter "M" must look like name=value/);
  assert.throws(() => parseEngineSpec('hnsw:M=1,M=2'), /parameter M is given twice/);
  assert.throws(() => parseEngineSpec('HNSW!'), /expected NAME or NAME:param=value/);
});

test('each engine fills in its defaults and refuses bad or unknown parameters by name', () => {
  assert.deepEqual(chooseEngine(undefined).choice, { kind: 'flat', params: {} });
  assert.deepEqual(chooseEngine('hnsw').choice, { kind: 'hnsw', params: { M: 16, efConstruction: 128 } });
  assert.deepEqual(chooseEngine('hnsw:M=32').choice, { kind: 'hnsw', params: { M: 32, efConstruction: 128 } });
  assert.deepEqual(chooseEngine({ kind: 'hnsw', params: { efConstruction: 64 } }).choice, { kind: 'hnsw', params: { M: 16, efConstruction: 64 } });
  assert.throws(() => chooseEngine('hnsw:M=0'), /--index hnsw: M must be a positive integer, got "0"/);
  assert.throws(() => chooseEngine('hnsw:M=abc'), /--index hnsw: M must be a positive integer, got "abc"/);
  assert.throws(() => chooseEngine('hnsw:ef=10'), /--index hnsw: unknown parameter "ef" \(known: M, efConstruction, quantization\)/);
  // quantization: recorded only when given (absent and auto both store what --dtype stores).
  assert.deepEqual(chooseEngine('hnsw:quantization=i8').choice, { kind: 'hnsw', params: { M: 16, efConstruction: 128, quantization: 'i8' } });
  assert.throws(() => chooseEngine('hnsw:quantization=int4'), /--index hnsw: quantization must be one of auto, f32, f16, i8, got "int4"/);
  assert.throws(() => chooseEngine('flat:x=1'), /--index flat: unknown parameter "x" \(it takes none\)/);
  assert.throws(() => chooseEngine('annoy'), /unknown index engine "annoy" \(known: flat, hnsw/);
});

test('--hnsw-m and --hnsw-ef-construction are aliases of hnsw:M= and hnsw:efConstruction=', () => {
  assert.deepEqual(engineChoiceFromFlags({ index: 'hnsw', hnswM: 24, hnswEfConstruction: 80 }), chooseEngine('hnsw:M=24,efConstruction=80').choice);
  assert.throws(() => engineChoiceFromFlags({ index: 'flat', hnswM: 24 }), /--hnsw-m applies to --index hnsw, not flat/);
  assert.throws(() => engineChoiceFromFlags({ index: 'hnsw:M=8', hnswM: 24 }), /--hnsw-m and --index hnsw:M=8 both set M/);
});

test('the CLI refuses a bad engine parameter before loading any model', () => {
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'index', '--model', 'no/such-model', '--corpus', 'none.jsonl', '--out', '/tmp/densekit-never', '--index', 'hnsw:M=-3'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--index hnsw: M must be a positive integer, got "-3"/);
});
