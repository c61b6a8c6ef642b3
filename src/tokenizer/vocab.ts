/** A WordPiece vocabulary: token ↔ id. */
export interface Vocab {
  readonly tokenToId: ReadonlyMap<string, number>;
  /** Index = id. With a duplicated line in vocab.txt both ids keep the token; lookups give the later id. */
  readonly idToToken: readonly string[];
}

/**
 * Parses vocab.txt as transformers' load_vocab does: one token a line, id = line number. Python reads
 * it with universal newlines, so "\r\n" and a lone "\r" end a line too; a token never keeps a "\r"
 * (TAS-B's vocab.txt has CRLF line ends). A duplicated token maps to its last line, as in the reference.
 */
export function parseVocabTxt(text: string): Vocab {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const tokenToId = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) tokenToId.set(lines[i]!, i);
  return { tokenToId, idToToken: lines };
}

/** Builds the vocabulary from tokenizer.json's `model.vocab` object; `source` names the file in errors. */
export function vocabFromJson(vocab: unknown, source: string): Vocab {
  if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) {
    throw new Error(`${source}: model.vocab must be an object mapping token to id`);
  }
  const tokenToId = new Map<string, number>();
  const idToToken: string[] = [];
  for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new Error(`${source}: model.vocab[${JSON.stringify(token)}] must be a non-negative integer id, got ${JSON.stringify(id)}`);
    }
    tokenToId.set(token, id);
    idToToken[id] = token;
  }
  for (let i = 0; i < idToToken.length; i++) {
    if (idToToken[i] === undefined) throw new Error(`${source}: model.vocab has no token with id ${i} (ids must be contiguous)`);
  }
  return { tokenToId, idToToken };
}

/** Describes the first difference between two vocabularies, or returns undefined when they agree. */
export function vocabDifference(a: Vocab, b: Vocab): string | undefined {
  if (a.tokenToId.size !== b.tokenToId.size) return `${a.tokenToId.size} vs ${b.tokenToId.size} distinct tokens`;
  for (const [token, id] of a.tokenToId) {
    const other = b.tokenToId.get(token);
    if (other !== id) return `token ${JSON.stringify(token)} has id ${id} vs ${other === undefined ? 'absent' : other}`;
  }
  return undefined;
}
