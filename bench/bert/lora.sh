#!/usr/bin/env bash
# LoRA against full fine-tuning, side by side on one backend: the same
# randomly initialised BertForSequenceClassification, batch and sequence
# length, trained by lib/bert/finetune with all weights and with LoRA
# adapters (bert.DefaultLoRA: query and value, alpha 2r).
#
#   bench/bert/lora.sh                       # L6 H384 A12 F1536, r=8, XLA on CPU if found
#   RANKS="4 8 16" ROUNDS=3 bench/bert/lora.sh
#   THREADS=1 bench/bert/lora.sh             # one core (GOMAXPROCS=1, XLA's Eigen pool off)
#   SG=1 bench/bert/lora.sh                  # SimpleGo instead of XLA (slow)
#
# Each round runs full fine-tuning, then LoRA of every rank, alternating so
# that load from other processes hits both alike; it prints each run's
# median step time and trainable parameters, and the ratio full/LoRA of the
# medians over rounds (> 1: LoRA's step is faster).
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${STEPS:-15}
ROUNDS=${ROUNDS:-2}
RANKS=${RANKS:-8}
ARGS=${ARGS:--layers 6 -hidden 384 -heads 12 -ffn 1536 -batch 16 -seq 64}
if [ "${THREADS:-0}" = 1 ]; then
  export GOMAXPROCS=1
  export XLA_FLAGS="${XLA_FLAGS:-} --xla_cpu_multi_thread_eigen=false"
fi
go build -o /tmp/founderlab-bench-bert ./bench/bert
if [ -n "${SG:-}" ]; then
  export GOMLX_BACKEND=go
else
  for d in ${PJRT_PLUGIN_LIBRARY_PATH:+${PJRT_PLUGIN_LIBRARY_PATH//:/ }} "${XDG_CACHE_HOME:-$HOME/.cache}/founderlab/pjrt"; do
    if [ -f "$d/pjrt_c_api_cpu_plugin.so" ]; then export PJRT_PLUGIN_LIBRARY_PATH=$d GOMLX_BACKEND=xla:cpu; break; fi
  done
fi
field() { awk -v k="$1" '$1==k {print $2}'; }
declare -A times
for round in $(seq "$ROUNDS"); do
  for r in 0 $RANKS; do
    # shellcheck disable=SC2086
    out=$(/tmp/founderlab-bench-bert $ARGS -steps "$STEPS" -lora "$r" 2>/dev/null)
    ms=$(echo "$out" | field step_ms)
    tp=$(echo "$out" | awk '$1=="trainable_params" {print $2, "of", $3, "(" $4 ")"}')
    name=full; [ "$r" = 0 ] || name="lora r=$r"
    printf 'round %d %-10s step %8.1f ms  trainable %s\n' "$round" "$name" "$ms" "$tp"
    times[$r]="${times[$r]:-} $ms"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
full=$(echo "${times[0]}" | median)
for r in $RANKS; do
  lo=$(echo "${times[$r]}" | median)
  printf 'backend %s  full %.1f ms  lora r=%s %.1f ms  speedup full/lora %.2f\n' "${GOMLX_BACKEND:-default}" "$full" "$r" "$lo" "$(awk -v a="$full" -v b="$lo" 'BEGIN{print a/b}')"
done
