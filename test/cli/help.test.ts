// The CLI's help as a new user reads it: one style, every flag described and applicable, usage
// errors short, and every environment variable the code reads documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { commands } from '../../src/cli/commands/index.js';
import { configureCli } from '../../src/cli/help.js';

function program(): Command {
  const p = new Command().name('densekit');
  for (const register of commands) register(p);
  configureCli(p);
  return p;
}

const byName = (name: string) => program().commands.find((c) => c.name() === name)!;
const longFlags = (name: string) => byName(name).options.map((o) => o.long);

test('every flag of every command is described, and defaults are written one way (in the help\'s own parentheses)', () => {
  for (const cmd of program().commands) {
    for (const option of cmd.options) {
      assert.ok(option.description.trim().length > 0, `${cmd.name()} ${option.flags} has no description`);
      assert.doesNotMatch(option.description, /\(default|default[: ]/i, `${cmd.name()} ${option.flags}: a default written in prose`);
    }
    const help = cmd.helpInformation().replace(/\s+/g, ' ');
    assert.doesNotMatch(help, /default: "/, `${cmd.name()}: quoted default`);
    assert.doesNotMatch(help, /choices: /, `${cmd.name()}: commander's own choices style`);
    for (const option of cmd.options.filter((o) => o.mandatory)) {
      assert.match(help, new RegExp(`${option.flags.replace(/[<>.]/g, '\\$&')} .*?\\((required|required;)`), `${cmd.name()} ${option.flags} not marked required`);
    }
  }
  const search = byName('search').helpInformation().replace(/\s+/g, ' ');
  assert.match(search, /--k <n> hits per query \(default: 1000\)/);
  assert.match(search, /--format <format> run format \(one of: trec, msmarco, dpr-json, jsonl; default: trec\)/);
  assert.match(search, /--index <dir> index directory \(required\)/);
  assert.match(byName('index').helpInformation().replace(/\s+/g, ' '), /--shard-size <n> records per shard file, the unit of resume \(default: 8192\)/);
});

test('each command lists only the flags that apply to it', () => {
  const embed = longFlags('embed');
  for (const f of ['--query-max-length', '--similarity', '--shard', '--dtype']) assert.ok(!embed.includes(f), `embed lists ${f}`);
  for (const f of ['--max-length', '--pooling', '--passage-format', '--batch-size', '--quantize']) assert.ok(embed.includes(f), `embed lacks ${f}`);
  const imp = longFlags('import');
  for (const f of ['--passage-format', '--query-max-length', '--batch-size', '--threads', '--skip-bad']) assert.ok(!imp.includes(f), `import lists ${f}`);
  for (const f of ['--similarity', '--max-length', '--quantize']) assert.ok(imp.includes(f), `import lacks ${f}`);
  const index = longFlags('index');
  for (const f of ['--query-max-length', '--similarity', '--passage-format', '--batch-size']) assert.ok(index.includes(f), `index lacks ${f}`);
});

test('a usage error is one line plus where to read more, not the whole help', () => {
  const cases: [string[], RegExp][] = [
    [['index', '--corpus', 'c.jsonl'], /^densekit: error: required option '--out <dir>' not specified$/],
    [['index', '--corpus', 'c.jsonl', '--out', 'o'], /^densekit: error: required option '--model <model>' not specified \(or give --bm25 for a BM25 index\)$/],
    [['search', '--index', 'x', '--bogus'], /^densekit: error: unknown option '--bogus'$/],
    [['search', '--index', 'x'], /^densekit: error: give exactly one of --query TEXT and --queries FILE$/],
    [['eval', '--qrels', 'q'], /^densekit: error: required option '--run <file>' not specified$/],
    [['index', '--corpus', 'c', '--out', 'o', '--dtype', 'f64'], /^densekit: error: option '--dtype <dtype>' argument 'f64' is invalid\. Allowed choices are f32, f16, int8\.$/],
  ];
  for (const [args, first] of cases) {
    const r = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8' });
    assert.equal(r.status, 1, args.join(' '));
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, `${args.join(' ')}:\n${r.stderr}`);
    assert.match(lines[0]!, first);
    assert.equal(lines[1], `see \`densekit ${args[0]} --help\``);
  }
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('densekit --help and the README list every environment variable the code reads', () => {
  const names = new Set<string>();
  for (const file of sourceFiles('src')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
  }
  assert.ok(names.has('DENSEKIT_DEBUG') && names.has('HF_HOME') && names.has('DENSEKIT_API_KEY'), [...names].join(' '));
  const help = spawnSync(process.execPath, ['dist/src/cli/main.js', '--help'], { encoding: 'utf8' }).stdout;
  const readme = readFileSync('README.md', 'utf8');
  for (const name of names) {
    assert.match(help, new RegExp(`\\b${name}\\b`), `densekit --help does not mention ${name}`);
    assert.match(readme, new RegExp(`\\b${name}\\b`), `README does not mention ${name}`);
  }
});
