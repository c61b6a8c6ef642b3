import { HubError } from './hub-error.js';
import type { HubSettings } from './hub-settings.js';

/** What the hub's revision endpoint says about a repo at one revision. */
export interface RepoInfo {
  /** The commit sha the revision points at. */
  sha: string;
  /** Every file path in the repo at that commit. */
  files: string[];
}

/** What a HEAD on `resolve/<commit>/<path>` says about one file, read as huggingface_hub's get_hf_file_metadata does. */
export interface FileMetadata {
  commit?: string | undefined;
  /** X-Linked-Etag (LFS: the sha256) or else ETag (the git blob sha1), without quotes or W/. */
  etag: string;
  /** True when the file is stored in LFS (X-Linked-Etag was sent): its etag is a sha256 of the content. */
  linked: boolean;
  size?: number | undefined;
  /** Where to GET the bytes: the LFS redirect's target, or the resolve URL itself. */
  downloadUrl: string;
}

const HEAD_TIMEOUT_MS = 10_000; // huggingface_hub's DEFAULT_ETAG_TIMEOUT
const MAX_HUB_REDIRECTS = 5;

/** huggingface_hub's quote(): keep unreserved characters (and '/' where allowed), percent-encode the rest. */
function quote(value: string, keepSlash: boolean): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

export function resolveUrl(endpoint: string, repoId: string, revision: string, repoPath: string): string {
  return `${endpoint}/${repoId}/resolve/${quote(revision, false)}/${quote(repoPath, true)}`;
}

function normalizeEtag(etag: string | null): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Headers for the hub itself; the token goes only to the configured endpoint's origin, never to a CDN. */
export function hubHeaders(settings: HubSettings, url: string, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': 'densekit', 'accept-encoding': 'identity', ...extra };
  if (settings.token && new URL(url).origin === new URL(settings.endpoint).origin) {
    headers.authorization = `Bearer ${settings.token}`;
  }
  return headers;
}

/** Runs fetch, turning connection failures into a HubError of kind `network`. */
export async function hubFetch(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new HubError('network', `cannot reach the hub for ${what} (${url}): ${detail}`, { cause: err });
  }
}

/** Maps a failed hub response to a clear error, using the hub's X-Error-Code / X-Error-Message headers. */
export async function errorFromResponse(res: Response, context: { repoId: string; revision: string; path?: string; endpoint: string }): Promise<HubError> {
  const code = res.headers.get('x-error-code') ?? '';
  let serverMessage = res.headers.get('x-error-message') ?? '';
  if (!serverMessage && res.body) {
    const text = await res.text().catch(() => '');
    try {
      serverMessage = String((JSON.parse(text) as { error?: unknown }).error ?? '');
    } catch {
      serverMessage = text.slice(0, 200);
    }
  }
  const detail = serverMessage ? ` (HTTP ${res.status}: ${serverMessage})` : ` (HTTP ${res.status})`;
  const { repoId, revision, path, endpoint } = context;
  if (code === 'RevisionNotFound') {
    return new HubError('revision-not-found', `revision "${revision}" not found in hub repository "${repoId}"${detail}`);
  }
  if (code === 'EntryNotFound' || (res.status === 404 && path !== undefined && code !== 'RepoNotFound')) {
    return new HubError('entry-not-found', `file "${path}" not found in hub repository "${repoId}" at revision "${revision}"${detail}`);
  }
  if (code === 'RepoNotFound' || res.status === 404) {
    return new HubError(
      'repo-not-found',
      `hub repository "${repoId}" not found at ${endpoint}${detail}; if it is private or gated, set HF_TOKEN to a token that has access`,
    );
  }
  if (res.status === 401 || res.status === 403 || code === 'GatedRepo') {
    return new HubError('unauthorized', `access to hub repository "${repoId}" was refused${detail}; set HF_TOKEN to a token that has access`);
  }
  if (res.status >= 500) return new HubError('server', `the hub failed for "${repoId}"${path ? ` file "${path}"` : ''}${detail}`);
  return new HubError('server', `unexpected hub response for "${repoId}"${path ? ` file "${path}"` : ''}${detail}`);
}

/** GET {endpoint}/api/models/{id}/revision/{rev}: the commit sha and the file list, as snapshot_download does. */
export async function fetchRepoInfo(settings: HubSettings, repoId: string, revision: string): Promise<RepoInfo> {
  const url = `${settings.endpoint}/api/models/${repoId}/revision/${quote(revision, false)}`;
  const res = await hubFetch(url, { headers: hubHeaders(settings, url), signal: AbortSignal.timeout(HEAD_TIMEOUT_MS) }, `${repoId}@${revision}`);
  if (!res.ok) throw await errorFromResponse(res, { repoId, revision, endpoint: settings.endpoint });
  const body = (await res.json().catch(() => undefined)) as { sha?: unknown; siblings?: unknown } | undefined;
  const sha = body?.sha;
  const siblings = body?.siblings;
  if (typeof sha !== 'string' || !Array.isArray(siblings)) {
    throw new HubError('server', `the hub's answer for ${url} lacks "sha" or "siblings"`);
  }
  const files = siblings.map((s, i) => {
    const name = (s as { rfilename?: unknown })?.rfilename;
    if (typeof name !== 'string') throw new HubError('server', `the hub's answer for ${url}: siblings[${i}].rfilename is not a string`);
    return name;
  });
  return { sha, files };
}

/**
 * HEAD on the resolve URL. Like huggingface_hub, redirects that stay on the hub's origin (renamed repos)
 * are followed and one to another origin (LFS files go to a CDN) is not: the file's metadata is on that
 * redirect response, and its Location is where the bytes are fetched from (without the token).
 */
export async function fetchFileMetadata(settings: HubSettings, repoId: string, revision: string, repoPath: string): Promise<FileMetadata> {
  let url = resolveUrl(settings.endpoint, repoId, revision, repoPath);
  for (let hop = 0; ; hop++) {
    const res = await hubFetch(
      url,
      { method: 'HEAD', headers: hubHeaders(settings, url), redirect: 'manual', signal: AbortSignal.timeout(HEAD_TIMEOUT_MS) },
      `${repoId}/${repoPath}`,
    );
    const location = res.headers.get('location');
    const target = location ? new URL(location, url) : undefined;
    if (res.status >= 300 && res.status < 400 && target && target.origin === new URL(url).origin) {
      if (hop >= MAX_HUB_REDIRECTS) throw new HubError('server', `too many redirects for ${url}`);
      url = target.toString();
      continue;
    }
    if (res.status >= 400) throw await errorFromResponse(res, { repoId, revision, path: repoPath, endpoint: settings.endpoint });
    const linkedEtag = normalizeEtag(res.headers.get('x-linked-etag'));
    const etag = linkedEtag ?? normalizeEtag(res.headers.get('etag'));
    if (!etag) {
      throw new HubError('server', `the hub sent no ETag for "${repoPath}" in ${repoId}: cannot place it in the cache (is HF_ENDPOINT a hub?)`);
    }
    const sizeHeader = res.headers.get('x-linked-size') ?? res.headers.get('content-length');
    const size = sizeHeader !== null && /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : undefined;
    return {
      commit: res.headers.get('x-repo-commit') ?? undefined,
      etag,
      linked: linkedEtag !== undefined,
      size,
      downloadUrl: target ? target.toString() : url,
    };
  }
}
