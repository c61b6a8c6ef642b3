// Writes C-order .npy files (format 1.0) for the search benches, a chunk of rows at a time, so
// 1M×768 inputs never sit in memory whole.
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Creates `path` with an .npy header for rows × dim values of numpy type `descr` ('<f4' float32,
 * '<i8' int64); call `write` with the rows in order, then `close`.
 */
export function openNpyWriter(
  path: string,
  rows: number,
  dim: number,
  descr: '<f4' | '<i8' = '<f4',
): { write(values: Float32Array | BigInt64Array): void; close(): void } {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  // The preamble (10 bytes) + header + '\n' is padded to a multiple of 64, as numpy writes it.
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, ' ') + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  const fd = openSync(path, 'w');
  writeSync(fd, pre);
  writeSync(fd, header, null, 'latin1');
  return {
    write: (values) => void writeSync(fd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength)),
    close: () => closeSync(fd),
  };
}
