// Child process of test/index/docid-memory.test.ts: opens an index directory through openIndex (as the
// CLI's search and serve do), searches one text query at k = 10 and 1000, and prints the hits.
import { openIndex } from '../../src/index/open-index.js';

const [dir] = process.argv.slice(2) as [string];
const opened = await openIndex(dir, { threads: 1 });
const out: [string, number][][] = [];
for (const k of [10, 1000]) {
  const [hits] = await opened.searcher.search([{ id: 'q', text: 'scale test query about open memory' }], k);
  out.push(hits!.hits.map((h) => [h.docid, h.score]));
}
await opened.close();
process.stdout.write(JSON.stringify(out) + '\n');
