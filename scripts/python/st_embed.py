"""Embeds texts with sentence-transformers (the reference), for parity checks against densekit.

Usage: st_embed.py MODEL_DIR INPUT.jsonl OUTPUT.jsonl
Input lines: {"id", "text", "title"?}; the text encoded is `title + " " + text` when a title is
present, as BEIR's and MTEB's sentence-transformers wrappers build it. Output: {"id", "embedding"}.
"""
import json
import sys

from sentence_transformers import SentenceTransformer


def main() -> None:
    model_dir, inp, out = sys.argv[1:4]
    rows = [json.loads(line) for line in open(inp, encoding="utf-8") if line.strip()]
    texts = [(r["title"] + " " + r["text"]) if r.get("title") is not None else r["text"] for r in rows]
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True)
    with open(out, "w", encoding="utf-8") as f:
        for r, v in zip(rows, vectors):
            f.write(json.dumps({"id": r["id"], "embedding": [float(x) for x in v]}) + "\n")


if __name__ == "__main__":
    main()
