// The layout checks densekit makes on a usearch index file before handing it to usearch's `view`.
// Why by hand: usearch trusts the matrix dimensions at the start of the file, and a damaged or foreign
// file sends it reading past the end of the mapping (a crash, not an error); checking these few
// headers against the sidecar first turns that into an error naming the file. usearch then checks
// that every node fits in the file itself.
//
// Layout (usearch 2.x, index_dense save with default settings, all little-endian):
//   0   u32 rows, u32 bytes per row          the vector matrix's shape
//   8   rows × bytes per row                  the vectors
//   +0  64-byte dense header: "usearch" magic (7 bytes), u16 major/minor/patch version, 4 kind bytes,
//       u64 count present (at 17), u64 count deleted (25), u64 dimensions (33), bool multi (41)
//   +64 graph header: u64 size, connectivity, connectivity_base, max_level, entry_slot; then the nodes
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { HnswQuantization } from './graph-vectors.js';

const BYTES_PER_VALUE: Readonly<Record<HnswQuantization, number>> = { f32: 4, f16: 2, i8: 1 };
const DENSE_HEAD_BYTES = 64;
const GRAPH_HEAD_BYTES = 40;

/** Throws, naming `path`, unless the file's headers match what the sidecar recorded. */
export function checkUsearchFile(path: string, expect: { count: number; dim: number; M: number; quantization: HnswQuantization }): void {
  const fail = (why: string): never => {
    throw new Error(`hnsw index ${path}: ${why} (file damaged or not the graph its sidecar describes)`);
  };
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (at: number, bytes: number): Buffer => {
      if (at + bytes > size) fail(`ends at byte ${size}, before its header at ${at}..${at + bytes}`);
      const b = Buffer.alloc(bytes);
      if (readSync(fd, b, 0, bytes, at) !== bytes) fail(`short read at byte ${at}`);
      return b;
    };
    const shape = read(0, 8);
    const rows = shape.readUInt32LE(0), rowBytes = shape.readUInt32LE(4);
    const wantRowBytes = expect.dim * BYTES_PER_VALUE[expect.quantization];
    if (rows !== expect.count || rowBytes !== wantRowBytes) fail(`vector matrix is ${rows} rows × ${rowBytes} bytes, expected ${expect.count} × ${wantRowBytes}`);
    const headAt = 8 + rows * rowBytes;
    const head = read(headAt, DENSE_HEAD_BYTES);
    if (head.toString('latin1', 0, 7) !== 'usearch') fail(`no usearch header at byte ${headAt}`);
    const present = head.readBigUInt64LE(17), deleted = head.readBigUInt64LE(25), dims = head.readBigUInt64LE(33);
    if (present !== BigInt(expect.count) || deleted !== 0n || dims !== BigInt(expect.dim)) {
      fail(`header says ${present} vectors (${deleted} deleted) of ${dims} dims, expected ${expect.count} of ${expect.dim}`);
    }
    const graph = read(headAt + DENSE_HEAD_BYTES, GRAPH_HEAD_BYTES);
    const nodes = graph.readBigUInt64LE(0), connectivity = graph.readBigUInt64LE(8), maxLevel = graph.readBigUInt64LE(24), entry = graph.readBigUInt64LE(32);
    if (nodes !== BigInt(expect.count) || connectivity !== BigInt(expect.M) || maxLevel > 64n || entry >= BigInt(Math.max(1, expect.count))) {
      fail(`graph header says ${nodes} nodes, connectivity ${connectivity}, top level ${maxLevel}, entry ${entry}; expected ${expect.count} nodes, connectivity ${expect.M}`);
    }
  } finally {
    closeSync(fd);
  }
}
