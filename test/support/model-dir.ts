import { mkdtempSync, readdirSync, symlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const WEIGHT_FILES = /^(model\.safetensors|pytorch_model\.bin)(\.index\.json)?$/;

/** A temp directory that links every file of `src` except the weight files other than `keep`. */
export function modelDirWithOnly(src: string, keep: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-model-'));
  for (const name of readdirSync(src)) {
    if (WEIGHT_FILES.test(name) && name !== keep) continue;
    const target = resolve(src, name);
    symlinkSync(target, join(dir, name), statSync(target).isDirectory() ? 'dir' : 'file');
  }
  return dir;
}
