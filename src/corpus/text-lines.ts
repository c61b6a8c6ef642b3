import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** True when the file starts with the gzip magic bytes (1f 8b), whatever its name. */
export async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** A physical line of a text file with its 1-based number (CR of CRLF removed). */
export interface TextLine {
  readonly line: number;
  readonly text: string;
}

/** Streams the lines of a plain or gzip-compressed text file ('-' reads stdin). */
export async function* readTextLines(path: string): AsyncGenerator<TextLine> {
  let input: NodeJS.ReadableStream;
  if (path === '-') input = process.stdin;
  else {
    const raw = createReadStream(path);
    input = (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    // readline splits on \n and \r\n alike; a lone trailing \r would only survive on odd files.
    yield { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  }
}

/** Reads the first non-blank line, to detect a file's format. */
export async function firstNonBlankLine(path: string): Promise<TextLine | undefined> {
  for await (const l of readTextLines(path)) {
    if (l.text.trim() !== '') return l;
  }
  return undefined;
}
