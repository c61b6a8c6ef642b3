import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * How the hub names a file's content: LFS files by the sha256 of their bytes (X-Linked-Etag), other
 * files by their git blob id, sha1("blob <length>\0" + bytes) (ETag).
 */
export type EtagKind = 'sha256' | 'git-sha1';

export function etagKind(linked: boolean): EtagKind {
  return linked ? 'sha256' : 'git-sha1';
}

const DIGEST_LENGTH: Record<EtagKind, number> = { sha256: 64, 'git-sha1': 40 };

/** True when `etag` has the shape of the digest it should be; anything else (a mirror's opaque etag) cannot be checked. */
export function isCheckableEtag(etag: string, kind: EtagKind): boolean {
  return etag.length === DIGEST_LENGTH[kind] && /^[0-9a-f]+$/.test(etag);
}

/** The digest the hub would give `file`, read in one streaming pass. */
export async function fileDigest(file: string, kind: EtagKind): Promise<string> {
  let hash: Hash;
  if (kind === 'sha256') {
    hash = createHash('sha256');
  } else {
    hash = createHash('sha1');
    hash.update(`blob ${(await stat(file)).size}\0`);
  }
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
