// Whether the CPU's int8 dot-product instructions accumulate without saturation. x86 without VNNI
// runs onnxruntime's u8×s8 GEMM on vpmaddubsw, which saturates pairs of products at int16; keeping
// query codes within 7 bits (|code| ≤ 63, zero point 64) rules that out.
import { readFileSync } from 'node:fs';
import { arch } from 'node:os';

let cached: boolean | undefined;

export function int8DotIsExact(): boolean {
  if (cached !== undefined) return cached;
  if (arch() !== 'x64') cached = true;
  else {
    try {
      cached = /\b(avx512_vnni|avx_vnni)\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
    } catch {
      cached = false;
    }
  }
  return cached;
}
