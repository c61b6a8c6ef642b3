// Closed-loop load for the remote-engine benches: `concurrency` workers each send one query at a time
// for `seconds`, and the run reports queries per second and latency percentiles (ms).
export interface LoadResult {
  readonly queries: number;
  readonly seconds: number;
  readonly qps: number;
  readonly p50: number;
  readonly p99: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function runLoad(search: (queryIndex: number) => Promise<unknown>, queryCount: number, options: { concurrency: number; seconds: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + options.seconds * 1000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const q = next++ % queryCount;
      const t = performance.now();
      await search(q);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { queries: latencies.length, seconds, qps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export function formatLoad(r: LoadResult): string {
  return `${r.qps.toFixed(1)} q/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.queries} queries in ${r.seconds.toFixed(1)} s)`;
}
