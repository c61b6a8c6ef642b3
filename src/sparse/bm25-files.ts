// On-disk layout of a BM25 index directory:
//   manifest.json              kind "bm25", parameters, statistics, per-field file names (written last)
//   docids.txt                 one external docid per line, in ordinal order
//   <field>.terms.txt          one term per line, in term-id order
//   <field>.offsets.u32        numTerms + 1 little-endian uint32: term i has postings offsets[i] .. offsets[i+1]
//   <field>.postings.bin       (document gap, frequency) varint pairs, term by term (postings-codec.ts)
//   <field>.norms.u8           one-byte length norm per document
// Every file is written to a temporary name and renamed into place; the manifest goes last, so a
// directory with a manifest always holds a complete index.
import { readJsonFile } from '../files/json-file.js';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../files/atomic-write.js';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { FieldPostings } from './field-postings.js';
import { decodePostings, encodePostings } from './postings-codec.js';

export const MANIFEST_FILE = 'manifest.json';
export const BM25_KIND = 'bm25';
export const BM25_FORMAT_VERSION = 1;

export type Bm25FieldMode = 'flat' | 'multifield';

export interface Bm25FieldManifest {
  readonly name: string;
  readonly numTerms: number;
  readonly numPostings: number;
  readonly docCount: number;
  readonly sumTotalTermFreq: number;
  /** In-memory width of term frequencies: 16 unless some frequency exceeds 65535. */
  readonly freqBits: 16 | 32;
  readonly postingsBytes: number;
}

export interface Bm25Manifest {
  readonly kind: typeof BM25_KIND;
  readonly formatVersion: number;
  readonly fields: Bm25FieldMode;
  readonly analyzer: string;
  readonly k1: number;
  readonly b: number;
  readonly numDocs: number;
  readonly indexedFields: readonly Bm25FieldManifest[];
}

export interface Bm25Data {
  readonly manifest: Bm25Manifest;
  readonly docids: readonly string[];
  readonly fields: readonly FieldPostings[];
}

/** What to write: the data plus each field's encoded postings (their sizes go in the manifest). */
export interface Bm25WriteData extends Bm25Data {
  readonly encodedPostings: ReadonlyMap<string, Uint8Array>;
}

function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('BM25 index files are little-endian; this machine is big-endian');
}

function bytesOf(a: Uint8Array | Uint16Array | Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export async function writeBm25Files(dir: string, data: Bm25WriteData): Promise<void> {
  assertLittleEndian();
  await mkdir(dir, { recursive: true });
  // An old manifest must not describe the new, half-written files.
  await rm(join(dir, MANIFEST_FILE), { force: true });
  writeFileAtomic(join(dir, 'docids.txt'), data.docids.join('\n'));
  for (const f of data.fields) {
    writeFileAtomic(join(dir, `${f.name}.terms.txt`), f.terms.join('\n'));
    writeFileAtomic(join(dir, `${f.name}.offsets.u32`), bytesOf(f.offsets));
    writeFileAtomic(join(dir, `${f.name}.postings.bin`), data.encodedPostings.get(f.name) ?? encodePostings(f.offsets, f.docs, f.freqs));
    writeFileAtomic(join(dir, `${f.name}.norms.u8`), bytesOf(f.norms));
  }
  writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(data.manifest, null, 2)}\n`);
}

/** Reads manifest.json if the directory holds a BM25 index, else returns undefined. */
export async function readBm25Manifest(dir: string): Promise<Bm25Manifest | undefined> {
  const parsed = await readJsonFile(join(dir, MANIFEST_FILE), { optional: true });
  if (typeof parsed !== 'object' || parsed === null || (parsed as { kind?: unknown }).kind !== BM25_KIND) return undefined;
  return validateManifest(parsed as Record<string, unknown>, join(dir, MANIFEST_FILE));
}

function validateManifest(m: Record<string, unknown>, path: string): Bm25Manifest {
  const need = (cond: boolean, what: string): void => {
    if (!cond) throw new Error(`${path}: ${what}`);
  };
  need(m.formatVersion === BM25_FORMAT_VERSION, `unsupported formatVersion ${String(m.formatVersion)} (expected ${BM25_FORMAT_VERSION})`);
  need(m.fields === 'flat' || m.fields === 'multifield', `field "fields" must be "flat" or "multifield"`);
  need(typeof m.k1 === 'number' && typeof m.b === 'number', `fields "k1" and "b" must be numbers`);
  need(Number.isInteger(m.numDocs) && (m.numDocs as number) >= 0, `field "numDocs" must be a non-negative integer`);
  need(Array.isArray(m.indexedFields) && m.indexedFields.length > 0, `field "indexedFields" must be a non-empty array`);
  for (const f of m.indexedFields as Record<string, unknown>[]) {
    need(typeof f.name === 'string' && /^[a-z]+$/.test(f.name), `indexedFields[].name must be a lowercase word`);
    need(f.freqBits === 16 || f.freqBits === 32, `indexedFields[${String(f.name)}].freqBits must be 16 or 32`);
    for (const k of ['numTerms', 'numPostings', 'docCount', 'sumTotalTermFreq', 'postingsBytes']) {
      need(Number.isInteger(f[k]) && (f[k] as number) >= 0, `indexedFields[${String(f.name)}].${k} must be a non-negative integer`);
    }
  }
  return m as unknown as Bm25Manifest;
}

async function readTyped<T extends Uint8Array | Uint16Array | Uint32Array>(
  path: string,
  ctor: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  expectedLength: number,
): Promise<T> {
  const buf = await readFile(path);
  if (buf.byteLength !== expectedLength * ctor.BYTES_PER_ELEMENT) {
    throw new Error(`${path}: ${buf.byteLength} bytes, expected ${expectedLength * ctor.BYTES_PER_ELEMENT} (index is corrupt or incomplete)`);
  }
  // Copy into a fresh, aligned ArrayBuffer (Node may hand back a slice of a shared pool).
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new ctor(copy);
}

async function readLines(path: string, expected: number): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  // Neither docids nor terms can be empty strings, so an empty file means no lines.
  const lines = text === '' ? [] : text.split('\n');
  if (lines.length !== expected) throw new Error(`${path}: ${lines.length} lines, expected ${expected}`);
  return lines;
}

export async function readBm25Files(dir: string): Promise<Bm25Data> {
  assertLittleEndian();
  const manifest = await readBm25Manifest(dir);
  if (!manifest) throw new Error(`${dir}: not a BM25 index (no ${MANIFEST_FILE} with kind "${BM25_KIND}")`);
  const docids = await readLines(join(dir, 'docids.txt'), manifest.numDocs);
  const fields: FieldPostings[] = [];
  for (const fm of manifest.indexedFields) {
    const base = join(dir, fm.name);
    const terms = await readLines(`${base}.terms.txt`, fm.numTerms);
    const offsets = await readTyped(`${base}.offsets.u32`, Uint32Array, fm.numTerms + 1);
    if (offsets[fm.numTerms] !== fm.numPostings) throw new Error(`${base}.offsets.u32: last offset ${offsets[fm.numTerms]} != numPostings ${fm.numPostings}`);
    for (let t = 0; t < fm.numTerms; t++) {
      if (offsets[t]! > offsets[t + 1]!) throw new Error(`${base}.offsets.u32: offsets decrease at term ${t}`);
    }
    const postingsBytes = await readTyped(`${base}.postings.bin`, Uint8Array, fm.postingsBytes);
    const { docs, freqs } = decodePostings(postingsBytes, offsets, manifest.numDocs, fm.freqBits, `${base}.postings.bin`);
    const norms = await readTyped(`${base}.norms.u8`, Uint8Array, manifest.numDocs);
    fields.push({ name: fm.name, terms, offsets, docs, freqs, norms, docCount: fm.docCount, sumTotalTermFreq: fm.sumTotalTermFreq });
  }
  return { manifest, docids, fields };
}
