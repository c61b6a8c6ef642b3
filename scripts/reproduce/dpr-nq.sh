#!/usr/bin/env bash
# The original DPR pair (Karpukhin et al. 2020, single-nq) on Natural Questions test, as its model
# card reports it: psgs_w100.tsv encoded by the DPR context encoder, the 3,610 NQ test questions by the
# DPR question encoder, and DPR's top-k answer recall at 1/5/20/50/100 (the card gives no top-50).
# Runs only the public densekit CLI; every model and file is an option, so local copies work:
#   scripts/reproduce/dpr-nq.sh [--corpus psgs_w100.tsv] [--model DIR] [--query-model DIR] [--work DIR]

source "$(dirname "$0")/lib/common.sh"
qa_defaults dpr-nq facebook/dpr-ctx_encoder-single-nq-base facebook/dpr-question_encoder-single-nq-base dpr "$shipped/dpr-qa/topics.dpr.nq.test.txt"
parse_options "$@"

qa_answer_recall "DPR, NQ test: $opt_model + $opt_query_model over $(basename "$opt_corpus")" \
  1,5,20,50,100 0.4587 0.6814 0.7997 - 0.8587
