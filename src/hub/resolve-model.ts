import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { downloadBlob } from './blob-download.js';
import { cachedCommit, snapshotListing } from './cached-snapshot.js';
import { debugLog } from './debug-log.js';
import { progressFactory, type ProgressFactory } from './download-progress.js';
import { selectByPatterns, selectEncoderFiles, type FileSelection, type RepoListing } from './file-selection.js';
import { fetchFileMetadata, fetchRepoInfo } from './hub-client.js';
import { HubError, type HubErrorKind } from './hub-error.js';
import { hubSettingsFromEnv, type HubSettings } from './hub-settings.js';
import { isCommitSha, parseHubSpec } from './hub-spec.js';
import { RepoCache } from './repo-cache.js';

export interface ResolveModelOptions {
  /**
   * Repo files to fetch instead of what an encoder needs, as huggingface_hub allow_patterns
   * (fnmatch globs: `*` also crosses '/', a trailing '/' takes a whole folder). Each must match a file.
   */
  files?: readonly string[];
  /** Use only the cache, like HF_HUB_OFFLINE=1 (either one turns the network off). */
  offline?: boolean;
  /** Download progress on stderr: a bar on a terminal, plain lines otherwise. Default true. */
  progress?: boolean;
  /** Overrides of what is otherwise read from HF_ENDPOINT, HF_HUB_CACHE/HF_HOME, HF_TOKEN, HF_HUB_DOWNLOAD_TIMEOUT. */
  hub?: Partial<HubSettings>;
}

/** Hub errors after which a complete cached snapshot is used instead, as huggingface_hub's snapshot_download does. */
const CACHE_FALLBACK_KINDS: ReadonlySet<HubErrorKind> = new Set(['network', 'server', 'unauthorized', 'repo-not-found']);
const WEIGHT_FILE = /\.(safetensors|bin)$/;

function looksLikePath(spec: string): boolean {
  const beforeRevision = spec.split('@')[0]!;
  return isAbsolute(spec) || /^\.{1,2}([/\\]|$)|^~/.test(spec) || spec.includes('\\') || beforeRevision.split('/').length > 2;
}

/** The directory `spec` names, if it is one; a path that names nothing is an error, not a hub id. */
async function localDirectory(spec: string): Promise<string | undefined> {
  const info = await stat(spec).catch(() => undefined);
  if (info?.isDirectory()) return resolve(spec);
  if (info) throw new HubError('invalid-spec', `"${spec}" is a file; a model is a directory or a hub id (org/name[@revision])`);
  if (looksLikePath(spec)) throw new HubError('invalid-spec', `model directory "${spec}" does not exist`);
  return undefined;
}

function select(listing: RepoListing, files: readonly string[] | undefined): Promise<FileSelection> {
  return files ? Promise.resolve(selectByPatterns(listing.files, files)) : selectEncoderFiles(listing);
}

/** A cached snapshot of the revision holding every selected file, or why there is none. */
async function completeCachedSnapshot(
  cache: RepoCache,
  revision: string,
  files: readonly string[] | undefined,
): Promise<{ dir: string } | { problem: string }> {
  const commit = await cachedCommit(cache, revision);
  if (commit === undefined) {
    const where = isCommitSha(revision) ? `${cache.snapshotDir(revision)} does not exist` : `${cache.root}/refs/${revision} does not exist`;
    return { problem: `revision "${revision}" was never downloaded (${where})` };
  }
  const listing = await snapshotListing(cache, commit);
  if (listing === undefined) return { problem: `refs/${revision} names commit ${commit} but ${cache.snapshotDir(commit)} does not exist` };
  const selection = await select(listing, files);
  if (selection.missing.length > 0) return { problem: `${cache.snapshotDir(commit)} lacks ${selection.missing.join(', ')}` };
  return { dir: cache.snapshotDir(commit) };
}

/** Makes `snapshots/<commit>/<path>` exist: HEAD for the etag, download the blob unless cached, link it. */
async function fetchIntoCache(
  settings: HubSettings,
  cache: RepoCache,
  revision: string,
  commit: string,
  repoPath: string,
  progress: ProgressFactory,
): Promise<string> {
  if (await cache.hasSnapshotFile(commit, repoPath)) return cache.snapshotFile(commit, repoPath);
  const meta = await fetchFileMetadata(settings, cache.repoId, commit, repoPath);
  if (await cache.hasBlob(meta.etag)) {
    debugLog(`${cache.repoId} ${repoPath}: blob ${meta.etag} already cached`);
  } else {
    await downloadBlob({
      settings,
      meta,
      repoId: cache.repoId,
      revision,
      repoPath,
      blobPath: cache.blobPath(meta.etag),
      incompletePath: cache.incompletePath(meta.etag),
      progress,
    });
  }
  return cache.linkSnapshotFile(commit, repoPath, meta.etag);
}

/**
 * Turns a `--model` argument into a local model directory. An existing directory is returned as an
 * absolute path. Otherwise `spec` is a hub id, `org/name` or `name`, optionally `@revision` (branch,
 * tag or commit sha): the files an encoder needs are downloaded into the huggingface_hub cache
 * (shared with Python's huggingface_hub both ways) and the snapshot directory is returned.
 */
export async function resolveModel(spec: string, options: ResolveModelOptions = {}): Promise<string> {
  const local = await localDirectory(spec);
  if (local !== undefined) return local;
  try {
    return await resolveHubModel(spec, options);
  } catch (err) {
    throw await explainMissingDirectory(spec, err);
  }
}

/**
 * `models/minilm` reads as a hub id too. When the hub cannot provide it and its first part is a
 * local directory, the user most likely meant a path: say that path does not exist instead of
 * reporting a hub failure for a name that was never meant for the hub.
 */
async function explainMissingDirectory(spec: string, err: unknown): Promise<unknown> {
  if (!(err instanceof HubError) || err.kind === 'checksum' || err.kind === 'unloadable') return err;
  const first = spec.split('@')[0]!.split('/')[0]!;
  const parent = first !== spec ? await stat(first).catch(() => undefined) : undefined;
  if (parent?.isDirectory()) {
    return new HubError('invalid-spec', `model directory "${spec}" does not exist (${resolve(first)} has no ${JSON.stringify(spec.slice(first.length + 1))}); as a hub id it failed too: ${err.message}`, { cause: err });
  }
  return new HubError(err.kind, `${err.message} ("${spec}" is not a local directory either: ${resolve(spec)} does not exist)`, { cause: err });
}

async function resolveHubModel(spec: string, options: ResolveModelOptions): Promise<string> {
  const { repoId, revision } = parseHubSpec(spec);
  const settings: HubSettings = { ...hubSettingsFromEnv(), ...options.hub };
  const cache = new RepoCache(settings.cacheDir, repoId);

  if (options.offline || settings.offline) {
    const cached = await completeCachedSnapshot(cache, revision, options.files);
    if ('dir' in cached) return cached.dir;
    throw new HubError(
      'not-cached',
      `cannot resolve "${spec}" offline (HF_HUB_OFFLINE or the offline option is set): ${cached.problem}. ` +
        'Run once with network access to fill the cache, or pass a local model directory.',
    );
  }

  let info;
  try {
    info = await fetchRepoInfo(settings, repoId, revision);
  } catch (err) {
    if (!(err instanceof HubError) || !CACHE_FALLBACK_KINDS.has(err.kind)) throw err;
    const cached = await completeCachedSnapshot(cache, revision, options.files);
    if ('dir' in cached) {
      debugLog(`${err.message}; using the cached snapshot ${cached.dir}`);
      return cached.dir;
    }
    throw new HubError(err.kind, `${err.message} (no usable cached copy either: ${cached.problem})`, { cause: err });
  }

  const commit = info.sha;
  if (revision !== commit) await cache.writeRef(revision, commit);
  const progress = progressFactory(options.progress ?? true);
  const ensure = (repoPath: string) => fetchIntoCache(settings, cache, revision, commit, repoPath, progress);
  const listing: RepoListing = {
    files: info.files,
    async readJson(repoPath) {
      const text = await readFile(await ensure(repoPath), 'utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new HubError('unloadable', `${repoPath} in ${repoId}@${revision} is not valid JSON: ${(e as Error).message}`);
      }
    },
  };
  const selection = await select(listing, options.files);
  if (selection.missing.length > 0) {
    throw new HubError(
      'unloadable',
      `hub repository "${repoId}" at revision "${revision}" (commit ${commit}) lacks ${selection.missing.join(', ')}`,
    );
  }
  // Small files first, so a bad config or tokenizer shows before a long weight download.
  const ordered = [...selection.files].sort((a, b) => Number(WEIGHT_FILE.test(a)) - Number(WEIGHT_FILE.test(b)));
  for (const repoPath of ordered) await ensure(repoPath);
  return cache.snapshotDir(commit);
}
