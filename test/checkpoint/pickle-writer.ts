// Test helper: emits pickle opcodes byte by byte, so tests can build torch files and hostile pickles
// without Python at run time.
export class PickleWriter {
  private readonly parts: number[] = [];

  op(...codes: number[]): this {
    this.parts.push(...codes);
    return this;
  }
  proto(v = 2): this {
    return this.op(0x80, v);
  }
  global(module: string, name: string): this {
    return this.op(0x63, ...Buffer.from(`${module}\n${name}\n`, 'latin1'));
  }
  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    return this.op(0x58, ...len, ...b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b, n);
    if (n >= 0 && n < 65536) return this.op(0x4d, n & 0xff, n >> 8);
    if (n >= -(2 ** 31) && n < 2 ** 31) {
      const b = Buffer.alloc(4);
      b.writeInt32LE(n);
      return this.op(0x4a, ...b);
    }
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(n));
    return this.op(0x8a, 8, ...b);
  }
  long1(v: bigint, length: number): this {
    const out: number[] = [];
    let x = v;
    for (let i = 0; i < length; i++) {
      out.push(Number(x & 0xffn));
      x >>= 8n;
    }
    return this.op(0x8a, length, ...out);
  }
  mark(): this {
    return this.op(0x28);
  }
  tuple(): this {
    return this.op(0x74);
  }
  emptyTuple(): this {
    return this.op(0x29);
  }
  reduce(): this {
    return this.op(0x52);
  }
  stop(): this {
    return this.op(0x2e);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** `cmodule\nname\n(X<arg>tR.`: the classic "call this function with one string" pickle. */
export function callPickle(module: string, name: string, arg: string): Uint8Array {
  return new PickleWriter().proto().global(module, name).mark().str(arg).tuple().reduce().stop().bytes();
}
