// Runs a child process while sampling its anonymous memory (RssAnon from /proc/PID/status: the
// process's own pages, not the page cache's copy of files it reads), for the memory tests.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export async function runSamplingRssAnon(args: readonly string[], everyMs = 10): Promise<{ code: number | null; stdout: string; peakKiB: number }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let peakKiB = 0, stdout = '';
  const sample = () => {
    try {
      const kib = Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakKiB = Math.max(peakKiB, kib);
    } catch {
      // exited
    }
  };
  const timer = setInterval(sample, everyMs);
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  return { code, stdout, peakKiB };
}
