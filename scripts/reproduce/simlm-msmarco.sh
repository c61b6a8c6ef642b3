#!/usr/bin/env bash
# SimLM (intfloat/simlm-base-msmarco-finetuned) on MS MARCO passage, as its model card reports it: dev
# (small) MRR@10, R@50 and R@1k, TREC DL'19 and DL'20 nDCG@10. The authors' corpus gives each passage a
# title (their passages.jsonl); collection.tsv has none, so the preset's "-" title stands in: give the
# titled corpus (any format densekit reads) with --corpus for their exact setting. A topic set given as
# "none" is skipped. Runs only the public densekit CLI; every model and file is an option.

source "$(dirname "$0")/lib/common.sh"
msmarco_defaults simlm-msmarco intfloat/simlm-base-msmarco-finetuned simlm
parse_options "$@"

msmarco_index
rows=()
if msmarco_search_eval dev "$opt_dev_topics" "$opt_dev_qrels"; then
  run eval --qrels "$opt_dev_qrels" --run "$opt_work/run.dev.trec" -c -m recall.50 --json > "$opt_work/eval.dev.r50.json"
  rows+=("dev MRR@10|$opt_work/eval.dev.json|MRR@10|.411" "dev R@50|$opt_work/eval.dev.r50.json|recall_50|.878"
    "dev R@1k|$opt_work/eval.dev.json|recall_1000|.987")
fi
if msmarco_search_eval dl19 "$opt_dl19_topics" "$opt_dl19_qrels"; then
  rows+=("dl19 nDCG@10|$opt_work/eval.dl19.json|ndcg_cut_10|.714")
fi
if msmarco_search_eval dl20 "$opt_dl20_topics" "$opt_dl20_qrels"; then
  rows+=("dl20 nDCG@10|$opt_work/eval.dl20.json|ndcg_cut_10|.697")
fi
print_table "SimLM, MS MARCO passage: $opt_model" "${rows[@]}"
