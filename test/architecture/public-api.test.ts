// The package entry and its subpaths export what a user needs, and not the internals behind them.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('the package entry exports the user-facing API and no internals', async () => {
  const api = (await import('densekit')) as Record<string, unknown>;
  for (const name of ['Encoder', 'Index', 'openIndex', 'buildIndex', 'mergeSlices', 'importVectors', 'registerEngine', 'registeredEngines',
    'Bm25Index', 'fuseRuns', 'evaluate', 'readQrels', 'hasAnswer', 'startServer', 'readCorpus', 'readQueries', 'RunWriter', 'writeTrecRun']) {
    assert.ok(name in api, `densekit exports ${name}`);
  }
  for (const name of ['lengthToNormByte', 'formatFixed4', 'isGzip', 'readJsonLines', 'TopKHeap', 'MicroBatcher', 'compilePythonRegex',
    'loadManifestEncoder', 'DocStore', 'FaissFlatFile', 'writeFileAtomic']) {
    assert.ok(!(name in api), `densekit does not export the internal ${name}`);
  }
});

test('subpaths give one area each', async () => {
  const server = (await import('densekit/server')) as Record<string, unknown>;
  assert.ok('startServer' in server && !('evaluate' in server));
  const evalApi = (await import('densekit/eval')) as Record<string, unknown>;
  assert.ok('evaluate' in evalApi && 'readQrels' in evalApi && !('startServer' in evalApi));
  const index = (await import('densekit/index')) as Record<string, unknown>;
  assert.ok('openIndex' in index && 'registerEngine' in index && 'Index' in index);
});
