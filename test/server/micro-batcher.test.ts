import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { MicroBatcher } from '../../src/server/micro-batcher.js';

/** A batch function that records each batch and answers item × 10 after `delayMs`. */
function recorder(delayMs = 0) {
  const batches: number[][] = [];
  const run = async (items: number[]): Promise<number[]> => {
    batches.push([...items]);
    if (delayMs) await sleep(delayMs);
    return items.map((x) => x * 10);
  };
  return { batches, run };
}

test('items submitted together share one batch, each gets its own result', async () => {
  const { batches, run } = recorder();
  const b = new MicroBatcher(run, { maxBatchSize: 32, maxWaitMs: 5 });
  const out = await Promise.all([1, 2, 3, 4, 5].map((x) => b.submit(x)));
  assert.deepEqual(out, [10, 20, 30, 40, 50]);
  assert.deepEqual(batches, [[1, 2, 3, 4, 5]]);
  assert.deepEqual(b.stats(), { batches: 1, items: 5, largestBatch: 5 });
});

test('a full batch runs at once without waiting; the rest goes in the next batch', async () => {
  const { batches, run } = recorder();
  const b = new MicroBatcher(run, { maxBatchSize: 2, maxWaitMs: 10_000 });
  const started = Date.now();
  const out = await Promise.all([1, 2, 3, 4].map((x) => b.submit(x)));
  assert.deepEqual(out, [10, 20, 30, 40]);
  assert.deepEqual(batches, [[1, 2], [3, 4]]);
  assert.ok(Date.now() - started < 5_000, 'full batches must not wait for maxWaitMs');
});

test('items arriving while a batch runs go together in the next one', async () => {
  const { batches, run } = recorder(30);
  const b = new MicroBatcher(run, { maxBatchSize: 32, maxWaitMs: 0 });
  const first = b.submit(1);
  await sleep(5); // batch [1] is running now
  const rest = [2, 3, 4].map((x) => b.submit(x));
  assert.deepEqual(await Promise.all([first, ...rest]), [10, 20, 30, 40]);
  assert.deepEqual(batches, [[1], [2, 3, 4]]);
});

test('maxBatchSize 1 turns batching off: one item per call, one call at a time', async () => {
  let running = 0;
  let most = 0;
  const sizes: number[] = [];
  const b = new MicroBatcher(async (items: number[]) => {
    running++;
    most = Math.max(most, running);
    sizes.push(items.length);
    await sleep(2);
    running--;
    return items;
  }, { maxBatchSize: 1, maxWaitMs: 5 });
  assert.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6].map((x) => b.submit(x))), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(sizes, [1, 1, 1, 1, 1, 1]);
  assert.equal(most, 1);
});

test('a failing batch rejects its own items only, and later batches still run', async () => {
  const b = new MicroBatcher(async (items: number[]) => {
    if (items.includes(13)) throw new Error('unlucky');
    return items;
  }, { maxBatchSize: 2, maxWaitMs: 1 });
  const results = await Promise.allSettled([b.submit(13), b.submit(1), b.submit(2), b.submit(3)]);
  assert.equal(results[0]!.status, 'rejected');
  assert.equal(results[1]!.status, 'rejected');
  assert.deepEqual(results.slice(2), [{ status: 'fulfilled', value: 2 }, { status: 'fulfilled', value: 3 }]);
});

test('a batch function returning the wrong number of results is an error, not a silent mismatch', async () => {
  const b = new MicroBatcher(async (items: number[]) => items.slice(1), { maxBatchSize: 8, maxWaitMs: 1 });
  await assert.rejects(Promise.all([b.submit(1), b.submit(2)]), /returned 1 results for 2 items/);
});

test('close runs everything queued, then refuses new items', async () => {
  const { batches, run } = recorder(5);
  const b = new MicroBatcher(run, { maxBatchSize: 2, maxWaitMs: 1_000 });
  const pending = [1, 2, 3].map((x) => b.submit(x));
  await b.close();
  assert.deepEqual(await Promise.all(pending), [10, 20, 30]);
  assert.deepEqual(batches, [[1, 2], [3]]);
  await assert.rejects(b.submit(4), /closed/);
});

test('options are checked', () => {
  assert.throws(() => new MicroBatcher(async (x: number[]) => x, { maxBatchSize: 0, maxWaitMs: 1 }), /maxBatchSize/);
  assert.throws(() => new MicroBatcher(async (x: number[]) => x, { maxBatchSize: 1, maxWaitMs: -1 }), /maxWaitMs/);
});
