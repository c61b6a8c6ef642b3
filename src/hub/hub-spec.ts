import { HubError } from './hub-error.js';

/** A hub model reference: `org/name` or `name`, optionally `@revision` (branch, tag or commit sha). */
export interface HubSpec {
  repoId: string;
  revision: string;
}

export const DEFAULT_REVISION = 'main';

const COMMIT_SHA = /^[0-9a-f]{40}$/;
// huggingface_hub's validate_repo_id rules: word characters, '-' and '.', one optional '/', no '--' or '..'.
const REPO_ID = /^(?:[\w.-]+\/)?[\w.-]+$/;

export function isCommitSha(revision: string): boolean {
  return COMMIT_SHA.test(revision);
}

export function parseHubSpec(spec: string): HubSpec {
  const at = spec.indexOf('@');
  const repoId = at < 0 ? spec : spec.slice(0, at);
  const revision = at < 0 ? DEFAULT_REVISION : spec.slice(at + 1);
  const bad = (why: string) =>
    new HubError('invalid-spec', `"${spec}" is neither an existing directory nor a hub model id (org/name[@revision]): ${why}`);
  if (!REPO_ID.test(repoId)) throw bad('a hub id has the form org/name or name, with letters, digits, "-", "_" and "."');
  if (repoId.includes('--') || repoId.includes('..')) throw bad('"--" and ".." are not allowed in a hub id');
  if (repoId.length > 96) throw bad('a hub id is at most 96 characters');
  if (revision === '' || /\s/.test(revision) || revision.split('/').includes('..')) {
    throw bad(`revision "${revision}" is empty or malformed`);
  }
  return { repoId, revision };
}
