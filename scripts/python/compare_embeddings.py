"""Compares two {"id", "embedding"} JSONL files row by row: cosine and max absolute difference.

Usage: compare_embeddings.py A.jsonl B.jsonl MIN_COSINE
Exits 1 if any row's cosine is below MIN_COSINE or the ids differ.
"""
import json
import math
import sys


def load(path):
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def main() -> None:
    a, b, min_cos = load(sys.argv[1]), load(sys.argv[2]), float(sys.argv[3])
    if [r["id"] for r in a] != [r["id"] for r in b]:
        sys.exit("ids differ between the two files")
    worst_cos, worst_abs = 1.0, 0.0
    for ra, rb in zip(a, b):
        x, y = ra["embedding"], rb["embedding"]
        dot = sum(p * q for p, q in zip(x, y))
        cos = dot / (math.sqrt(sum(p * p for p in x)) * math.sqrt(sum(q * q for q in y)))
        worst_cos = min(worst_cos, cos)
        worst_abs = max(worst_abs, max(abs(p - q) for p, q in zip(x, y)))
    print(f"rows {len(a)}  min cosine {worst_cos:.8f}  max abs diff {worst_abs:.3e}")
    if worst_cos < min_cos:
        sys.exit(f"min cosine {worst_cos:.8f} is below {min_cos}")


if __name__ == "__main__":
    main()
