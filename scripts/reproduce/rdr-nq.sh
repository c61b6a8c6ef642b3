#!/usr/bin/env bash
# RDR (Yang & Seo 2020) on Natural Questions test, as its model card reports it: DPR's Wikipedia
# passages (psgs_w100.tsv) encoded by the RDR context encoder, the 3,610 NQ test questions by the RDR
# question encoder, and DPR's top-k answer recall (has_answer, string match) at 1/5/20/50/100.
# Runs only the public densekit CLI; every model and file is an option, so local copies work:
#   scripts/reproduce/rdr-nq.sh [--corpus psgs_w100.tsv] [--model DIR] [--query-model DIR] [--work DIR]
# Encoding 21M passages takes days on a CPU; the index resumes when the script is rerun.

source "$(dirname "$0")/lib/common.sh"
qa_defaults rdr-nq soheeyang/rdr-ctx_encoder-single-nq-base soheeyang/rdr-question_encoder-single-nq-base rdr "$shipped/dpr-qa/topics.dpr.nq.test.txt"
parse_options "$@"

qa_answer_recall "RDR, NQ test: $opt_model + $opt_query_model over $(basename "$opt_corpus")" \
  1,5,20,50,100 0.5429 0.7216 0.8280 0.8634 0.8820
