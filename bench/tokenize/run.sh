#!/usr/bin/env bash
# Tokenizer parity and throughput: FounderLab (Go) against Hugging Face's fast
# tokenizer (Rust, via the PyPI tokenizers package) on the same corpus and
# machine, one core each. Run from the repository root:
#   bash bench/tokenize/run.sh
# Needs .venv-ref (scripts/ref-venv.sh), the shared datasets ($FOUNDERLAB_DATA,
# default ../shared/datasets) and vocabularies ($FOUNDERLAB_VOCAB, default
# ../shared/vocab). REPEAT (default 5) re-encodes the corpus for steadier timings.
set -euo pipefail
PY=${PY:-.venv-ref/bin/python}
DATA=${FOUNDERLAB_DATA:-../shared/datasets}
VOCAB=${FOUNDERLAB_VOCAB:-../shared/vocab}
REPEAT=${REPEAT:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PY" scripts/gen-corpus-tokenizer.py --data "$DATA" --cjk-vocab "$VOCAB/bert-base-chinese/vocab.txt" --lines "$tmp/texts.txt"
go build -o "$tmp/tokenize" ./bench/tokenize

ratio() { # texts/s of go and hf from their stderr lines
  local g h
  g=$(sed -n 's/.*: \([0-9]*\) texts\/s.*/\1/p' "$1")
  h=$(sed -n 's/.*: \([0-9]*\) texts\/s.*/\1/p' "$2")
  awk -v g="$g" -v h="$h" 'BEGIN { printf "go/hf throughput ratio: %.2f\n", g / h }'
}

for variant in uncased-json chinese-vocab; do
  case $variant in
    uncased-json) goargs=(-tokenizer "$VOCAB/bert-base-uncased/tokenizer.json"); pyargs=(--tokenizer "$VOCAB/bert-base-uncased/tokenizer.json");;
    chinese-vocab) goargs=(-vocab "$VOCAB/bert-base-chinese/vocab.txt" -lower=false); pyargs=(--vocab "$VOCAB/bert-base-chinese/vocab.txt" --lower false);;
  esac
  echo "== $variant"
  GOMAXPROCS=1 "$tmp/tokenize" "${goargs[@]}" -repeat "$REPEAT" < "$tmp/texts.txt" > "$tmp/go.ids" 2> "$tmp/go.err"
  RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false "$PY" bench/tokenize/hf_tokenize.py "${pyargs[@]}" --repeat "$REPEAT" < "$tmp/texts.txt" > "$tmp/hf.ids" 2> "$tmp/hf.err"
  RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false "$PY" bench/tokenize/hf_tokenize.py "${pyargs[@]}" --repeat "$REPEAT" --mode loop < "$tmp/texts.txt" > "$tmp/hf-loop.ids" 2> "$tmp/hf-loop.err"
  cat "$tmp/go.err" "$tmp/hf.err" "$tmp/hf-loop.err"
  if cmp -s "$tmp/go.ids" "$tmp/hf.ids" && cmp -s "$tmp/go.ids" "$tmp/hf-loop.ids"; then
    echo "ids: identical ($(wc -l < "$tmp/go.ids") lines)"
  else
    echo "ids: DIFFERENT"; diff "$tmp/go.ids" "$tmp/hf.ids" | head -5; exit 1
  fi
  echo -n "vs encode_batch: "; ratio "$tmp/go.err" "$tmp/hf.err"
  echo -n "vs encode loop:  "; ratio "$tmp/go.err" "$tmp/hf-loop.err"
done
