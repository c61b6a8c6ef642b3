import { readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';

/**
 * Whether int8 matmuls can use full 8-bit weights without overflow. On x86 without VNNI, onnxruntime's
 * u8×s8 kernels sum pairs of products in saturating int16, which 8-bit weights can overflow; 7-bit
 * weights (reduce_range) cannot. ARM's dot-product kernels accumulate in int32.
 */
export function int8MatmulSafeWithFullRange(): boolean {
  if (arch() === 'arm64') return true;
  if (arch() !== 'x64' || platform() !== 'linux') return false; // cannot tell: take the safe path
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(/\s+/) ?? [];
    return flags.includes('avx512_vnni') || flags.includes('avx_vnni') || flags.includes('amx_int8');
  } catch {
    return false;
  }
}
