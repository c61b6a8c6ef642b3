import { readTextFile } from '../corpus/text-lines.js';

/** Relevance judgments: topic id → (docid → integer grade). Negative grades are judged non-relevant. */
export type Qrels = Map<string, Map<string, number>>;

const INTEGER = /^[+-]?\d+$/;
/** BEIR's header row (`query-id corpus-id score`); only a row with no number in the grade column is taken as one. */
const BEIR_HEADER = /^\S+\s+\S+\s+[^\d\s+-][^\s]*$/;

/**
 * Parses qrels text. Accepts TREC qrels (`qid iter docid grade`, whitespace-separated) and BEIR's
 * TSV (`query-id corpus-id score`, with or without its header row). A repeated (qid, docid) pair
 * with the same grade is accepted; with a different grade it is an error, since picking one would
 * silently change the evaluation.
 */
export function parseQrels(text: string, source = 'qrels'): Qrels {
  const qrels: Qrels = new Map();
  const lines = text.split('\n');
  let columns = 0; // fixed by the first judgment line: 4 (TREC) or 3 (BEIR)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${source}:${i + 1}`;
    const cols = line.split(/\s+/);
    if (i === 0 && cols.length === 3 && BEIR_HEADER.test(line)) continue;
    if (columns === 0 && (cols.length === 4 || cols.length === 3)) columns = cols.length;
    let qid: string, docid: string, gradeText: string;
    if (cols.length !== columns) {
      throw new Error(`${where}: malformed qrels line (expected ${columns === 3 ? '3 columns "qid docid grade" like the first line' : '4 columns "qid iter docid grade"'}, got ${cols.length}): ${JSON.stringify(line)}`);
    }
    if (cols.length === 4) [qid, , docid, gradeText] = cols as [string, string, string, string];
    else if (cols.length === 3) [qid, docid, gradeText] = cols as [string, string, string];
    else {
      throw new Error(`${where}: malformed qrels line (expected "qid iter docid grade" or "qid docid grade", got ${cols.length} columns): ${JSON.stringify(line)}`);
    }
    if (!INTEGER.test(gradeText)) throw new Error(`${where}: relevance grade must be an integer, got ${JSON.stringify(gradeText)}`);
    const grade = Number(gradeText);
    let docs = qrels.get(qid);
    if (!docs) qrels.set(qid, (docs = new Map()));
    const previous = docs.get(docid);
    if (previous !== undefined && previous !== grade) {
      throw new Error(`${where}: document ${docid} of topic ${qid} is judged twice with different grades (${previous} and ${grade})`);
    }
    docs.set(docid, grade);
  }
  return qrels;
}

/** Reads a qrels file (TREC or BEIR TSV format); errors name file:line. */
export async function readQrels(path: string): Promise<Qrels> {
  return parseQrels(await readTextFile(path), path);
}
