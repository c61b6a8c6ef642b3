// The folder tree is the data flow: each top-level folder of src/ imports only folders below it in
// LAYERS, so there is no import cycle between them. Read from the sources (every relative import or
// export specifier, type-only ones included); src/index.ts, the package entry, may import anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/** Bottom first. */
const LAYERS = [
  'checks', 'files', 'hub', 'checkpoint', 'tokenizer', 'model', 'encoder', 'corpus',
  'results', 'sparse', 'fusion', 'index', 'eval', 'server', 'cli',
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

/** Edges "from → to" between top-level folders, each with one file that makes it. */
function folderEdges(root: string): Map<string, string> {
  const edges = new Map<string, string>();
  for (const file of sources(root)) {
    const from = relative(root, file).split(sep);
    if (from.length < 2) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const to = relative(root, normalize(join(dirname(file), m[1]!))).split(sep);
      if (to.length < 2 || to[0] === from[0]) continue;
      const key = `${from[0]} → ${to[0]}`;
      if (!edges.has(key)) edges.set(key, relative(root, file));
    }
  }
  return edges;
}

test('every top-level folder of src/ has a place in the layer order', () => {
  const folders = readdirSync('src').filter((n) => statSync(join('src', n)).isDirectory());
  assert.deepEqual(folders.filter((f) => !LAYERS.includes(f)), [], 'add new folders to LAYERS');
});

test('top-level folders of src/ import only the layers below them (so no folder cycle)', () => {
  const wrong = [...folderEdges('src')]
    .filter(([edge]) => {
      const [from, to] = edge.split(' → ') as [string, string];
      return LAYERS.indexOf(to) >= LAYERS.indexOf(from);
    })
    .map(([edge, file]) => `${edge} (${file})`);
  assert.deepEqual(wrong, []);
});

test('the check sees real edges (a cycle would be caught)', () => {
  const edges = folderEdges('src');
  assert.ok(edges.has('index → results') && edges.has('cli → index') && edges.has('encoder → model'), [...edges.keys()].join(', '));
});
