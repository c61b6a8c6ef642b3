/**
 * Reads the central directory of a zip archive held in memory and returns each entry's bytes as a
 * view into the buffer. Written by hand (about 100 lines) because torch archives only ever use
 * stored (uncompressed) entries, and the npm zip libraries (adm-zip, yauzl, jszip) copy or inflate
 * entries instead of exposing their offsets, so a 400 MB checkpoint would be copied twice.
 * ZIP64 is supported (torch writes it for large archives); compressed or encrypted entries are refused.
 */

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

export function readZipEntries(bytes: Uint8Array, source: string): Map<string, Uint8Array> {
  const fail = (msg: string): never => {
    throw new Error(`${source}: invalid zip archive: ${msg}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`64-bit field at byte ${at} is too large`);
    return Number(v);
  };
  const within = (at: number, n: number, what: string) => {
    if (at < 0 || at + n > bytes.length) fail(`${what} at byte ${at} runs past the end of the file (${bytes.length} bytes; truncated?)`);
  };

  // End of central directory: 22 bytes plus a comment of up to 64 KiB, so scan back from the end.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record (truncated file?)');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== ZIP64_LOCATOR) fail('ZIP64 sizes without a ZIP64 locator');
    const rec = u64(loc + 8);
    within(rec, 56, 'ZIP64 end-of-central-directory record');
    if (u32(rec) !== ZIP64_EOCD) fail('bad ZIP64 end-of-central-directory signature');
    count = u64(rec + 32);
    cdSize = u64(rec + 40);
    cdOffset = u64(rec + 48);
  }
  within(cdOffset, cdSize, 'central directory');

  const entries = new Map<string, Uint8Array>();
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    within(at, 46, 'central directory entry');
    if (u32(at) !== CENTRAL) fail(`bad central directory signature at byte ${at}`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    let size = u32(at + 20);
    const uncompressed = u32(at + 24);
    const nameLen = u16(at + 28);
    const extraLen = u16(at + 30);
    const commentLen = u16(at + 32);
    let localOffset = u32(at + 42);
    within(at + 46, nameLen + extraLen + commentLen, 'central directory entry');
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen));
    if (flags & 1) fail(`entry '${name}' is encrypted`);
    if (method !== 0) fail(`entry '${name}' is compressed (method ${method}); torch archives store entries uncompressed`);

    // ZIP64 extended information: the 64-bit values appear only for fields saturated above, in this order.
    let extra = at + 46 + nameLen;
    const extraEnd = extra + extraLen;
    while (extra + 4 <= extraEnd) {
      const id = u16(extra);
      const len = u16(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        if (uncompressed === U32_MAX) field += 8;
        if (size === U32_MAX) {
          size = u64(field);
          field += 8;
        }
        if (localOffset === U32_MAX) localOffset = u64(field);
      }
      extra += 4 + len;
    }

    within(localOffset, 30, `local header of '${name}'`);
    if (u32(localOffset) !== LOCAL) fail(`bad local header signature for '${name}'`);
    const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    within(dataStart, size, `data of '${name}'`);
    if (entries.has(name)) fail(`entry '${name}' appears twice`);
    entries.set(name, bytes.subarray(dataStart, dataStart + size));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
