/**
 * A stand-in for the Hugging Face hub on 127.0.0.1, serving repos in the hub's URL layout with the
 * headers huggingface_hub reads. Tests point HF_ENDPOINT at `server.endpoint`.
 *
 * - GET  /api/models/{id}/revision/{rev}  → { id, sha, siblings: [{ rfilename, blobId, size, lfs? }] }
 * - GET  /api/models/{id}/tree/{rev}[/{folder}]?recursive=true → [{ type, path, oid, size, lfs? }]
 *   (recent huggingface_hub lists files this way)
 * - HEAD/GET /{id}/resolve/{rev}/{path}   → small files: 200 with ETag = git blob sha1;
 *   LFS files (weights): 302 to /lfs/{sha256}?repo=&file= with X-Linked-Etag = sha256 and X-Linked-Size
 * - HEAD/GET /lfs/{sha256}                → the bytes, on a second port: like the real hub's CDN it is
 *   another origin, so clients must not follow the redirect on HEAD nor send the token there
 * Every response carries X-Repo-Commit where the hub sends it; byte responses honour `Range: bytes=N-[M]`.
 * Errors carry X-Error-Code (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo) and X-Error-Message.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One commit of a served repo: repo path → bytes, and the branch or tag names pointing at it. */
export interface ServedCommit {
  files: Record<string, Buffer>;
  refs: string[];
}

export interface ServedRepo {
  id: string;
  commits: ServedCommit[];
}

export interface HubServerOptions {
  /** Default: every golden model under test/fixtures/goldens/models as `densekit-test/<folder>`. */
  repos?: ServedRepo[];
  /** When set, /api and /resolve answer 401 unless sent `Authorization: Bearer <token>`. */
  token?: string;
}

export interface RecordedRequest {
  method: string;
  /** Decoded path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** `<repoId>/<path>` when this was a GET answered with that file's bytes (whole, partial or cut off). */
  file?: string;
  /** The response status, once sent. */
  status?: number;
}

export interface HubServer {
  /** `http://127.0.0.1:<port>`: the value for HF_ENDPOINT. */
  endpoint: string;
  /** Where LFS redirects point (another port, so another origin). */
  cdnOrigin: string;
  /** Every request, in arrival order. Clear with `requests.length = 0`. */
  requests: RecordedRequest[];
  /** `<repoId>/<path>` → how many more byte downloads of it to cut off halfway (the socket is destroyed). */
  cutDownloads: Map<string, number>;
  /** `<repoId>/<path>` values whose bytes are served with one byte flipped (headers stay correct). */
  corruptDownloads: Set<string>;
  /** The commit sha a branch or tag of a repo points at. */
  commitOf(repoId: string, ref?: string): string;
  /** The cache name of a file's blob: sha256 for LFS files, git blob sha1 for the rest. */
  blobEtagOf(repoId: string, path: string, ref?: string): string;
  /** GET requests that carried the bytes of files whose repo path ends with `suffix` (any file when omitted). */
  byteDownloads(suffix?: string): RecordedRequest[];
  addRepo(repo: ServedRepo): void;
  close(): Promise<void>;
}

/** The golden tiny models, found from this file's compiled place, dist/test/support/. */
export const GOLDEN_MODELS_DIR = fileURLToPath(new URL('../../../test/fixtures/goldens/models', import.meta.url));
export const GOLDEN_ORG = 'densekit-test';

const LFS_FILE = /\.(safetensors|bin|h5|msgpack|onnx|ot|pt|pth|ckpt|tflite)$/;
const LFS_MIN_SIZE = 10 * 1024 * 1024;

function readTree(dir: string, prefix = ''): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const repoPath = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(full).isDirectory()) Object.assign(files, readTree(full, repoPath));
    else files[repoPath] = readFileSync(full);
  }
  return files;
}

/** A one-commit repo with the files of `dir` (expected.json, the golden outputs, is left out). */
export function repoFromDirectory(id: string, dir: string, refs: string[] = ['main']): ServedRepo {
  const files = readTree(dir);
  delete files['expected.json'];
  return { id, commits: [{ files, refs }] };
}

export function goldenRepos(): ServedRepo[] {
  return readdirSync(GOLDEN_MODELS_DIR)
    .filter((name) => statSync(join(GOLDEN_MODELS_DIR, name)).isDirectory())
    .map((name) => repoFromDirectory(`${GOLDEN_ORG}/${name}`, join(GOLDEN_MODELS_DIR, name)));
}

const sha1 = (data: Buffer | string) => createHash('sha1').update(data).digest('hex');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const gitBlobSha = (data: Buffer) => sha1(Buffer.concat([Buffer.from(`blob ${data.length}\0`), data]));

interface ServedFile {
  bytes: Buffer;
  lfs: boolean;
  /** git blob sha1 of the bytes, or of the LFS pointer file for LFS files (what the hub's ETag is). */
  gitSha: string;
  sha256: string;
}

interface IndexedCommit {
  sha: string;
  refs: string[];
  files: Map<string, ServedFile>;
}

function indexCommit(repoId: string, commit: ServedCommit): IndexedCommit {
  const files = new Map<string, ServedFile>();
  for (const [path, bytes] of Object.entries(commit.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lfs = LFS_FILE.test(path) || bytes.length >= LFS_MIN_SIZE;
    const digest = sha256(bytes);
    const pointer = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${digest}\nsize ${bytes.length}\n`);
    files.set(path, { bytes, lfs, sha256: digest, gitSha: gitBlobSha(lfs ? pointer : bytes) });
  }
  const sha = sha1([repoId, ...[...files].map(([p, f]) => `${p} ${f.gitSha}`)].join('\n'));
  return { sha, refs: commit.refs, files };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startHubServer(options: HubServerOptions = {}): Promise<HubServer> {
  const repos = new Map<string, IndexedCommit[]>();
  const blobsBySha256 = new Map<string, Buffer>();
  const requests: RecordedRequest[] = [];
  const cutDownloads = new Map<string, number>();
  const corruptDownloads = new Set<string>();
  const recordOf = new WeakMap<ServerResponse, RecordedRequest>(); // requests may overlap (Python fetches 8 at once)
  let endpoint = '';
  let cdnOrigin = '';

  function addRepo(repo: ServedRepo): void {
    const commits = repo.commits.map((c) => indexCommit(repo.id, c));
    for (const c of commits) for (const f of c.files.values()) if (f.lfs) blobsBySha256.set(f.sha256, f.bytes);
    repos.set(repo.id, commits);
  }
  for (const repo of options.repos ?? goldenRepos()) addRepo(repo);

  function findCommit(repoId: string, rev: string): IndexedCommit {
    const commits = repos.get(repoId);
    if (!commits) throw new HttpError(404, 'RepoNotFound', `Repository Not Found for url: ${endpoint}/api/models/${repoId}.`);
    const commit = commits.find((c) => c.sha === rev || c.refs.includes(rev));
    if (!commit) throw new HttpError(404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
    return commit;
  }

  function checkToken(req: IncomingMessage, repoId: string): void {
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      throw new HttpError(401, 'GatedRepo', `Access to model ${repoId} is restricted. You must be authenticated to access it.`);
    }
  }

  /** Sends `bytes` honouring Range, applying the cut and corruption faults registered for `faultKey`. */
  function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer, headers: Record<string, string>, faultKey: string): void {
    const record = recordOf.get(res);
    if (req.method === 'GET' && record) record.file = faultKey;
    let body = bytes;
    if (req.method === 'GET' && corruptDownloads.has(faultKey)) {
      body = Buffer.from(bytes);
      const i = Math.floor(body.length / 2);
      body[i] = body[i]! ^ 0xff;
    }
    let start = 0;
    let end = body.length - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), end) : end;
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}`, ...headers });
        res.end();
        return;
      }
      status = 206;
      headers = { ...headers, 'Content-Range': `bytes ${start}-${end}/${body.length}` };
    }
    const slice = body.subarray(start, end + 1);
    res.writeHead(status, { ...headers, 'Content-Length': String(slice.length), 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const cutsLeft = cutDownloads.get(faultKey) ?? 0;
    if (cutsLeft > 0) {
      cutDownloads.set(faultKey, cutsLeft - 1);
      // Half the bytes, a pause so the client takes them in, then a dropped connection.
      res.write(slice.subarray(0, Math.floor(slice.length / 2)), () => setTimeout(() => res.socket?.destroy(), 150));
      return;
    }
    res.end(slice);
  }

  function sendJson(req: IncomingMessage, res: ServerResponse, value: unknown): void {
    const body = JSON.stringify(value);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** The tree listing: `rest` is `{id}/tree/{rev}[/{folder}]`; folder and recursion as the hub does them. */
  function handleTree(req: IncomingMessage, res: ServerResponse, rest: string, recursive: boolean): void {
    const at = rest.indexOf('/tree/');
    const repoId = rest.slice(0, at);
    const [rawRev, ...folderParts] = rest.slice(at + '/tree/'.length).split('/');
    const rev = decodeURIComponent(rawRev ?? '');
    const folder = decodeURIComponent(folderParts.join('/'));
    checkToken(req, repoId);
    const commit = findCommit(repoId, rev);
    const prefix = folder === '' ? '' : `${folder}/`;
    const entries = new Map<string, unknown>();
    for (const [path, f] of commit.files) {
      if (!path.startsWith(prefix)) continue;
      const parts = path.slice(prefix.length).split('/');
      for (let depth = 1; depth < parts.length && (recursive || depth === 1); depth++) {
        const dir = prefix + parts.slice(0, depth).join('/');
        entries.set(dir, { type: 'directory', oid: sha1(dir), size: 0, path: dir });
      }
      if (!recursive && parts.length > 1) continue;
      entries.set(path, {
        type: 'file',
        oid: f.gitSha,
        size: f.bytes.length,
        path,
        ...(f.lfs ? { lfs: { oid: f.sha256, size: f.bytes.length, pointerSize: 134 } } : {}),
      });
    }
    if (folder !== '' && entries.size === 0) throw new HttpError(404, 'EntryNotFound', `${folder} does not exist on "${rev}"`);
    sendJson(req, res, [...entries.values()]);
  }

  function handleApi(req: IncomingMessage, res: ServerResponse, rest: string): void {
    const at = rest.lastIndexOf('/revision/');
    const repoId = at < 0 ? rest : rest.slice(0, at);
    const rev = at < 0 ? 'main' : decodeURIComponent(rest.slice(at + '/revision/'.length));
    checkToken(req, repoId);
    const commit = findCommit(repoId, rev);
    const siblings = [...commit.files].map(([rfilename, f]) => ({
      rfilename,
      blobId: f.gitSha,
      size: f.bytes.length,
      ...(f.lfs ? { lfs: { sha256: f.sha256, size: f.bytes.length, pointerSize: 134 } } : {}),
    }));
    sendJson(req, res, {
      _id: commit.sha.slice(0, 24),
      id: repoId,
      modelId: repoId,
      sha: commit.sha,
      private: false,
      disabled: false,
      gated: false,
      downloads: 0,
      likes: 0,
      tags: [],
      library_name: 'transformers',
      lastModified: '2024-01-01T00:00:00.000Z',
      createdAt: '2024-01-01T00:00:00.000Z',
      siblings,
    });
  }

  function handleResolve(req: IncomingMessage, res: ServerResponse, repoId: string, rest: string): void {
    const slash = rest.indexOf('/');
    const rev = decodeURIComponent(rest.slice(0, slash));
    const path = decodeURIComponent(rest.slice(slash + 1));
    checkToken(req, repoId);
    const commit = findCommit(repoId, rev);
    const file = commit.files.get(path);
    if (!file) throw new HttpError(404, 'EntryNotFound', `${path} does not exist on "${rev}"`);
    const common = { 'X-Repo-Commit': commit.sha };
    if (file.lfs) {
      const query = new URLSearchParams({ repo: repoId, file: path });
      res.writeHead(302, {
        ...common,
        Location: `${cdnOrigin}/lfs/${file.sha256}?${query}`,
        ETag: `"${file.gitSha}"`,
        'X-Linked-Etag': `"${file.sha256}"`,
        'X-Linked-Size': String(file.bytes.length),
        'Content-Length': '0',
      });
      res.end();
      return;
    }
    sendBytes(req, res, file.bytes, { ...common, ETag: `"${file.gitSha}"` }, `${repoId}/${path}`);
  }

  function handleLfs(req: IncomingMessage, res: ServerResponse, digest: string, query: URLSearchParams): void {
    const bytes = blobsBySha256.get(digest);
    if (!bytes) throw new HttpError(404, 'EntryNotFound', `no LFS object ${digest}`);
    sendBytes(req, res, bytes, { ETag: `"${digest}"` }, `${query.get('repo')}/${query.get('file')}`);
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', endpoint);
    const path = decodeURIComponent(url.pathname);
    const record: RecordedRequest = { method: req.method ?? '', path, headers: req.headers };
    requests.push(record);
    recordOf.set(res, record);
    res.on('finish', () => (record.status = res.statusCode));
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'MethodNotAllowed', `${req.method} not supported`);
      if (url.pathname.startsWith('/api/models/') && url.pathname.includes('/tree/')) {
        return handleTree(req, res, url.pathname.slice('/api/models/'.length), url.searchParams.get('recursive')?.toLowerCase() === 'true');
      }
      if (url.pathname.startsWith('/api/models/')) return handleApi(req, res, url.pathname.slice('/api/models/'.length));
      if (url.pathname.startsWith('/lfs/')) return handleLfs(req, res, url.pathname.slice('/lfs/'.length), url.searchParams);
      const at = url.pathname.indexOf('/resolve/');
      if (at > 0) return handleResolve(req, res, decodeURIComponent(url.pathname.slice(1, at)), url.pathname.slice(at + '/resolve/'.length));
      throw new HttpError(404, 'NotFound', `no route for ${path}`);
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'InternalError', String(err));
      const body = JSON.stringify({ error: e.message });
      res.writeHead(e.status, { 'Content-Type': 'application/json', 'X-Error-Code': e.code, 'X-Error-Message': e.message });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
  };
  const server = createServer(handle);
  const cdn = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cdnOrigin = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;

  const served = (repoId: string, path: string, ref: string) => {
    const file = findCommit(repoId, ref).files.get(path);
    if (!file) throw new Error(`hub-server: ${repoId}@${ref} has no ${path}`);
    return file;
  };
  return {
    endpoint,
    cdnOrigin,
    requests,
    cutDownloads,
    corruptDownloads,
    commitOf: (repoId, ref = 'main') => findCommit(repoId, ref).sha,
    blobEtagOf(repoId, path, ref = 'main') {
      const file = served(repoId, path, ref);
      return file.lfs ? file.sha256 : file.gitSha;
    },
    byteDownloads: (suffix = '') => requests.filter((r) => r.file !== undefined && r.file.endsWith(suffix)),
    addRepo,
    close: async () => {
      for (const s of [server, cdn]) {
        s.closeAllConnections();
        await new Promise<void>((resolve, reject) => s.close((err) => (err ? reject(err) : resolve())));
      }
    },
  };
}

/** A fresh, empty HF_HOME pointed at `server`: spread `vars` into a child's env or assign them to process.env. */
export interface TempHubEnv {
  hfHome: string;
  /** HF_HOME, HF_ENDPOINT, and empty HF_HUB_CACHE / HF_TOKEN / HF_HUB_OFFLINE so the machine's own settings don't leak in. */
  vars: Record<string, string>;
  /** Assigns `vars` to process.env (an empty value unsets the variable). */
  apply(): void;
  cleanup(): void;
}

export function tempHubEnv(server: HubServer): TempHubEnv {
  const hfHome = mkdtempSync(join(tmpdir(), 'densekit-hf-home-'));
  const vars = { HF_HOME: hfHome, HF_ENDPOINT: server.endpoint, HF_HUB_CACHE: '', HF_TOKEN: '', HF_HUB_OFFLINE: '' };
  return {
    hfHome,
    vars,
    apply() {
      for (const [k, v] of Object.entries(vars)) {
        if (v === '') delete process.env[k];
        else process.env[k] = v;
      }
    },
    cleanup() {
      rmSync(hfHome, { recursive: true, force: true });
    },
  };
}

/**
 * Gives a test a fresh HF_HOME and a server with no recorded requests and no pending cut or corrupt
 * downloads; removes the previous test's HF_HOME. For a `beforeEach` hook: `env = freshHubEnv(server, env)`.
 */
export function freshHubEnv(server: HubServer, previous: TempHubEnv | undefined): TempHubEnv {
  previous?.cleanup();
  const env = tempHubEnv(server);
  env.apply();
  server.requests.length = 0;
  server.cutDownloads.clear();
  server.corruptDownloads.clear();
  return env;
}
