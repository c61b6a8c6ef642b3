/**
 * A restricted unpickler for the subset of the pickle format that `torch.save` emits.
 *
 * Written by hand because no npm pickle library is both safe and complete here: the general-purpose
 * ones either model arbitrary Python objects (and so accept any global) or lack persistent ids,
 * protocol 4 framing and an allow-list hook. This one never executes anything: globals are resolved
 * through `findGlobal`, which only hands back pure data constructors for an allow-list, and REDUCE
 * only applies those constructors to already-decoded data.
 */

/** A callable the caller allows (a pure data constructor); REDUCE applies it to the decoded args. */
export interface PickleCallable {
  readonly kind: 'callable';
  readonly qualname: string;
  call(args: readonly unknown[], offset: number): unknown;
}

/** A tuple (frozen array, so it can be told apart from a list). */
export type PickleTuple = readonly unknown[];

export interface UnpickleHooks {
  /** Names the data in errors, e.g. `model.bin (archive/data.pkl)`. */
  readonly source: string;
  /** Resolves `module.name` to an allowed value, or throws (refusing the global). */
  findGlobal(module: string, name: string, offset: number): unknown;
  /** Resolves a persistent id (BINPERSID); required for torch data. */
  persistentLoad?(pid: unknown, offset: number): unknown;
  /** Applies BUILD state to an object; default: refuse. */
  build?(target: unknown, state: unknown, offset: number): void;
}

export interface UnpickleResult {
  readonly value: unknown;
  /** Offset just after the STOP opcode (where the next pickle of a sequence starts). */
  readonly end: number;
}

/** Names of every pickle opcode, so errors can say which one was met. */
const OPCODE_NAMES: Readonly<Record<number, string>> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT',
  0x4a: 'BININT', 0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID',
  0x51: 'BINPERSID', 0x52: 'REDUCE', 0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING',
  0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND', 0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT',
  0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET', 0x69: 'INST', 0x6a: 'LONG_BINGET',
  0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT', 0x72: 'LONG_BINPUT',
  0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT',
  0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1',
  0x86: 'TUPLE2', 0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4',
  0x43: 'SHORT_BINBYTES', 0x42: 'BINBYTES', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8',
  0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX',
  0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME', 0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');
/** Longest `module\nname` line GLOBAL may carry; torch's globals are a few dozen bytes. */
const MAX_GLOBAL_LINE = 1024;

export function isPickleTuple(v: unknown): v is PickleTuple {
  return Array.isArray(v) && Object.isFrozen(v);
}

const tuple = (items: unknown[]): PickleTuple => Object.freeze(items);

/** Decodes one pickle starting at `start` in `bytes`. Offsets in errors are offsets into `bytes`. */
export function unpickle(bytes: Uint8Array, start: number, hooks: UnpickleHooks): UnpickleResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { source } = hooks;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = start;
  let opAt = start;

  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg} at byte offset ${opAt}`);
  };
  const need = (n: number): number => {
    if (pos + n > bytes.length) {
      throw new Error(`${source}: pickle data ends unexpectedly at byte offset ${bytes.length} (truncated file?)`);
    }
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => bytes[need(1)]!;
  const u32 = () => view.getUint32(need(4), true);
  const text = (n: number) => {
    const at = need(n);
    try {
      return utf8.decode(bytes.subarray(at, at + n));
    } catch {
      return fail('invalid UTF-8 in a string');
    }
  };
  const line = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) return fail('unterminated line in GLOBAL');
    if (nl - pos > MAX_GLOBAL_LINE) fail(`GLOBAL name of ${nl - pos} bytes (more than ${MAX_GLOBAL_LINE}; no state-dict global is that long)`);
    const s = latin1.decode(bytes.subarray(pos, nl));
    pos = nl + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1]!)) fail('stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) return fail('no MARK on the stack');
    return stack.splice(m);
  };
  const memoGet = (key: number): unknown => {
    if (!memo.has(key)) fail(`memo key ${key} was never stored`);
    return memo.get(key);
  };
  const global = (module: string, name: string) => hooks.findGlobal(module, name, opAt);
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) (dict as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const appendItems = (list: unknown, items: unknown[]) => {
    if (!Array.isArray(list) || Object.isFrozen(list)) fail('APPEND(S) on something that is not a list');
    // One at a time: spreading a few hundred thousand items into push() overflows the call stack.
    for (const item of items) (list as unknown[]).push(item);
  };

  try {
    return run();
  } catch (err) {
    // Errors raised here and in the hooks name the source and offset; an engine error (a RangeError
    // or TypeError from some unforeseen input) gets them too.
    if (!(err instanceof RangeError || err instanceof TypeError)) throw err;
    throw new Error(`${source}: cannot decode the pickle (${(err as Error).message}) at byte offset ${opAt}`, { cause: err });
  }

  function run(): UnpickleResult {
    for (;;) {
      opAt = pos;
      const op = u8();
      switch (op) {
        case 0x80: // PROTO
          if (u8() > 5) fail('unsupported pickle protocol');
          break;
        case 0x95: // FRAME: an 8-byte length; the frame's contents follow inline
          need(8);
          break;
        case 0x63: { // GLOBAL
          const module = line();
          const name = line();
          stack.push(global(module, name));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = pop();
          const module = pop();
          if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
          stack.push(global(module as string, name as string));
          break;
        }
        case 0x71: memo.set(u8(), top()); break; // BINPUT
        case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
        case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
        case 0x68: stack.push(memoGet(u8())); break; // BINGET
        case 0x6a: stack.push(memoGet(u32())); break; // LONG_BINGET
        case 0x28: marks.push(stack.length); break; // MARK
        case 0x29: stack.push(tuple([])); break; // EMPTY_TUPLE
        case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
        case 0x5d: stack.push([]); break; // EMPTY_LIST
        case 0x61: { // APPEND
          const item = pop();
          appendItems(top(), [item]);
          break;
        }
        case 0x65: { // APPENDS
          const items = popMark();
          appendItems(top(), items);
          break;
        }
        case 0x58: stack.push(text(u32())); break; // BINUNICODE
        case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
        case 0x43: { // SHORT_BINBYTES
          const n = u8();
          stack.push(bytes.slice(need(n), pos));
          break;
        }
        case 0x42: { // BINBYTES
          const n = u32();
          stack.push(bytes.slice(need(n), pos));
          break;
        }
        case 0x4b: stack.push(u8()); break; // BININT1
        case 0x4d: stack.push(view.getUint16(need(2), true)); break; // BININT2
        case 0x4a: stack.push(view.getInt32(need(4), true)); break; // BININT
        case 0x8a: stack.push(long1(bytes.subarray(need(u8()), pos))); break; // LONG1
        case 0x47: stack.push(view.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
        case 0x4e: stack.push(null); break; // NONE
        case 0x88: stack.push(true); break; // NEWTRUE
        case 0x89: stack.push(false); break; // NEWFALSE
        case 0x74: stack.push(tuple(popMark())); break; // TUPLE
        case 0x85: stack.push(tuple([pop()])); break; // TUPLE1
        case 0x86: { // TUPLE2
          const b = pop();
          stack.push(tuple([pop(), b]));
          break;
        }
        case 0x87: { // TUPLE3
          const c = pop();
          const b = pop();
          stack.push(tuple([pop(), b, c]));
          break;
        }
        case 0x51: { // BINPERSID
          const pid = pop();
          if (!hooks.persistentLoad) fail('persistent id in a pickle that allows none');
          stack.push(hooks.persistentLoad!(pid, opAt));
          break;
        }
        case 0x52: { // REDUCE: apply an allowed constructor to decoded data; nothing else is callable
          const args = pop();
          const fn = pop();
          if (!isCallable(fn)) fail(`REDUCE on something that is not an allowed callable (${describe(fn)})`);
          if (!isPickleTuple(args)) fail('REDUCE arguments are not a tuple');
          stack.push((fn as PickleCallable).call(args as PickleTuple, opAt));
          break;
        }
        case 0x73: { // SETITEM
          const value = pop();
          const key = pop();
          setItems(top(), [key, value]);
          break;
        }
        case 0x75: { // SETITEMS
          const items = popMark();
          setItems(top(), items);
          break;
        }
        case 0x62: { // BUILD
          const state = pop();
          const target = top();
          if (!hooks.build) fail('BUILD is not allowed here');
          hooks.build!(target, state, opAt);
          break;
        }
        case 0x2e: { // STOP
          if (stack.length !== 1 || marks.length > 0) fail(`STOP with ${stack.length} values on the stack`);
          return { value: stack[0], end: pos };
        }
        default: {
          const name = OPCODE_NAMES[op];
          const printable = op >= 0x20 && op < 0x7f ? ` '${String.fromCharCode(op)}'` : '';
          fail(`unsupported pickle opcode ${name ?? 'unknown'} (0x${op.toString(16).padStart(2, '0')}${printable})`);
        }
      }
    }
  }
}

function isCallable(v: unknown): v is PickleCallable {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'callable';
}

function describe(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return Object.isFrozen(v) ? 'a tuple' : 'a list';
  if (v instanceof Map) return 'a dict';
  return typeof v;
}

/** LONG1 payload: little-endian two's complement; a number when it fits exactly, else a bigint. */
function long1(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
