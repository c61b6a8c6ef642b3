/** Undoes csv-style quoting of a TSV field (DPR's files were written with Python's csv module): "a ""b""" → a "b". */
export function unquoteTsvField(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}
