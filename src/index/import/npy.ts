import { openForReading } from '../../files/open-file.js';
import { readFullyAt } from '../../files/read-at.js';
/**
 * Reads a 2-D float32 or float16 NumPy .npy file (format versions 1.0, 2.0, 3.0, C order) lazily, as
 * rows. Header: "\x93NUMPY", u8 major, u8 minor, header length (u16 for v1, u32 for v2/v3), then a
 * Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, d), } padded with spaces.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { FLOAT16_TABLE } from '../../checkpoint/float16.js';
import { readFloat32LE } from './faiss.js';
import type { VectorSource } from '../formats/vector-types.js';

export class NpyFile implements VectorSource {
  readonly path: string;
  readonly dtype: 'f32' | 'f16';
  readonly dim: number;
  readonly count: number;
  readonly dataOffset: number;
  private fd: number | undefined;

  private constructor(path: string, fd: number, dtype: 'f32' | 'f16', count: number, dim: number, dataOffset: number) {
    this.path = path;
    this.fd = fd;
    this.dtype = dtype;
    this.count = count;
    this.dim = dim;
    this.dataOffset = dataOffset;
  }

  static open(path: string): NpyFile {
    const fd = openForReading(path, 'npy file');
    try {
      const bad = (why: string): never => {
        throw new Error(`npy file ${path}: ${why}`);
      };
      const size = fstatSync(fd).size;
      const pre = Buffer.alloc(12);
      const got = readSync(fd, pre, 0, 12, 0);
      if (got < 10 || pre.toString('latin1', 0, 6) !== '\x93NUMPY') bad('not a .npy file (magic "\\x93NUMPY" missing)');
      const major = pre[6]!;
      let headerLen: number, headerStart: number;
      if (major === 1) {
        headerLen = pre.readUInt16LE(8);
        headerStart = 10;
      } else if (major === 2 || major === 3) {
        if (got < 12) bad('header truncated');
        headerLen = pre.readUInt32LE(8);
        headerStart = 12;
      } else {
        return bad(`unsupported format version ${major}.${pre[7]}`);
      }
      if (headerStart + headerLen > size) bad(`header of ${headerLen} bytes runs past the end of the ${size}-byte file`);
      const headerBytes = Buffer.alloc(headerLen);
      readSync(fd, headerBytes, 0, headerLen, headerStart);
      const header = headerBytes.toString(major === 3 ? 'utf8' : 'latin1');
      const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1] ?? bad(`header has no 'descr': ${header.trim()}`);
      const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] ?? bad(`header has no 'fortran_order': ${header.trim()}`);
      const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1] ?? bad(`header has no 'shape': ${header.trim()}`);
      let dtype: 'f32' | 'f16';
      if (descr === '<f4' || descr === '=f4') dtype = 'f32';
      else if (descr === '<f2' || descr === '=f2') dtype = 'f16';
      else if (descr === '>f4' || descr === '>f2') return bad(`dtype ${descr} is big-endian; save it little-endian (x.astype('<f4'))`);
      else return bad(`dtype ${descr} is not float32 or float16`);
      if (fortran === 'True') bad('array is in Fortran order; save a C-order array (np.ascontiguousarray)');
      const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
      if (shape.length !== 2 || !shape.every((v) => Number.isInteger(v) && v >= 0)) bad(`shape (${shapeText}) is not 2-D (rows, dim)`);
      const [count, dim] = shape as [number, number];
      if (dim === 0) bad('dim is 0');
      const dataOffset = headerStart + headerLen;
      const width = dtype === 'f32' ? 4 : 2;
      const expected = dataOffset + count * dim * width;
      if (size !== expected) bad(`file is ${size} bytes, expected ${expected} for shape (${count}, ${dim}) ${descr} (truncated or trailing data)`);
      return new NpyFile(path, fd, dtype, count, dim, dataOffset);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  readRows(start: number, count: number): Float32Array {
    if (this.fd === undefined) throw new Error(`npy file ${this.path}: closed`);
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.count) {
      throw new Error(`npy file ${this.path}: rows [${start}, ${start + count}) are outside 0..${this.count}`);
    }
    const n = count * this.dim;
    if (this.dtype === 'f32') return readFloat32LE(this.fd, this.dataOffset + start * this.dim * 4, n, `npy file ${this.path}`);
    const raw = Buffer.alloc(n * 2);
    readFullyAt(this.fd, raw, this.dataOffset + start * this.dim * 2, `npy file ${this.path}`);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = FLOAT16_TABLE[raw.readUInt16LE(2 * i)]!;
    return out;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
