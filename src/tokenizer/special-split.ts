// The part of transformers 3.4.0 PreTrainedTokenizer.tokenize() that runs before BERT's own
// tokenizer: lowercasing outside special tokens, then cutting the text at every "no split" token
// (special tokens and added tokens), which then pass through whole.

/** A piece of input text: either a no-split token (kept as is) or ordinary text to tokenize. */
export interface TextPiece {
  readonly text: string;
  readonly noSplit: boolean;
}

/**
 * Python `str.lower()` applied one character at a time, as 3.4.0's `re.sub(r"(...)|(.+?)", ...)` does:
 * so a final capital sigma becomes "σ", not the contextual "ς" that a whole-string lowercase gives.
 */
export function lowerPerChar(text: string): string {
  return (text.includes('Σ') ? text.replaceAll('Σ', 'σ') : text).toLowerCase();
}

/**
 * Lowercases everything except occurrences of the special tokens, scanning left to right and trying
 * the tokens in `specials` order at each position, like the reference's regex alternation.
 */
export function lowerOutsideSpecials(text: string, specials: readonly string[]): string {
  let out = '';
  let pos = 0;
  for (;;) {
    let at = -1;
    let match = '';
    for (const s of specials) {
      if (s === '') continue;
      const i = text.indexOf(s, pos);
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
        match = s;
      }
    }
    if (at < 0) break;
    // At the same position, the first token in list order wins (regex alternation order).
    for (const s of specials) {
      if (s !== '' && text.startsWith(s, at)) {
        match = s;
        break;
      }
    }
    out += lowerPerChar(text.slice(pos, at)) + match;
    pos = at + match.length;
  }
  return out + lowerPerChar(text.slice(pos));
}

/**
 * split_on_tokens: cuts the text at each no-split token, one token after another in `sortedTokens`
 * order (the reference keeps them sorted). Whitespace next to a cut is dropped, as the reference
 * strips it; empty pieces vanish.
 */
export function splitOnNoSplitTokens(text: string, sortedTokens: readonly string[], isNoSplit: (t: string) => boolean): TextPiece[] {
  let pieces: string[] = [text];
  for (const tok of sortedTokens) {
    if (tok === '') continue;
    const next: string[] = [];
    for (const piece of pieces) {
      if (isNoSplit(piece) || !piece.includes(tok)) {
        next.push(piece);
        continue;
      }
      const parts = piece.split(tok);
      for (let i = 0; i < parts.length; i++) {
        let sub = parts[i]!;
        if (i < parts.length - 1) sub = sub.trimEnd();
        if (i > 0) sub = sub.trimStart();
        if (i === 0 && sub === '') next.push(tok);
        else if (i === parts.length - 1) {
          if (sub !== '') next.push(sub);
        } else {
          if (sub !== '') next.push(sub);
          next.push(tok);
        }
      }
    }
    pieces = next;
  }
  return pieces.map((p) => ({ text: p, noSplit: isNoSplit(p) }));
}
