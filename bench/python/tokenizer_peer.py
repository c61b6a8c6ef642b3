"""Python peers for bench/tokenizer, on the same SciFact texts and the same vocab: transformers'
pure-Python WordPiece (BertTokenizerLegacy in transformers 5, BertTokenizer before) and the Rust
`tokenizers` backend (BertTokenizerFast), one call per text as an encoder loop makes them.

Usage: tokenizer_peer.py VOCAB CORPUS ROUNDS → one markdown table row per peer and input.
"""
import json
import sys
import time

import transformers
from transformers import BertTokenizerFast

# transformers 5 made BertTokenizer the Rust-backed class and kept the Python one as BertTokenizerLegacy.
PythonBertTokenizer = getattr(transformers, "BertTokenizerLegacy", None) or transformers.BertTokenizer


def main() -> None:
    vocab, corpus, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    docs = [json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()]
    joined = [d["title"] + " " + d["text"] for d in docs]
    for name, cls in ((f"transformers {transformers.__version__} Python WordPiece", PythonBertTokenizer), (f"transformers {transformers.__version__} BertTokenizerFast (Rust)", BertTokenizerFast)):
        tok = cls(vocab, do_lower_case=True)
        for label, run in (
            ("SciFact title+text (no truncation)", lambda: [tok(t)["input_ids"] for t in joined]),
            ("SciFact (title, text) pairs, max 256", lambda: [tok(d["title"], d["text"], truncation="longest_first", max_length=256)["input_ids"] for d in docs]),
        ):
            best, tokens = float("inf"), 0
            for _ in range(rounds if cls is BertTokenizerFast else 1):
                t0 = time.perf_counter()
                ids = run()
                best = min(best, time.perf_counter() - t0)
                tokens = sum(len(x) for x in ids)
            print(f"| {name}: {label} | {len(docs)} texts, {tokens} tokens | {len(docs) / best:.0f} texts/s | {tokens / best / 1e6:.2f} M tokens/s |")


if __name__ == "__main__":
    main()
