import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the hub is, where its cache lives and how to authenticate: read from the same variables as huggingface_hub. */
export interface HubSettings {
  /** Hub base URL without a trailing slash (HF_ENDPOINT, default https://huggingface.co). */
  endpoint: string;
  /** The hub cache folder holding `models--org--name` (HF_HUB_CACHE, default $HF_HOME/hub). */
  cacheDir: string;
  /** Sent as `Authorization: Bearer` (HF_TOKEN, else the token file huggingface_hub's `login` writes). */
  token?: string | undefined;
  /** No network at all (HF_HUB_OFFLINE=1). */
  offline: boolean;
  /** A download with no data for this long is dropped and resumed (HF_HUB_DOWNLOAD_TIMEOUT seconds, default 10). */
  downloadTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/** huggingface_hub's `_is_true`: 1/ON/YES/TRUE in any case. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(value.trim().toUpperCase());
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function readStoredToken(path: string): string | undefined {
  try {
    return nonEmpty(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // no stored token: anonymous access
  }
}

export function hubSettingsFromEnv(env: Env = process.env): HubSettings {
  const xdgCache = nonEmpty(env.XDG_CACHE_HOME) ?? join(homedir(), '.cache');
  const hfHome = expandHome(nonEmpty(env.HF_HOME) ?? join(xdgCache, 'huggingface'));
  const cacheDir = expandHome(nonEmpty(env.HF_HUB_CACHE) ?? nonEmpty(env.HUGGINGFACE_HUB_CACHE) ?? join(hfHome, 'hub'));
  const endpoint = (nonEmpty(env.HF_ENDPOINT) ?? 'https://huggingface.co').replace(/\/+$/, '');
  const token =
    nonEmpty(env.HF_TOKEN) ??
    nonEmpty(env.HUGGING_FACE_HUB_TOKEN) ??
    readStoredToken(expandHome(nonEmpty(env.HF_TOKEN_PATH) ?? join(hfHome, 'token')));
  const timeoutSeconds = Number(nonEmpty(env.HF_HUB_DOWNLOAD_TIMEOUT) ?? 10);
  return {
    endpoint,
    cacheDir,
    token,
    offline: isTrue(env.HF_HUB_OFFLINE) || isTrue(env.TRANSFORMERS_OFFLINE),
    downloadTimeoutMs: Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : 10_000,
  };
}
