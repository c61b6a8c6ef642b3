// Joins the slice directories of a `--shard i/n` build into one index. Slices hold whole shards of the
// single-run layout (same names, same bytes), so merging copies files and writes the manifest a
// single run would have written.
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isTempFileName, syncDir, tempPathFor } from '../../files/atomic-write.js';
import { paramDifferences } from './progress.js';
import { shardFiles } from './shard-sink.js';
import { verifyShard } from '../formats/verify.js';
import { chooseEngine } from '../engines/registry.js';
import { DOCID_INDEX_FILE, writeDocidIndex } from '../formats/docid-index.js';
import { manifestFor, paramsOf, readManifest, readManifestJson, writeManifest, type IndexManifest, type ManifestShard } from '../formats/manifest.js';

export interface MergeOptions {
  readonly outDir: string;
  readonly sliceDirs: readonly string[];
  /** Threads the engine may use to write its files (see BuildOptions.engineThreads). */
  readonly engineThreads?: number;
  readonly log?: (message: string) => void;
}

export async function mergeSlices(options: MergeOptions): Promise<IndexManifest> {
  const { outDir, sliceDirs } = options;
  if (sliceDirs.length === 0) throw new Error('merge: give at least one slice directory');
  const slices = sliceDirs.map((dir) => {
    const m = readManifest(dir);
    if (!m.slice) throw new Error(`${dir}: not a slice (its index was built without --shard i/n)`);
    return { dir, m, slice: m.slice };
  });
  const first = slices[0]!;
  for (const s of slices.slice(1)) {
    const diffs = paramDifferences(paramsOf(first.m), paramsOf(s.m));
    if (diffs.length) throw new Error(`merge: ${s.dir} was built with other settings than ${first.dir}:\n  ${diffs.join('\n  ')}`);
    if (s.slice.n !== first.slice.n || s.slice.totalCount !== first.slice.totalCount) {
      throw new Error(`merge: ${s.dir} is slice ${s.slice.i}/${s.slice.n} of ${s.slice.totalCount} records, ${first.dir} is slice ${first.slice.i}/${first.slice.n} of ${first.slice.totalCount}`);
    }
  }
  slices.sort((a, b) => a.slice.i - b.slice.i);
  const n = first.slice.n;
  for (let i = 0; i < n; i++) {
    const found = slices.filter((s) => s.slice.i === i);
    if (found.length === 0) throw new Error(`merge: slice ${i}/${n} is missing`);
    if (found.length > 1) throw new Error(`merge: slice ${i}/${n} is given twice (${found.map((s) => s.dir).join(', ')})`);
  }
  let nextShard = 0;
  for (const s of slices) {
    if (s.slice.firstShard !== nextShard || s.m.shards.length !== s.slice.shardCount) {
      throw new Error(`merge: ${s.dir} (slice ${s.slice.i}/${n}) starts at shard ${s.slice.firstShard} with ${s.m.shards.length} shards; expected shard ${nextShard}`);
    }
    nextShard += s.slice.shardCount;
  }
  const params = paramsOf(first.m);
  if (Math.ceil(first.slice.totalCount / params.shardSize) !== nextShard) throw new Error(`merge: the slices hold ${nextShard} shards, the corpus needs ${Math.ceil(first.slice.totalCount / params.shardSize)}`);
  const shards = slices.flatMap((s) => s.m.shards);
  const names = shards.flatMap(shardFiles);
  if (new Set(names).size !== names.length) throw new Error('merge: two slices hold files of the same name');

  mkdirSync(outDir, { recursive: true });
  if (readManifestJson(outDir)) throw new Error(`merge: ${outDir} already holds an index; choose a new --out directory`);
  // (A docid index file is left by an earlier merge into this directory that stopped before its manifest.)
  const foreign = readdirSync(outDir).filter((name) => !isTempFileName(name) && !names.includes(name) && !DOCID_INDEX_FILE.test(name));
  if (foreign.length) throw new Error(`merge: ${outDir} is not empty (found ${foreign.slice(0, 3).join(', ')})`);
  for (const s of slices) {
    for (const shard of s.m.shards) {
      verifyShard(s.dir, shard, params, true, 'now');
      for (const name of shardFiles(shard)) {
        const temp = tempPathFor(join(outDir, name));
        copyFileSync(join(s.dir, name), temp);
        renameSync(temp, join(outDir, name));
      }
    }
  }
  syncDir(outDir);
  // Copies are checked again in place, so a bad disk cannot hand out a silently damaged index.
  for (const shard of shards) verifyShard(outDir, shard, params, true, 'now');
  const { engine } = chooseEngine(params.engine);
  const engineFiles = await engine.build({ dir: outDir, params, shards, threads: options.engineThreads, log: options.log ?? (() => {}) }, params.engine.params);
  const manifest = manifestFor(params, shards, { engineFiles, docidIndex: writeDocidIndex(outDir, shards) });
  writeManifest(outDir, manifest);
  for (const name of readdirSync(outDir)) if (isTempFileName(name)) rmSync(join(outDir, name), { force: true });
  return manifest;
}

