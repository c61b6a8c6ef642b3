import { MicroBatcher, type MicroBatcherOptions, type MicroBatcherStats } from './micro-batcher.js';
import type { SearchBackend, ServedHit } from './types.js';

interface QueryJob {
  readonly text: string;
  readonly k: number;
}

/**
 * Queries from concurrent requests, searched together: one backend call (one encoder forward pass) per
 * batch. A batch asks for the largest k among its queries and each query keeps its own first k hits;
 * the ranking is deterministic (score, then docid), so a query's top k does not depend on its company.
 */
export class BatchedSearch {
  private readonly batcher: MicroBatcher<QueryJob, ServedHit[]>;

  constructor(backend: SearchBackend, options: MicroBatcherOptions) {
    this.batcher = new MicroBatcher<QueryJob, ServedHit[]>(async (jobs) => {
      const k = Math.max(...jobs.map((j) => j.k));
      const results = await backend.search(jobs.map((j) => j.text), k);
      return results.map((hits, i) => hits.slice(0, jobs[i]!.k));
    }, options);
  }

  /** Hits for each query, in order; the queries may ride in different batches. */
  search(queries: readonly string[], k: number): Promise<ServedHit[][]> {
    return Promise.all(queries.map((text) => this.batcher.submit({ text, k })));
  }

  stats(): MicroBatcherStats {
    return this.batcher.stats();
  }

  close(): Promise<void> {
    return this.batcher.close();
  }
}
