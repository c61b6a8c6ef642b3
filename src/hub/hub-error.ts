/**
 * What went wrong while resolving a model from the Hugging Face hub. `kind` lets callers react
 * (the resolver falls back to the cache on `network` and `server` errors, as huggingface_hub does).
 */
export type HubErrorKind =
  | 'invalid-spec'
  | 'repo-not-found'
  | 'revision-not-found'
  | 'entry-not-found'
  | 'unauthorized'
  | 'server'
  | 'network'
  | 'checksum'
  | 'not-cached'
  | 'unloadable';

export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly kind: HubErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
