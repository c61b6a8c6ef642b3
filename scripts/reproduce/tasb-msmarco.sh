#!/usr/bin/env bash
# TAS-B (sebastian-hofstaetter/distilbert-dot-tas_b-b256-msmarco) on MS MARCO passage, as its model card
# reports it: dev (small) MRR@10 and R@1k, TREC DL'19 and DL'20 nDCG@10, with MRR@10 and R@1k at
# relevance >= 2 beside (the card's values for those are not listed here: "-").
# The 8.8M passages are encoded here (--corpus collection.tsv), or, without a GPU, imported from a FAISS
# flat index encoded elsewhere (--prebuilt DIR holding Pyserini's `index` and `docid` files, e.g.
# faiss-flat.msmarco-passage.distilbert-dot-tas_b-b256). A topic set given as "none" is skipped.
# Runs only the public densekit CLI; every model and file is an option, so local copies work.

source "$(dirname "$0")/lib/common.sh"
msmarco_defaults tasb-msmarco sebastian-hofstaetter/distilbert-dot-tas_b-b256-msmarco tas-b
parse_options "$@"

msmarco_index
rows=()
if msmarco_search_eval dev "$opt_dev_topics" "$opt_dev_qrels"; then
  rows+=("dev MRR@10|$opt_work/eval.dev.json|MRR@10|.347" "dev R@1k|$opt_work/eval.dev.json|recall_1000|.978")
fi
for set in dl19 dl20; do
  topics="opt_${set}_topics" qrels="opt_${set}_qrels"
  if msmarco_search_eval "$set" "${!topics}" "${!qrels}"; then
    published=.717
    if [ "$set" = dl20 ]; then published=.686; fi
    rows+=("$set nDCG@10|$opt_work/eval.$set.json|ndcg_cut_10|$published"
      "$set MRR@10 (rel >= 2)|$opt_work/eval.$set.mrr.json|recip_rank|-"
      "$set R@1k (rel >= 2)|$opt_work/eval.$set.json|recall_1000_l2|-")
  fi
done
print_table "TAS-B, MS MARCO passage: $opt_model" "${rows[@]}"
