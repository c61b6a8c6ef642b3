import { upgradeIndex } from '../../index/build/upgrade.js';
import type { RegisterCommand } from './registry.js';

/** `densekit upgrade DIR`: writes the derived files newer densekit builds write (no re-encoding). */
export const registerUpgrade: RegisterCommand = (program) => {
  program
    .command('upgrade')
    .description('add the docid index (docid tie ranks, docid order, docid chunk table) to an index built by an older densekit, so it opens without loading every docid')
    .argument('<dir>', 'index directory')
    .action((dir: string) => {
      const result = upgradeIndex(dir);
      if (result.docidIndex) {
        const files = [result.docidIndex.chunks, result.docidIndex.ranks, result.docidIndex.sorted];
        process.stdout.write(`${dir}: wrote ${files.map((f) => `${f.file} (${f.bytes} bytes)`).join(', ')}\n`);
      } else {
        process.stdout.write(`${dir}: nothing to do (${result.reason})\n`);
      }
    });
};
