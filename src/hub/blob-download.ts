import { mkdir, open, rename, rm, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { etagKind, fileDigest, isCheckableEtag } from './blob-checksum.js';
import { debugLog } from './debug-log.js';
import type { ProgressFactory } from './download-progress.js';
import type { FileMetadata } from './hub-client.js';
import { errorFromResponse, hubFetch, hubHeaders } from './hub-client.js';
import { HubError } from './hub-error.js';
import type { HubSettings } from './hub-settings.js';

export interface BlobDownloadRequest {
  settings: HubSettings;
  meta: FileMetadata;
  repoId: string;
  revision: string;
  repoPath: string;
  /** Final place of the blob (`blobs/<etag>`); bytes accumulate in `<blob>.incomplete` until verified. */
  blobPath: string;
  incompletePath: string;
  progress: ProgressFactory;
}

/** Connection drops retried per file, resuming each time (huggingface_hub's http_get retries 5 times too). */
const MAX_RETRIES = 5;
const RETRY_DELAY_MS = 500;

async function sizeOnDisk(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Stops a body read that has received nothing for `ms` (a stalled connection), like requests' read timeout. */
function idleAbort(ms: number): { signal: AbortSignal; poke(): void; clear(): void } {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(new Error(`no data for ${ms / 1000} s`)), ms);
  return {
    signal: controller.signal,
    poke() {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new Error(`no data for ${ms / 1000} s`)), ms);
    },
    clear() {
      clearTimeout(timer);
    },
  };
}

/**
 * Streams the remaining bytes into the .incomplete file. Returns normally when the body ended; a dropped
 * connection throws a `network` HubError with every byte received so far already on disk.
 */
async function fetchRemainingBytes(req: BlobDownloadRequest, onDisk: number, report: (bytes: number) => void): Promise<void> {
  const { settings, meta, repoId, revision, repoPath, incompletePath } = req;
  const headers = hubHeaders(settings, meta.downloadUrl, onDisk > 0 ? { range: `bytes=${onDisk}-` } : {});
  const idle = idleAbort(settings.downloadTimeoutMs);
  try {
    const res = await hubFetch(meta.downloadUrl, { headers, signal: idle.signal }, `${repoId}/${repoPath}`);
    if (res.status === 416 && onDisk > 0) {
      await res.body?.cancel();
      return; // nothing left to send: the checksum decides whether the partial file is whole
    }
    if (!res.ok) throw await errorFromResponse(res, { repoId, revision, path: repoPath, endpoint: settings.endpoint });
    let written = onDisk;
    if (onDisk > 0 && res.status !== 206) {
      debugLog(`${repoPath}: the server ignored the Range request; downloading from the start`);
      await truncate(incompletePath, 0);
      written = 0;
    } else if (res.status === 206) {
      const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
      if (start !== undefined && Number(start) !== onDisk) {
        await res.body?.cancel();
        throw new HubError('server', `asked for bytes from ${onDisk} of "${repoPath}" but the server sent them from ${start}`);
      }
    }
    const file = await open(incompletePath, written === 0 ? 'w' : 'a');
    try {
      if (!res.body) return;
      // Each chunk is written before the next is read, so a dropped connection leaves a clean prefix to resume from.
      for await (const chunk of res.body) {
        idle.poke();
        await file.write(chunk);
        written += chunk.byteLength;
        report(written);
      }
    } catch (err) {
      if (err instanceof HubError) throw err;
      throw new HubError('network', `download of "${repoPath}" from ${repoId} was interrupted after ${written} bytes: ${(err as Error).message}`, {
        cause: err,
      });
    } finally {
      await file.close();
    }
  } finally {
    idle.clear();
  }
}

/** Rejects a finished download whose size or digest is not what the hub announced, deleting the bad bytes. */
async function verifyDownload(req: BlobDownloadRequest): Promise<void> {
  const { meta, repoId, repoPath, incompletePath } = req;
  const size = await sizeOnDisk(incompletePath);
  const fail = async (what: string) => {
    await rm(incompletePath, { force: true });
    return new HubError(
      'checksum',
      `download of "${repoPath}" from ${repoId} is corrupt: ${what}; the partial file was deleted, run again to download it anew`,
    );
  };
  if (meta.size !== undefined && size !== meta.size) throw await fail(`got ${size} bytes, the hub announced ${meta.size}`);
  const kind = etagKind(meta.linked);
  if (!isCheckableEtag(meta.etag, kind)) {
    debugLog(`${repoPath}: etag "${meta.etag}" is not a ${kind} digest; content not verified`);
    return;
  }
  const digest = await fileDigest(incompletePath, kind);
  if (digest !== meta.etag) throw await fail(`its ${kind} is ${digest}, the hub announced ${meta.etag}`);
}

/**
 * Downloads one blob as huggingface_hub does: into `blobs/<etag>.incomplete`, resuming with a Range
 * request from whatever is already there, then verified and renamed to `blobs/<etag>`.
 */
export async function downloadBlob(req: BlobDownloadRequest): Promise<void> {
  const { meta, repoId, repoPath, incompletePath, blobPath } = req;
  await mkdir(dirname(blobPath), { recursive: true });
  const progress = req.progress();
  let onDisk = await sizeOnDisk(incompletePath);
  if (meta.size !== undefined && onDisk > meta.size) {
    await truncate(incompletePath, 0); // longer than the file: not a prefix of it
    onDisk = 0;
  }
  progress.start(`${repoId} ${repoPath}`, meta.size, onDisk);
  let ok = false;
  try {
    for (let attempt = 0; ; attempt++) {
      onDisk = await sizeOnDisk(incompletePath);
      if (meta.size !== undefined && onDisk === meta.size) break;
      try {
        await fetchRemainingBytes(req, onDisk, (bytes) => progress.update(bytes));
        break;
      } catch (err) {
        if (!(err instanceof HubError) || err.kind !== 'network' || attempt >= MAX_RETRIES) throw err;
        debugLog(`${err.message}; retry ${attempt + 1}/${MAX_RETRIES}, resuming`);
        await sleep(RETRY_DELAY_MS);
      }
    }
    await verifyDownload(req);
    await rename(incompletePath, blobPath);
    ok = true;
  } finally {
    progress.stop(ok);
  }
}
