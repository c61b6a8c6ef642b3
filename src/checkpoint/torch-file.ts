import { readFile } from 'node:fs/promises';
import type { StateDict } from './tensor.js';
import { parseTorchLegacy } from './torch-legacy.js';
import { parseTorchZip } from './torch-zip.js';

/** Reads a `pytorch_model.bin` (torch.save output, zip or legacy format) without executing any pickle code. */
export async function readTorchCheckpoint(path: string): Promise<StateDict> {
  return parseTorchCheckpoint(await readFile(path), path);
}

/** Tells the formats apart by their first bytes: `PK\x03\x04` is zip; `\x80\x02\x8a\x0a` starts the legacy magic pickle. */
export function parseTorchCheckpoint(bytes: Uint8Array, source: string): StateDict {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return parseTorchZip(bytes, source);
  if (bytes[0] === 0x80 && bytes[2] === 0x8a && bytes[3] === 0x0a) return parseTorchLegacy(bytes, source);
  if (bytes.length >= 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar') {
    throw new Error(`${source}: tar-format torch checkpoints (torch ≤ 0.3) are not supported; re-save with a newer torch`);
  }
  throw new Error(`${source}: not a torch checkpoint (neither the zip nor the legacy pickle format)`);
}
