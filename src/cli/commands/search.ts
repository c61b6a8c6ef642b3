import { readQueries, readUniqueQueries } from '../../corpus/query-reader.js';
import type { QueryRecord } from '../../corpus/index.js';
import { hasAnswer } from '../../eval/answers/has-answer.js';
import { openIndex } from '../../index/open-index.js';
import { RUN_FORMATS, RunWriter, type RunFormat } from '../../results/run-writer.js';
import { positiveInt } from '../arguments.js';
import { addHnswSearchOptions, engineSearchParams } from '../engine-options.js';
import { UsageError } from '../errors.js';
import { flag } from '../help.js';
import { withOutputFile } from '../output-file.js';
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
  rescore?: number;
  nprobe?: number;
  milvusUri?: string;
}

/** Queries searched per round: bounds the query vectors and hits held at once. */
const QUERY_CHUNK = 1024;

/** `densekit search`: query a dense or BM25 index and write a run file. */
export const registerSearch: RegisterCommand = (program) => {
  const cmd = program
    .command('search')
    .description('search an index (dense or BM25) and write a run')
    .requiredOption('--index <dir>', 'index directory')
    .option('--query <text>', 'one query, whose id is "0" (give this or --queries)')
    .option('--queries <file>', 'query file: TSV, BEIR JSONL, DPR QA TSV/JSONL, detected; plain or .gz; DPR questions get ids 0, 1, ... in file order (give this or --query)')
    .addOption(flag('--k <n>', 'hits per query', { parse: positiveInt, default: 1000 }))
    .addOption(flag('--format <format>', 'run format', { choices: RUN_FORMATS, default: 'trec' }))
    .addOption(flag('--output <file>', 'write the run here', { shownDefault: 'stdout' }))
    .addOption(flag('--batch-size <n>', 'queries per encoder forward pass', { parse: positiveInt, shownDefault: 64 }))
    .addOption(flag('--threads <n>', 'inference and search threads', { parse: positiveInt, shownDefault: 'all cores' }))
    .addOption(flag('--tag <tag>', 'TREC run tag', { default: 'densekit' }))
    .addOption(flag('--answer-match <mode>', 'dpr-json has_answer matching (regex for CuratedTREC)', { choices: ['string', 'regex'], default: 'string' }))
    .option('--exact', 'search exactly even when the index has an HNSW graph');
  addHnswSearchOptions(cmd)
    .addOption(flag('--nprobe <n>', 'milvus IVF_FLAT: clusters probed per query', { parse: positiveInt, shownDefault: 16 }))
    .addOption(flag('--milvus-uri <uri>', 'milvus: the server to search', { shownDefault: '$MILVUS_URI, else the uri the index recorded' }))
    .option('--no-verify', 'skip hashing the index files on open (sizes are still checked)')
    .action(async (flags: SearchFlags) => {
      if ((flags.query === undefined) === (flags.queries === undefined)) throw new UsageError('give exactly one of --query TEXT and --queries FILE');
      // A dpr-json run is positional (DPR's own files repeat questions); every other format is keyed by query id.
      const read = flags.format === 'dpr-json' ? readQueries : readUniqueQueries;
      const queries: QueryRecord[] = flags.query !== undefined ? [{ id: '0', text: flags.query }] : await read(flags.queries!);
      if (queries.length === 0) throw new Error(`${flags.queries}: no queries`);
      await withOutputFile(flags.output, async (out) => {
        const opened = await openIndex(flags.index, {
          verify: flags.verify,
          ...(flags.exact ? { exact: true } : {}),
          ...(flags.efSearch ? { efSearch: flags.efSearch } : {}),
          ...engineSearchParams(flags),
          ...(flags.threads ? { threads: flags.threads } : {}),
          ...(flags.batchSize ? { batchSize: flags.batchSize } : {}),
        });
        try {
          const writer = new RunWriter({
            format: flags.format,
            tag: flags.tag,
            hasAnswer: (answers, text) => hasAnswer(answers, text, { mode: flags.answerMatch }),
            storesText: opened.documents !== undefined,
          });
          await out.write(writer.begin());
          for (let start = 0; start < queries.length; start += QUERY_CHUNK) {
            const chunk = queries.slice(start, start + QUERY_CHUNK);
            const results = await opened.searcher.search(chunk, flags.k);
            for (let i = 0; i < results.length; i++) {
              const hits = results[i]!.hits;
              const docs = writer.needsDocuments && opened.documents ? await opened.documents(hits) : [];
              await out.write(writer.query(chunk[i]!, results[i]!, docs));
            }
          }
          await out.write(writer.end());
        } finally {
          await opened.close();
        }
      });
    });
};
