# Shared by the reproduction scripts (sourced, not run): option parsing, the densekit command, checks,
# and the results table. Each script sets its defaults as opt_<name> variables, then calls parse_options.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
script_name="$(basename "$0")"
# The public CLI only: the built one in this clone, or e.g. DENSEKIT="npx densekit".
read -r -a densekit <<< "${DENSEKIT:-node $repo_root/dist/src/cli/main.js}"
# Where the large public files (psgs_w100.tsv, collection.tsv, ...) are looked for by default.
data_dir="${DENSEKIT_DATA:-data}"
shipped="$repo_root/test/fixtures/data"

usage() {
  sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
  echo "Options (default):"
  local v
  for v in $(compgen -v opt_); do
    local flag="--${v#opt_}"
    printf '  %-18s %s\n' "${flag//_/-}" "${!v:-(none)}"
  done
}

parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      -h | --help) usage; exit 0 ;;
      --*)
        local name="opt_${1#--}"
        name="${name//-/_}"
        if [ -z "${!name+set}" ]; then echo "$script_name: unknown option $1 (see --help)" >&2; exit 2; fi
        if [ $# -lt 2 ]; then echo "$script_name: $1 needs a value" >&2; exit 2; fi
        printf -v "$name" '%s' "$2"
        shift 2 ;;
      *) echo "$script_name: unexpected argument '$1' (see --help)" >&2; exit 2 ;;
    esac
  done
}

# need_file FLAG PATH: stops with a message naming the flag when an input file is missing.
need_file() {
  if [ ! -e "$2" ]; then echo "$script_name: $2 not found; give it with $1 (see --help)" >&2; exit 2; fi
}

# run ARGS...: prints the densekit command, then runs it.
run() {
  echo "+ densekit $*" >&2
  "${densekit[@]}" "$@"
}

# print_table TITLE ROW...: ROW is "label|eval-json-file|measure|published".
print_table() {
  node "$repo_root/scripts/reproduce/lib/print-table.mjs" "$@"
}

# qa_answer_recall TITLE TOPK PUBLISHED...: index the corpus with the passage model (and query model,
# when opt_query_model is set), search the QA topics, and print DPR top-k answer recall at each of the
# comma-separated TOPK cutoffs beside PUBLISHED (one value per cutoff, "-" where none was published).
qa_answer_recall() {
  local title="$1" topk="$2"
  shift 2
  need_file --corpus "$opt_corpus"
  need_file --topics "$opt_topics"
  local query_model=()
  if [ -n "$opt_query_model" ]; then query_model=(--query-model "$opt_query_model"); fi
  mkdir -p "$opt_work"
  run index --model "$opt_model" "${query_model[@]}" --preset "$opt_preset" --dtype "$opt_dtype" \
    --corpus "$opt_corpus" --out "$opt_work/index"
  run search --index "$opt_work/index" --queries "$opt_topics" --k "$opt_k" --output "$opt_work/run.trec"
  run eval --answers "$opt_topics" --run "$opt_work/run.trec" --corpus "$opt_corpus" --topk "$topk" --json \
    > "$opt_work/eval.json"
  local rows=() k
  for k in ${topk//,/ }; do
    rows+=("answer recall@$k|$opt_work/eval.json|top_$k|$1")
    shift
  done
  print_table "$title" "${rows[@]}"
}

# msmarco_defaults NAME MODEL PRESET: the options of an MS MARCO passage reproduction, with the public
# files as defaults: dev-subset and DL'19 topics/qrels ship in test/fixtures; the corpus and DL'20 are
# looked for in $DENSEKIT_DATA (default ./data).
msmarco_defaults() {
  opt_model="$2"
  opt_preset="$3"
  opt_corpus="$data_dir/collection.tsv"
  opt_prebuilt=
  opt_dev_topics="$shipped/msmarco-dev/topics.msmarco-passage.dev-subset.txt"
  opt_dev_qrels="$shipped/msmarco-dev/qrels.msmarco-passage.dev-subset.txt"
  opt_dl19_topics="$shipped/trec-dl-2019/topics.dl19-passage.txt"
  opt_dl19_qrels="$shipped/trec-dl-2019/qrels.dl19-passage.txt"
  opt_dl20_topics="$data_dir/topics.dl20.txt"
  opt_dl20_qrels="$data_dir/qrels.dl20-passage.txt"
  opt_dtype=f32
  opt_work="${TMPDIR:-/tmp}/densekit-reproduce-$1"
}

# qa_defaults NAME MODEL QUERY_MODEL PRESET TOPICS: the options of a QA reproduction over DPR's
# Wikipedia passages (psgs_w100.tsv, looked for in $DENSEKIT_DATA, default ./data).
qa_defaults() {
  opt_model="$2"
  opt_query_model="$3"
  opt_preset="$4"
  opt_corpus="$data_dir/psgs_w100.tsv"
  opt_topics="$5"
  opt_k=100
  opt_dtype=f32
  opt_work="${TMPDIR:-/tmp}/densekit-reproduce-$1"
}

# msmarco_index: the index of the MS MARCO passages, encoded here (`densekit index`) or imported from a
# FAISS flat index encoded elsewhere (`densekit import`, with opt_prebuilt a Pyserini-style directory
# holding `index` and `docid`), so a machine without a GPU need not encode 8.8M passages.
msmarco_index() {
  mkdir -p "$opt_work"
  if [ -n "${opt_prebuilt:-}" ]; then
    need_file --prebuilt "$opt_prebuilt/index"
    need_file --prebuilt "$opt_prebuilt/docid"
    if [ ! -e "$opt_work/index/manifest.json" ]; then
      run import --model "$opt_model" --preset "$opt_preset" --dtype "$opt_dtype" \
        --vectors "$opt_prebuilt/index" --docids "$opt_prebuilt/docid" --out "$opt_work/index"
    fi
  else
    need_file --corpus "$opt_corpus"
    run index --model "$opt_model" --preset "$opt_preset" --dtype "$opt_dtype" --corpus "$opt_corpus" --out "$opt_work/index"
  fi
}

# msmarco_search_eval SET TOPICS QRELS: searches one topic set (top 1000) and writes eval.SET.json (the
# set's benchmark preset: msmarco-dev for "dev", trec-dl otherwise) and, for TREC DL, eval.SET.mrr.json
# (MRR@10 at relevance >= 2, as TREC DL reports it). Returns 1 when the topics are "none" (set skipped).
msmarco_search_eval() {
  local set="$1" topics="$2" qrels="$3"
  if [ "$topics" = none ]; then return 1; fi
  need_file "--$set-topics" "$topics"
  need_file "--$set-qrels" "$qrels"
  run search --index "$opt_work/index" --queries "$topics" --k 1000 --output "$opt_work/run.$set.trec"
  if [ "$set" = dev ]; then
    run eval --preset msmarco-dev --qrels "$qrels" --run "$opt_work/run.$set.trec" --json > "$opt_work/eval.$set.json"
  else
    run eval --preset trec-dl --qrels "$qrels" --run "$opt_work/run.$set.trec" --json > "$opt_work/eval.$set.json"
    run eval --qrels "$qrels" --run "$opt_work/run.$set.trec" -c -l 2 -M 10 -m recip_rank --json > "$opt_work/eval.$set.mrr.json"
  fi
}
