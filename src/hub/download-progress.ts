import cliProgress from 'cli-progress';

/** Reports one file's download. A new one is made per file; `update` gets the total bytes on disk so far. */
export interface DownloadProgress {
  start(label: string, totalBytes: number | undefined, doneBytes: number): void;
  update(doneBytes: number): void;
  /** `ok` false when the download failed (the line or bar is closed without claiming success). */
  stop(ok: boolean): void;
}

export type ProgressFactory = () => DownloadProgress;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const silent: DownloadProgress = { start() {}, update() {}, stop() {} };

/** A live bar on a terminal. */
function terminalBar(stream: NodeJS.WriteStream): DownloadProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{label} |{bar}| {percentage}% {done}/{size}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let total = 0;
  return {
    start(label, totalBytes, doneBytes) {
      total = totalBytes ?? 0;
      bar.start(total, doneBytes, { label, done: formatBytes(doneBytes), size: totalBytes === undefined ? '?' : formatBytes(total) });
    },
    update(doneBytes) {
      if (doneBytes > total) bar.setTotal((total = doneBytes));
      bar.update(doneBytes, { done: formatBytes(doneBytes) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Lines for logs and pipes, where a bar would be noise: one per file, plus one at the start of a long download. */
function plainLines(stream: NodeJS.WritableStream): DownloadProgress {
  const announceFrom = 10 * 1024 * 1024; // below this a download is quick: its end line is enough
  let label = '';
  let done = 0;
  return {
    start(l, totalBytes, doneBytes) {
      label = l;
      done = doneBytes;
      if (totalBytes !== undefined && totalBytes < announceFrom) return;
      const size = totalBytes === undefined ? '' : ` (${formatBytes(totalBytes)})`;
      const resume = doneBytes > 0 ? `, resuming at ${formatBytes(doneBytes)}` : '';
      stream.write(`densekit: downloading ${label}${size}${resume}\n`);
    },
    update(doneBytes) {
      done = doneBytes;
    },
    stop(ok) {
      stream.write(ok ? `densekit: downloaded ${label} (${formatBytes(done)})\n` : `densekit: download of ${label} stopped at ${formatBytes(done)}\n`);
    },
  };
}

/** A bar on stderr when it is a terminal, plain lines otherwise, nothing when `enabled` is false. */
export function progressFactory(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressFactory {
  if (!enabled) return () => silent;
  return stream.isTTY ? () => terminalBar(stream) : () => plainLines(stream);
}
