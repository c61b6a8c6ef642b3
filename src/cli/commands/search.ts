import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { Option } from 'commander';
import { readQueries, type QueryRecord } from '../../corpus/index.js';
import { publishFile, tempPathFor } from '../../files/atomic-write.js';
import { hasAnswer } from '../../eval/answers/has-answer.js';
import { openIndex } from '../../index/open-index.js';
import { RUN_FORMATS, RunWriter, type RunFormat } from '../../results/run-writer.js';
import { positiveInt } from '../arguments.js';
import type { RegisterCommand } from './registry.js';

interface SearchFlags {
  index: string;
  query?: string;
  queries?: string;
  k: number;
  format: RunFormat;
  output?: string;
  batchSize?: number;
  threads?: number;
  tag: string;
  answerMatch: 'string' | 'regex';
  verify: boolean;
  exact?: boolean;
  efSearch?: number;
}

/** Queries searched per round: bounds the query vectors and hits held at once. */
const QUERY_CHUNK = 1024;

/** `densekit search`: query a dense or BM25 index and write a run file. */
export const registerSearch: RegisterCommand = (program) => {
  program
    .command('search')
    .description('search an index (dense or BM25) and write a run')
    .requiredOption('--index <dir>', 'index directory')
    .option('--query <text>', 'one query (its id is "0")')
    .option('--queries <file>', 'query file (TSV, BEIR JSONL, DPR QA TSV/JSONL; detected); DPR questions get ids 0, 1, ... in file order')
    .option('--k <n>', 'hits per query', positiveInt, 1000)
    .addOption(new Option('--format <format>', 'run format').choices(RUN_FORMATS).default('trec'))
    .option('--output <file>', 'write the run here (default: stdout)')
    .option('--batch-size <n>', 'queries per encoder forward pass', positiveInt)
    .option('--threads <n>', 'inference and search threads (default: all cores)', positiveInt)
    .option('--tag <tag>', 'TREC run tag', 'densekit')
    .addOption(new Option('--answer-match <mode>', 'dpr-json has_answer matching (regex for CuratedTREC)').choices(['string', 'regex']).default('string'))
    .option('--exact', 'search exactly even when the index has an HNSW graph')
    .option('--ef-search <n>', 'HNSW candidate list size (default 64, raised to k)', positiveInt)
    .option('--no-verify', 'skip hashing the index files on open (sizes are still checked)')
    .action(async (flags: SearchFlags) => {
      if ((flags.query === undefined) === (flags.queries === undefined)) throw new Error('give exactly one of --query TEXT and --queries FILE');
      const queries: QueryRecord[] = flags.query !== undefined ? [{ id: '0', text: flags.query }] : await readQueries(flags.queries!);
      if (queries.length === 0) throw new Error(`${flags.queries}: no queries`);
      const opened = await openIndex(flags.index, {
        verify: flags.verify,
        ...(flags.exact ? { exact: true } : {}),
        ...(flags.efSearch ? { efSearch: flags.efSearch } : {}),
        ...(flags.threads ? { threads: flags.threads } : {}),
        ...(flags.batchSize ? { batchSize: flags.batchSize } : {}),
      });
      const temp = flags.output !== undefined ? tempPathFor(flags.output) : undefined;
      const fd = temp !== undefined ? openSync(temp, 'wx') : -1;
      // stdout may be a non-blocking pipe, where writeSync can fail with EAGAIN: wait for drain instead.
      const put = async (s: string): Promise<void> => {
        if (s === '') return;
        if (temp === undefined) {
          if (!process.stdout.write(s)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
          return;
        }
        const b = Buffer.from(s, 'utf8');
        for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
      };
      try {
        const writer = new RunWriter({
          format: flags.format,
          tag: flags.tag,
          hasAnswer: (answers, text) => hasAnswer(answers, text, { mode: flags.answerMatch }),
          storesText: opened.documents !== undefined,
        });
        await put(writer.begin());
        for (let start = 0; start < queries.length; start += QUERY_CHUNK) {
          const chunk = queries.slice(start, start + QUERY_CHUNK);
          const results = await opened.searcher.search(chunk, flags.k);
          for (let i = 0; i < results.length; i++) {
            const hits = results[i]!.hits;
            const docs = writer.needsDocuments && opened.documents ? await opened.documents(hits) : [];
            await put(writer.query(chunk[i]!, results[i]!, docs));
          }
        }
        await put(writer.end());
        if (temp !== undefined) {
          closeSync(fd);
          publishFile(temp, flags.output!);
        }
      } catch (err) {
        if (temp !== undefined) {
          try {
            closeSync(fd);
          } catch {
            // already closed
          }
          rmSync(temp, { force: true });
        }
        throw err;
      } finally {
        await opened.close();
      }
    });
};
