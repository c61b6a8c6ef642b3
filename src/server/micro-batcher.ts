// Dynamic micro-batching: requests that arrive while the encoder is idle wait up to `maxWaitMs` for
// company; requests that arrive while a batch runs are queued and go together in the next one. Batches
// run one at a time on purpose: the encoder and the index already use every core, so two overlapping
// forward passes only fight over them, while one larger batch amortises the per-call overhead.

export interface MicroBatcherOptions {
  /** Most items per call of the batch function (1 turns batching off: items run one by one). */
  readonly maxBatchSize: number;
  /** How long a batch may wait for more items after its first arrived while idle (0: next tick). */
  readonly maxWaitMs: number;
}

export interface MicroBatcherStats {
  /** Calls of the batch function so far. */
  readonly batches: number;
  /** Items submitted so far. */
  readonly items: number;
  /** Largest batch so far. */
  readonly largestBatch: number;
}

interface Pending<In, Out> {
  readonly item: In;
  readonly resolve: (out: Out) => void;
  readonly reject: (err: unknown) => void;
}

export class MicroBatcher<In, Out> {
  private readonly queue: Pending<In, Out>[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private batches = 0;
  private items = 0;
  private largestBatch = 0;

  constructor(
    private readonly runBatch: (items: In[]) => Promise<Out[]>,
    private readonly options: MicroBatcherOptions,
  ) {
    if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1) {
      throw new Error(`micro-batcher: maxBatchSize must be a positive integer, got ${options.maxBatchSize}`);
    }
    if (!(options.maxWaitMs >= 0)) throw new Error(`micro-batcher: maxWaitMs must be ≥ 0, got ${options.maxWaitMs}`);
  }

  /** Queues one item; resolves with its result once its batch has run. */
  submit(item: In): Promise<Out> {
    if (this.closed) return Promise.reject(new Error('micro-batcher: closed'));
    this.items += 1;
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  stats(): MicroBatcherStats {
    return { batches: this.batches, items: this.items, largestBatch: this.largestBatch };
  }

  /** Refuses new items and resolves once every queued item has run. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running || this.queue.length > 0) {
      if (!this.running) this.flush();
      await this.running;
    }
  }

  private schedule(): void {
    if (this.running) return; // the running batch's completion starts the next one
    if (this.queue.length >= this.options.maxBatchSize) {
      this.flush();
      return;
    }
    if (this.timer) return;
    this.timer =
      this.options.maxWaitMs === 0
        ? setImmediate(() => this.flush())
        : setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  private flush(): void {
    this.clearTimer();
    if (this.running || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatchSize);
    this.batches += 1;
    this.largestBatch = Math.max(this.largestBatch, batch.length);
    this.running = this.runOne(batch).finally(() => {
      this.running = undefined;
      // Items that queued during the run have already waited at least that long: go at once.
      if (this.queue.length > 0) this.flush();
    });
  }

  private async runOne(batch: Pending<In, Out>[]): Promise<void> {
    try {
      const outs = await this.runBatch(batch.map((p) => p.item));
      if (outs.length !== batch.length) {
        throw new Error(`micro-batcher: batch function returned ${outs.length} results for ${batch.length} items`);
      }
      batch.forEach((p, i) => p.resolve(outs[i]!));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    if (this.options.maxWaitMs === 0) clearImmediate(this.timer as NodeJS.Immediate);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = undefined;
  }
}
