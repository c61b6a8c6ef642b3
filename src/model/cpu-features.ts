import { readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';

let cached: boolean | undefined;

/**
 * Whether int8 matmuls can use full 8-bit operands without overflow. On x86 without VNNI, onnxruntime's
 * u8×s8 kernels sum pairs of products in saturating int16 (vpmaddubsw), which 8-bit operands can
 * overflow; 7-bit ones (reduce_range; the flat engine's query codes |code| ≤ 63) cannot. ARM's
 * dot-product kernels accumulate in int32. Used by int8 model weights and the flat engine's coarse pass.
 */
export function int8MatmulSafeWithFullRange(): boolean {
  cached ??= probe();
  return cached;
}

function probe(): boolean {
  if (arch() === 'arm64') return true;
  if (arch() !== 'x64' || platform() !== 'linux') return false; // cannot tell: take the safe path
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(/\s+/) ?? [];
    return flags.includes('avx512_vnni') || flags.includes('avx_vnni') || flags.includes('amx_int8');
  } catch {
    return false;
  }
}
