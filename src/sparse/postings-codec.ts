// Compact postings on disk: per term, each posting is (document gap, frequency) as two LEB128
// varints, the gap counted from the term's previous document (from -1 for its first). Most gaps and
// frequencies fit in one byte, so a posting takes ~2-3 bytes instead of 6-8 in raw typed arrays.

/** Encodes CSR postings (offsets into docs/freqs, documents ascending within each term). */
export function encodePostings(offsets: Uint32Array, docs: Uint32Array, freqs: Uint16Array | Uint32Array): Uint8Array {
  let out = new Uint8Array(Math.max(16, docs.length * 3));
  let pos = 0;
  const put = (v: number): void => {
    if (pos + 5 > out.length) {
      const bigger = new Uint8Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    while (v >= 0x80) {
      out[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[pos++] = v;
  };
  for (let t = 0; t + 1 < offsets.length; t++) {
    let previous = -1;
    for (let p = offsets[t]!; p < offsets[t + 1]!; p++) {
      put(docs[p]! - previous);
      previous = docs[p]!;
      put(freqs[p]!);
    }
  }
  return out.slice(0, pos);
}

/** Decodes what encodePostings wrote; `source` names the file in errors. */
export function decodePostings(
  bytes: Uint8Array,
  offsets: Uint32Array,
  numDocs: number,
  freqBits: 16 | 32,
  source: string,
): { docs: Uint32Array; freqs: Uint16Array | Uint32Array } {
  const numPostings = offsets[offsets.length - 1] ?? 0;
  const docs = new Uint32Array(numPostings);
  const freqs = freqBits === 16 ? new Uint16Array(numPostings) : new Uint32Array(numPostings);
  const maxFreq = freqBits === 16 ? 0xffff : 0xffffffff;
  let pos = 0;
  const get = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) throw new Error(`${source}: truncated postings (index is corrupt or incomplete)`);
      const byte = bytes[pos++]!;
      v += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return v;
      shift += 7;
      if (shift > 35) throw new Error(`${source}: malformed varint at byte ${pos}`);
    }
  };
  for (let t = 0; t + 1 < offsets.length; t++) {
    let doc = -1;
    for (let p = offsets[t]!; p < offsets[t + 1]!; p++) {
      const gap = get();
      doc += gap;
      const freq = get();
      if (gap === 0 || doc >= numDocs || freq === 0 || freq > maxFreq) {
        throw new Error(`${source}: invalid posting ${p} (document ${doc}, frequency ${freq})`);
      }
      docs[p] = doc;
      freqs[p] = freq;
    }
  }
  if (pos !== bytes.length) throw new Error(`${source}: ${bytes.length - pos} trailing bytes after the postings`);
  return { docs, freqs };
}
