#!/usr/bin/env bash
# Embedding parity of densekit against sentence-transformers on 50 SciFact passages, with the real
# all-MiniLM-L6-v2. Needs a Python with sentence-transformers (PYTHON, default /tmp/stvenv/bin/python;
# make one with: python3 -m venv /tmp/stvenv && /tmp/stvenv/bin/pip install sentence-transformers torch==2.13.0).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-/tmp/stvenv/bin/python}"
model=$(scripts/fetch-minilm.sh "${DENSEKIT_MODEL_CACHE:-.cache/models}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n 50 test/fixtures/data/scifact/corpus.jsonl \
  | "$python" -c 'import sys, json
for l in sys.stdin:
    d = json.loads(l); print(json.dumps({"id": d["_id"], "title": d["title"], "text": d["text"]}))' > "$work/texts.jsonl"
node dist/src/cli/main.js embed --model "$model" --kind passage --input "$work/texts.jsonl" --output "$work/densekit.jsonl"
"$python" scripts/python/st_embed.py "$model" "$work/texts.jsonl" "$work/st.jsonl"
"$python" scripts/python/compare_embeddings.py "$work/densekit.jsonl" "$work/st.jsonl" 0.99999
