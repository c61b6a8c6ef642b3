/** A run of text, marked when it is a query term. */
export interface HighlightRun {
  readonly text: string;
  readonly mark: boolean;
}

/**
 * Splits `text` into runs, marking the words that also occur in `query` (whole words, case-insensitive,
 * common English function words left unmarked). The search page renders runs with textContent and
 * <mark> elements, never as HTML, so passage text cannot inject markup.
 *
 * This function is also shipped to the browser as its source text (search-page.ts), so it must stay
 * self-contained: no imports, no outside names.
 */
export function highlightRuns(text: string, query: string): HighlightRun[] {
  const stopWords = new Set(
    'a an and are as at be by for from has in is it its of on or that the to was were with what which who how'.split(' '),
  );
  const word = /[\p{L}\p{N}]+/gu;
  const terms = new Set<string>();
  for (const m of query.toLowerCase().matchAll(word)) if (!stopWords.has(m[0])) terms.add(m[0]);
  const runs: { text: string; mark: boolean }[] = [];
  const push = (piece: string, mark: boolean): void => {
    if (piece === '') return;
    const last = runs[runs.length - 1];
    if (last && last.mark === mark && !mark) last.text += piece;
    else runs.push({ text: piece, mark });
  };
  let pos = 0;
  for (const m of text.matchAll(word)) {
    if (!terms.has(m[0].toLowerCase())) continue;
    push(text.slice(pos, m.index), false);
    push(m[0], true);
    pos = m.index! + m[0].length;
  }
  push(text.slice(pos), false);
  return runs;
}
