// Shows an index build's progress on stderr: a live bar (passages/s, ETA) on a terminal, plain log
// lines every few seconds otherwise (CI logs, pipes), so long builds stay observable either way.
import cliProgress from 'cli-progress';
import type { BuildEvent } from '../index/build/build.js';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export interface ProgressReporter {
  onEvent(event: BuildEvent): void;
  stop(): void;
}

export function buildProgressReporter(stream: NodeJS.WriteStream = process.stderr, logEverySeconds = 10): ProgressReporter {
  const tty = stream.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  let startTime = 0;
  let startDone = 0;
  let lastLog = 0;
  const rate = (done: number) => (done - startDone) / Math.max((Date.now() - startTime) / 1000, 1e-3);
  return {
    onEvent(event) {
      if (event.phase === 'scan') {
        if (!tty && event.records > 0) stream.write(`densekit: scanning the corpus: ${event.records} records\n`);
        return;
      }
      if (event.phase === 'docids') {
        bar?.stop();
        bar = undefined;
        stream.write(`densekit: writing the docid index (tie ranks, docid order, chunk table) over ${event.count} docids\n`);
        return;
      }
      if (event.phase === 'engine') {
        bar?.stop();
        bar = undefined;
        stream.write(`densekit: building the ${event.kind} engine's files over ${event.count} vectors\n`);
        return;
      }
      const [doing, done, things] = event.phase === 'import' ? ['importing', 'imported', 'vectors'] : ['encoding', 'encoded', 'passages'];
      const resumedAt = event.phase === 'encode' ? event.resumedAt : 0;
      if (startTime === 0) {
        startTime = Date.now();
        startDone = event.done;
        lastLog = startTime;
        if (tty) {
          bar = new cliProgress.SingleBar(
            { format: `${doing} |{bar}| {percentage}% | {value}/{total} ${things} | {speed} ${things}/s | ETA {eta_text}`, stream, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(event.total, event.done, { speed: '0', eta_text: '?' });
        } else {
          stream.write(`densekit: ${doing} ${event.total} ${things}${resumedAt ? ` (${resumedAt} already done)` : ''}\n`);
        }
      }
      const speed = rate(event.done);
      const eta = speed > 0 ? (event.total - event.done) / speed : Infinity;
      if (bar) bar.update(event.done, { speed: speed.toFixed(1), eta_text: formatDuration(eta) });
      else if (Date.now() - lastLog >= logEverySeconds * 1000 || event.done === event.total) {
        lastLog = Date.now();
        stream.write(`densekit: ${done} ${event.done}/${event.total} ${things} (${speed.toFixed(1)} ${things}/s, ETA ${formatDuration(eta)})\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
