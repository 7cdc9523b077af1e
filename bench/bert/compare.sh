#!/usr/bin/env bash
# Side-by-side BERT training-step benchmark: FounderLab (Go, GoMLX) against
# PyTorch on this machine, for the configurations of issue 7.
#
#   bench/bert/compare.sh            # both configurations, all available Go backends
#   STEPS=10 bench/bert/compare.sh
#   THREADS=1 bench/bert/compare.sh  # one core each
#
# Go runs once per backend: SimpleGo ("go"), and XLA on CPU when a CPU PJRT
# plugin is found (backend.FindCPUPlugin: $PJRT_PLUGIN_LIBRARY_PATH or
# ~/.cache/founderlab/pjrt; see bench/README.md "XLA on CPU"). PyTorch runs
# from the reference venv (.venv-ref, scripts/ref-venv.sh) with its default
# threads. Prints one line per run and the ratio ours/PyTorch.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${STEPS:-20}
# THREADS=1: one core each (GOMAXPROCS=1, torch.set_num_threads(1), XLA's
# Eigen thread pool off), less sensitive to other load on a shared machine.
THREADS=${THREADS:-0}
torch_threads=()
if [ "$THREADS" = 1 ]; then
  export GOMAXPROCS=1
  export XLA_FLAGS="${XLA_FLAGS:-} --xla_cpu_multi_thread_eigen=false"
  torch_threads=(--threads 1)
fi
PY=${PY:-.venv-ref/bin/python}
go build -o /tmp/founderlab-bench-bert ./bench/bert

plugin_dir=""
for d in ${PJRT_PLUGIN_LIBRARY_PATH//:/ } "${XDG_CACHE_HOME:-$HOME/.cache}/founderlab/pjrt"; do
  if [ -f "$d/pjrt_c_api_cpu_plugin.so" ]; then plugin_dir=$d; break; fi
done

field() { awk -v k="$1" '$1==k {print $2}'; }

run() { # name, go-backend, args...
  local name=$1 be=$2; shift 2
  local ours torch
  if [ "$be" = xla ]; then
    ours=$(PJRT_PLUGIN_LIBRARY_PATH=$plugin_dir GOMLX_BACKEND=xla:cpu /tmp/founderlab-bench-bert "$@" -steps "$STEPS" 2>/dev/null)
  else
    ours=$(GOMLX_BACKEND=go /tmp/founderlab-bench-bert "$@" -steps "$SG_STEPS" -warmup 1 2>/dev/null)
  fi
  local o_ms o_mb t_ms t_mb
  o_ms=$(echo "$ours" | field step_ms); o_mb=$(echo "$ours" | field peak_rss_mb)
  t_ms=$(echo "$TORCH" | field step_ms); t_mb=$(echo "$TORCH" | field peak_rss_mb)
  printf '%-28s %-8s ours %8.1f ms %6s MB | torch %8.1f ms %6s MB | ratio %.2f\n' \
    "$name" "$be" "$o_ms" "$o_mb" "$t_ms" "$t_mb" "$(awk -v a="$o_ms" -v b="$t_ms" 'BEGIN{print a/b}')"
}

for cfg in "L2 H128 A2 F512:2 128 2 512" "L6 H384 A12 F1536:6 384 12 1536"; do
  name=${cfg%%:*}; read -r L H A F <<<"${cfg#*:}"
  args=(-layers "$L" -hidden "$H" -heads "$A" -ffn "$F" -batch 16 -seq 64)
  TORCH=$("$PY" scripts/bench-bert-torch.py --layers "$L" --hidden "$H" --heads "$A" --ffn "$F" --batch 16 --seq 64 --steps "$STEPS" "${torch_threads[@]}")
  [ -n "$plugin_dir" ] && run "$name B16 S64" xla "${args[@]}"
  SG_STEPS=${SG_STEPS:-3} run "$name B16 S64" go "${args[@]}"
done
