import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { unpickle } from '../../src/checkpoint/pickle.js';
import { parseTorchCheckpoint } from '../../src/checkpoint/torch-file.js';
import { callPickle, PickleWriter } from './pickle-writer.js';
import { encodeTorchLegacy, encodeTorchZip } from './torch-writer.js';

const FIXTURES = 'test/fixtures/checkpoint';
const noTensors = new Map();

/** Wraps a data.pkl in a zip checkpoint and a legacy checkpoint. */
const asCheckpoints = (pickle: Uint8Array) => [
  { name: 'evil-zip.bin', bytes: encodeTorchZip(noTensors, noTensors, { pickle }) },
  { name: 'evil-legacy.bin', bytes: encodeTorchLegacy(noTensors, noTensors, { stateDictPickle: pickle }) },
];

describe('restricted unpickler', () => {
  for (const [module, name] of [
    ['os', 'system'],
    ['posix', 'system'],
    ['builtins', 'eval'],
    ['__builtin__', 'eval'],
    ['subprocess', 'Popen'],
    ['torch.storage', '_load_from_bytes'],
    ['torch', 'load'],
  ] as const) {
    it(`refuses ${module}.${name} and executes nothing`, () => {
      const marker = join(tmpdir(), `densekit-pwned-${process.pid}-${module}-${name}`);
      const arg = name === 'eval' ? `__import__('os').system('touch ${marker}')` : `touch ${marker}`;
      for (const { name: file, bytes } of asCheckpoints(callPickle(module, name, arg))) {
        assert.throws(
          () => parseTorchCheckpoint(bytes, file),
          (e: Error) => {
            assert.match(e.message, new RegExp(`^${file.replace('.', '\\.')}`));
            assert.match(e.message, new RegExp(`refuses global '${module}\\.${name}' at byte offset \\d+ \\(only state-dict globals are allowed\\)`));
            return true;
          },
        );
      }
      assert.equal(existsSync(marker), false, 'the pickle must not have run');
    });
  }

  it('reports the absolute byte offset of the refused global', () => {
    const pickle = callPickle('os', 'system', 'true');
    // In data.pkl the GLOBAL opcode follows PROTO 2, at offset 2.
    assert.throws(() => parseTorchCheckpoint(encodeTorchZip(noTensors, noTensors, { pickle }), 'z.bin'), /z\.bin \(archive\/data\.pkl\): restricted unpickler refuses global 'os\.system' at byte offset 2 /);
  });

  it('refuses a global smuggled in through STACK_GLOBAL (protocol 4)', () => {
    const w = new PickleWriter().proto(4).op(0x95, 0, 0, 0, 0, 0, 0, 0, 0);
    w.op(0x8c, 2, ...Buffer.from('os')).op(0x94).op(0x8c, 6, ...Buffer.from('system')).op(0x94).op(0x93);
    const bytes = w.mark().str('true').tuple().reduce().stop().bytes();
    assert.throws(() => parseTorchCheckpoint(encodeTorchZip(noTensors, noTensors, { pickle: bytes }), 'p4.bin'), /p4\.bin .*refuses global 'os\.system'/);
  });

  it('refuses globals in the legacy header pickles too', () => {
    const magic = new PickleWriter().proto().long1(0x1950a86a20f9469cfc6cn, 10).stop().bytes();
    const evil = callPickle('os', 'system', 'true');
    assert.throws(() => parseTorchCheckpoint(Buffer.concat([magic, evil]), 'hdr.bin'), /hdr\.bin: restricted unpickler refuses global 'os\.system' at byte offset 17/);
  });

  it('names unknown and unsupported opcodes with their offset', () => {
    const hooks = { source: 'x.pkl', findGlobal: () => assert.fail('no globals expected') };
    assert.throws(() => unpickle(Uint8Array.from([0x80, 0x02, 0xff]), 0, hooks), /x\.pkl: unsupported pickle opcode unknown \(0xff\) at byte offset 2/);
    // INST ('i') and OBJ ('o') build arbitrary objects: not part of the torch subset.
    assert.throws(() => unpickle(Uint8Array.from([0x80, 0x02, 0x28, 0x69]), 0, hooks), /unsupported pickle opcode INST \(0x69 'i'\) at byte offset 3/);
    assert.throws(() => unpickle(Uint8Array.from([0x80, 0x02, 0x81]), 0, hooks), /unsupported pickle opcode NEWOBJ \(0x81\) at byte offset 2/);
    // Inside a checkpoint, the file and the pickle entry are named.
    const pickle = Uint8Array.from([0x80, 0x02, 0x7d, 0xfe, 0x2e]);
    for (const { name, bytes } of asCheckpoints(pickle)) {
      assert.throws(() => parseTorchCheckpoint(bytes, name), new RegExp(`^Error: ${name.replace('.', '\\.')}.*unsupported pickle opcode unknown \\(0xfe\\) at byte offset \\d+`));
    }
  });

  it('REDUCE cannot call anything that is not an allowed constructor', () => {
    // ('a',) applied as a function: refused, not evaluated.
    const bytes = new PickleWriter().proto().str('a').mark().str('b').tuple().reduce().stop().bytes();
    const hooks = { source: 'r.pkl', findGlobal: () => assert.fail('no globals expected') };
    assert.throws(() => unpickle(bytes, 0, hooks), /r\.pkl: REDUCE on something that is not an allowed callable \(string\) at byte offset/);
  });

  it('decodes the plain-data opcodes', () => {
    const w = new PickleWriter().proto(4).op(0x95, 0, 0, 0, 0, 0, 0, 0, 0).op(0x5d).op(0x94).mark();
    w.op(0x4e, 0x88, 0x89).int(7).int(300).int(-5).int(70000);
    w.op(0x47, ...Buffer.from([0x3f, 0xf8, 0, 0, 0, 0, 0, 0])); // BINFLOAT 1.5
    w.op(0x43, 2, 0xab, 0xcd); // SHORT_BINBYTES
    w.op(0x8c, 2, 0x68, 0x69); // SHORT_BINUNICODE 'hi'
    w.op(0x8a, 0); // LONG1 0
    w.long1(-2n, 1);
    w.op(0x29).int(1).op(0x85).int(1).int(2).op(0x86).int(1).int(2).int(3).op(0x87);
    w.op(0x7d).str('k').int(1).op(0x73); // {'k': 1}
    w.op(0x68, 0); // BINGET 0: the list itself (recursive reference)
    w.op(0x65); // APPENDS
    const { value, end } = unpickle(w.stop().bytes(), 0, { source: 'd.pkl', findGlobal: () => assert.fail() });
    const list = value as unknown[];
    assert.deepEqual(list.slice(0, 15), [null, true, false, 7, 300, -5, 70000, 1.5, Uint8Array.from([0xab, 0xcd]), 'hi', 0, -2, [], [1], [1, 2]]);
    assert.deepEqual(list[15], [1, 2, 3]);
    assert.deepEqual(list[16], new Map([['k', 1]]));
    assert.equal(list[17], list);
    assert.ok(end > 0);
  });

  it('committed hostile fixtures are refused', () => {
    // Pickles generated once with Python's pickle module (see test/fixtures/checkpoint/README.md).
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.pkl'));
    assert.ok(files.length >= 3);
    for (const file of files) {
      const bytes = readFileSync(join(FIXTURES, file));
      for (const { name, bytes: ckpt } of asCheckpoints(bytes)) {
        assert.throws(() => parseTorchCheckpoint(ckpt, name), /refuses global '(posix|builtins|commands|subprocess)\.\w+' at byte offset \d+/, `${file} in ${name}`);
      }
    }
    assert.equal(existsSync('/tmp/densekit-pwned-fixture'), false, 'the pickles must not have run');
  });
});

describe('unpickler limits: hostile sizes fail with the file and byte offset, never a stack overflow or a huge allocation', () => {
  const hooks = { source: 'h.pkl', findGlobal: () => assert.fail('no globals expected') };

  it('a 500 KB GLOBAL line is refused at its offset', () => {
    const bytes = Buffer.concat([Buffer.from([0x80, 0x02, 0x63]), Buffer.alloc(500_000, 0x61), Buffer.from('\nb\n.', 'latin1')]);
    for (const { name, bytes: ckpt } of asCheckpoints(bytes)) {
      assert.throws(() => parseTorchCheckpoint(ckpt, name), new RegExp(`^Error: ${name.replace('.', '\\.')}.*GLOBAL name of 500000 bytes \\(more than 1024; no state-dict global is that long\\) at byte offset \\d+`));
    }
  });

  it('400k items in one APPENDS decode without overflowing the stack', () => {
    const n = 400_000;
    const body = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++) body.set([0x4b, i & 0xff], i * 2);
    const bytes = Buffer.concat([Buffer.from([0x80, 0x02, 0x5d, 0x28]), body, Buffer.from([0x65, 0x2e])]);
    const { value } = unpickle(bytes, 0, hooks);
    assert.equal((value as unknown[]).length, n);
    assert.equal((value as unknown[])[n - 1], (n - 1) & 0xff);
  });

  const storage = new Map([['0', { type: 'FloatStorage', numel: 4, data: new Uint8Array(16) }]]);
  const withStorage = (pickle: Uint8Array) => [
    { name: 'size-zip.bin', bytes: encodeTorchZip(noTensors, storage, { pickle }) },
    { name: 'size-legacy.bin', bytes: encodeTorchLegacy(noTensors, storage, { stateDictPickle: pickle }) },
  ];

  /** A one-tensor state dict whose size tuple is written by `size`. */
  function stateDictWithSize(size: (w: PickleWriter) => void): Uint8Array {
    const w = new PickleWriter().proto().global('collections', 'OrderedDict').emptyTuple().reduce().mark();
    w.str('w').global('torch._utils', '_rebuild_tensor_v2').mark();
    w.mark().str('storage').global('torch', 'FloatStorage').str('0').str('cpu').int(4).tuple().op(0x51);
    w.int(0);
    size(w);
    w.mark().int(1).tuple().op(0x89).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
    return w.op(0x75).stop().bytes();
  }

  it('a size too large for a number is named, not "Do not know how to serialize a BigInt"', () => {
    const pickle = stateDictWithSize((w) => w.mark().long1(1n << 70n, 9).tuple());
    for (const { name, bytes } of withStorage(pickle)) {
      assert.throws(() => parseTorchCheckpoint(bytes, name), /_rebuild_tensor_v2: size holds the integer 1180591620717411303424 \(too large\), not a non-negative integer at byte offset \d+/);
    }
  });

  it('a size list that contains itself is named, not "Converting circular structure to JSON"', () => {
    // EMPTY_LIST, BINPUT 200, BINGET 200, APPEND: a list whose only item is itself.
    const pickle = stateDictWithSize((w) => w.op(0x5d, 0x71, 200, 0x68, 200, 0x61));
    for (const { name, bytes } of withStorage(pickle)) {
      assert.throws(() => parseTorchCheckpoint(bytes, name), /_rebuild_tensor_v2: size holds a list, not a non-negative integer at byte offset \d+/);
    }
  });

  it('a zero-stride view cannot expand a tiny file into gigabytes', () => {
    // word embeddings of (2^22, 32) over a single stored float: 512 MiB if materialised.
    const tensors = new Map([['embeddings.word_embeddings.weight', { storage: '0', storageType: 'FloatStorage', offset: 0, shape: [2 ** 22, 32], stride: [0, 0] }]]);
    const storages = new Map([['0', { type: 'FloatStorage', numel: 1, data: new Uint8Array(4) }]]);
    const before = process.memoryUsage().rss;
    for (const [name, bytes] of [['zero-stride-zip.bin', encodeTorchZip(tensors, storages)], ['zero-stride-legacy.bin', encodeTorchLegacy(tensors, storages)]] as const) {
      assert.ok(bytes.length < 4096);
      assert.throws(
        () => parseTorchCheckpoint(bytes, name),
        /tensor of size \[4194304, 32\] with stride \(0, 0\) would expand 1 stored elements to 536870912 bytes; a view may repeat its storage up to 67108864 bytes/,
      );
    }
    assert.ok(process.memoryUsage().rss - before < 256 * 1024 * 1024);
    // An expand view within the bound still loads (torch saves position_ids-style buffers this way).
    const small = new Map([['b', { storage: '0', storageType: 'FloatStorage', offset: 0, shape: [4, 3], stride: [0, 1] }]]);
    const smallStorage = new Map([['0', { type: 'FloatStorage', numel: 3, data: new Uint8Array(Float32Array.from([1, 2, 3]).buffer) }]]);
    const sd = parseTorchCheckpoint(encodeTorchZip(small, smallStorage), 'expand.bin');
    assert.deepEqual(Array.from(sd.get('b')!.float32()), [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });
});
