import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { createGunzip, gunzipSync } from 'node:zlib';

/** True when the file starts with the gzip magic bytes (1f 8b), whatever its name. */
export async function isGzip(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw cannotRead(path, err);
  }
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** An error for a file that cannot be opened, in words rather than a bare errno. */
export function cannotRead(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new Error(`${path}: no such file`);
  if (code === 'EISDIR') return new Error(`${path}: is a directory, not a file`);
  if (code === 'EACCES') return new Error(`${path}: permission denied`);
  return new Error(`${path}: cannot read (${(err as Error).message})`);
}

function gzipError(path: string, err: unknown): Error {
  return new Error(`${path}: corrupt or truncated gzip data (${(err as Error).message}); re-download or re-compress the file`);
}

/** A physical line of a text file with its 1-based number (CR of CRLF removed, a leading BOM dropped). */
export interface TextLine {
  readonly line: number;
  readonly text: string;
}

export interface ReadTextLinesOptions {
  /**
   * Called for a line that is not valid UTF-8, which is then skipped (`--skip-bad`). Without it such a
   * line is an error: decoding it would silently replace bytes with U+FFFD, and the server refuses
   * the same bytes, so files and requests follow one rule.
   */
  readonly onInvalidLine?: (message: string) => void;
}

function invalidUtf8Message(path: string, line: number): string {
  return `${path}:${line}: not valid UTF-8 (re-encode the file as UTF-8)`;
}

/**
 * Splits decoded bytes into lines. Works on bytes, not strings, so that a line with invalid UTF-8
 * is found and named before anything is decoded (Node's decoders replace such bytes silently).
 */
class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);
  private line = 0;
  constructor(
    private readonly path: string,
    private readonly options: ReadTextLinesOptions,
  ) {}

  *push(chunk: Buffer, final: boolean): Generator<TextLine> {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const lastNewline = final ? buf.length : buf.lastIndexOf(0x0a);
    if (lastNewline < 0) {
      this.rest = buf;
      return;
    }
    const complete = buf.subarray(0, lastNewline);
    this.rest = final ? Buffer.alloc(0) : buf.subarray(lastNewline + 1);
    if (final && complete.length === 0) return;
    // Fast path: the whole block is valid UTF-8, decode it at once.
    if (isUtf8(complete)) {
      for (const text of complete.toString('utf8').split('\n')) yield this.emit(text);
      return;
    }
    let start = 0;
    while (start <= complete.length) {
      let end = complete.indexOf(0x0a, start);
      if (end < 0) end = complete.length;
      const bytes = complete.subarray(start, end);
      start = end + 1;
      if (isUtf8(bytes)) {
        yield this.emit(bytes.toString('utf8'));
        continue;
      }
      this.line++;
      const message = invalidUtf8Message(this.path, this.line);
      if (!this.options.onInvalidLine) throw new Error(message);
      this.options.onInvalidLine(message);
    }
  }

  private emit(raw: string): TextLine {
    this.line++;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { line: this.line, text };
  }
}

/**
 * Streams the lines of a plain or gzip-compressed text file ('-' reads stdin). A truncated or corrupt
 * gzip stream, or an unreadable file, is an error naming the file (never an unhandled stream error).
 */
export async function* readTextLines(path: string, options: ReadTextLinesOptions = {}): AsyncGenerator<TextLine> {
  let input: AsyncIterable<Buffer | string>;
  let gzip = false;
  if (path === '-') input = process.stdin;
  else {
    gzip = await isGzip(path);
    const raw = createReadStream(path);
    if (gzip) {
      const gunzip = createGunzip();
      raw.on('error', (err) => gunzip.destroy(err));
      input = raw.pipe(gunzip);
    } else input = raw;
  }
  const splitter = new LineSplitter(path === '-' ? '<stdin>' : path, options);
  try {
    for await (const chunk of input) yield* splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, false);
  } catch (err) {
    if (gzip && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('Z_')) throw gzipError(path, err);
    if ((err as NodeJS.ErrnoException).syscall) throw cannotRead(path, err);
    throw err;
  }
  yield* splitter.push(Buffer.alloc(0), true);
}

/**
 * Reads a whole text file (plain or gzip) as a string: a BOM is dropped, and invalid UTF-8 is an
 * error naming file:line. For inputs parsed in one piece (qrels, runs, DPR JSON).
 */
export async function readTextFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw cannotRead(path, err);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw gzipError(path, err);
    }
  }
  if (!isUtf8(bytes)) {
    let line = 1;
    let start = 0;
    for (;;) {
      let end = bytes.indexOf(0x0a, start);
      if (end < 0) end = bytes.length;
      if (!isUtf8(bytes.subarray(start, end))) throw new Error(invalidUtf8Message(path, line));
      start = end + 1;
      line++;
    }
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads the first non-blank line, to detect a file's format. */
export async function firstNonBlankLine(path: string): Promise<TextLine | undefined> {
  for await (const l of readTextLines(path, { onInvalidLine: () => {} })) {
    if (l.text.trim() !== '') return l;
  }
  return undefined;
}
