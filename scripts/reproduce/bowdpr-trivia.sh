#!/usr/bin/env bash
# BoW-DPR (bowdpr/bowdpr_wiki_triviaft) on TriviaQA test: psgs_w100.tsv and the questions encoded by the
# one model with its preset ("title text" passages, dot product), and DPR's top-k answer recall at
# 1/5/20/100. The issue that asked for this script lists no published values, so that column shows "-".
# TriviaQA test (11,313 questions) is DPR's trivia-test.qa.csv (question<TAB>['answers']) or JSON lines
# with "question"/"answers". Runs only the public densekit CLI; every model and file is an option:
#   scripts/reproduce/bowdpr-trivia.sh [--corpus psgs_w100.tsv] [--topics trivia-test.qa.csv] [--model DIR]

source "$(dirname "$0")/lib/common.sh"
qa_defaults bowdpr-trivia bowdpr/bowdpr_wiki_triviaft "" bowdpr "$data_dir/trivia-test.qa.csv"
parse_options "$@"

qa_answer_recall "BoW-DPR, TriviaQA test: $opt_model over $(basename "$opt_corpus")" 1,5,20,100 - - - -
