import { openForReading } from '../../files/open-file.js';
import { readFullyAt } from '../../files/read-at.js';
/**
 * Reads vectors out of a FAISS flat index file (faiss.write_index of IndexFlatIP / IndexFlatL2 /
 * IndexFlat, as Pyserini ships them) without FAISS. Layout (faiss/impl/index_write.cpp, little-endian):
 *   fourcc "IxFI" (inner product) | "IxF2" (L2) | "IxFl" (metric in header)
 *   i32 d, i64 ntotal, i64 dummy, i64 dummy, u8 is_trained, i32 metric_type (0 = IP, 1 = L2) at byte 33,
 *   [f32 metric_arg when metric_type > 1], u64 n (= ntotal·d floats), then n float32 values, row-major.
 * The file is read lazily: rows are fetched by offset, so multi-gigabyte indexes stream into shards.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import type { VectorSource } from '../formats/vector-types.js';

export interface FaissFlatInfo {
  readonly path: string;
  readonly metric: 'ip' | 'l2';
  readonly dim: number;
  readonly count: number;
  /** Byte offset of row 0. */
  readonly dataOffset: number;
}

const KNOWN_FOURCCS: Record<string, string> = {
  IxHf: 'IndexHNSWFlat', IHNf: 'IndexHNSWFlat', IxPQ: 'IndexPQ', IvFl: 'IndexIVFFlat', IwFl: 'IndexIVFFlat',
  IxMp: 'IndexIDMap', IxM2: 'IndexIDMap2', IxSQ: 'IndexScalarQuantizer', IwPQ: 'IndexIVFPQ',
};

export class FaissFlatFile implements VectorSource, FaissFlatInfo {
  readonly path: string;
  readonly metric: 'ip' | 'l2';
  readonly dim: number;
  readonly count: number;
  readonly dataOffset: number;
  private fd: number | undefined;

  private constructor(info: FaissFlatInfo, fd: number) {
    this.path = info.path;
    this.metric = info.metric;
    this.dim = info.dim;
    this.count = info.count;
    this.dataOffset = info.dataOffset;
    this.fd = fd;
  }

  /** Parses and checks the header (and that the file holds exactly ntotal·d floats). */
  static open(path: string): FaissFlatFile {
    const fd = openForReading(path, 'FAISS index');
    try {
      const bad = (why: string): never => {
        throw new Error(`FAISS index ${path}: ${why}`);
      };
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(Math.min(size, 53));
      readSync(fd, head, 0, head.length, 0);
      if (head.length < 4) bad(`file is ${size} bytes, too short for a FAISS index`);
      const fourcc = head.toString('latin1', 0, 4);
      if (fourcc !== 'IxFI' && fourcc !== 'IxF2' && fourcc !== 'IxFl') {
        const known = KNOWN_FOURCCS[fourcc];
        bad(known
          ? `is a ${known} (fourcc ${fourcc}), not a flat index; only IndexFlatIP/IndexFlatL2 can be imported`
          : `unknown fourcc ${JSON.stringify(fourcc)}, not a FAISS flat index`);
      }
      if (head.length < 37) bad(`file is ${size} bytes, header truncated`);
      const dim = head.readInt32LE(4);
      const ntotal = head.readBigInt64LE(8);
      const metricType = head.readInt32LE(33);
      if (dim <= 0) bad(`dimension ${dim} is not positive`);
      if (ntotal < 0n || ntotal > BigInt(Number.MAX_SAFE_INTEGER)) bad(`vector count ${ntotal} is not plausible`);
      const count = Number(ntotal);
      let metric: 'ip' | 'l2';
      if (metricType === 0) metric = 'ip';
      else if (metricType === 1) metric = 'l2';
      else bad(`metric type ${metricType} is neither inner product (0) nor L2 (1)`);
      if ((fourcc === 'IxFI' && metricType !== 0) || (fourcc === 'IxF2' && metricType !== 1)) {
        bad(`fourcc ${fourcc} disagrees with metric type ${metricType}`);
      }
      const sizeOffset = 37; // metric_arg only follows metric types > 1, refused above
      if (size < sizeOffset + 8) bad(`file is ${size} bytes, header truncated`);
      const n = head.readBigUInt64LE(sizeOffset);
      if (n !== BigInt(count) * BigInt(dim)) bad(`vector block holds ${n} floats, header says ${count} × ${dim}`);
      const dataOffset = sizeOffset + 8;
      const expected = dataOffset + count * dim * 4;
      if (size !== expected) bad(`file is ${size} bytes, expected ${expected} for ${count} vectors of dim ${dim} (truncated or trailing data)`);
      return new FaissFlatFile({ path, metric: metric!, dim, count, dataOffset }, fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  readRows(start: number, count: number): Float32Array {
    if (this.fd === undefined) throw new Error(`FAISS index ${this.path}: closed`);
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.count) {
      throw new Error(`FAISS index ${this.path}: rows [${start}, ${start + count}) are outside 0..${this.count}`);
    }
    return readFloat32LE(this.fd, this.dataOffset + start * this.dim * 4, count * this.dim, `FAISS index ${this.path}`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Reads `n` little-endian float32 values at `offset` into a fresh, aligned Float32Array. */
export function readFloat32LE(fd: number, offset: number, n: number, what: string): Float32Array {
  const out = new Float32Array(n);
  const bytes = new Uint8Array(out.buffer);
  readFullyAt(fd, bytes, offset, what);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    const view = new DataView(out.buffer);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  }
  return out;
}
