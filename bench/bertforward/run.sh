#!/usr/bin/env bash
# Forward throughput of the pretrained all-MiniLM-L6-v2 (BertModel + mean
# pooling): lib/bert on GoMLX versus transformers on PyTorch, same machine,
# same token ids. The two programs run alternately ROUNDS times (default 3)
# and the best rate of each is compared, which damps the noise of a shared
# machine. Extra flags go to both programs:
#
#   bench/bertforward/run.sh [-batch 32] [-seq 32] [-warmup 2] [-iters 10]
#   THREADS=1 bench/bertforward/run.sh      # one core each: taskset -c 0, GOMAXPROCS=1, torch.set_num_threads(1)
#
# With THREADS=n both programs are pinned to CPUs 0..n-1 with taskset (when
# installed), because XLA's own thread pool ignores GOMAXPROCS.
#
# Needs the model (founderlab models fetch all-minilm-l6-v2, run here) and the reference
# venv (scripts/ref-venv.sh). The GoMLX backend is lib/backend's choice
# (SimpleGo unless an XLA PJRT plugin is installed; $GOMLX_BACKEND overrides).
set -euo pipefail
cd "$(dirname "$0")/../.."
go run ./kernel/cmd/founderlab models fetch all-minilm-l6-v2 >/dev/null
bin=$(mktemp -d)/bertforward
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./bench/bertforward
threads=${THREADS:-0}
rounds=${ROUNDS:-3}
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $rounds rounds"
rate() { sed -n 's/.*\t\([0-9.]*\) sentences\/s.*/\1/p' <<<"$1"; }
best_ours=0
best_ref=0
pin=()
if [ "$threads" -gt 0 ] && command -v taskset >/dev/null; then
  pin=(taskset -c "0-$((threads - 1))")
fi
for _ in $(seq "$rounds"); do
  if [ "$threads" -gt 0 ]; then
    ours=$(GOMAXPROCS=$threads "${pin[@]}" "$bin" "$@")
  else
    ours=$("$bin" "$@")
  fi
  echo "$ours"
  ref=$("${pin[@]}" .venv-ref/bin/python bench/bertforward/torch_forward.py -threads "$threads" "$@" 2>/dev/null)
  echo "$ref"
  best_ours=$(awk -v a="$best_ours" -v b="$(rate "$ours")" 'BEGIN { print (b > a ? b : a) }')
  best_ref=$(awk -v a="$best_ref" -v b="$(rate "$ref")" 'BEGIN { print (b > a ? b : a) }')
done
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$best_ours" -v b="$best_ref" 'BEGIN { printf "best: gomlx %.1f, pytorch %.1f sentences/s; ratio gomlx/pytorch %.2f\n", a, b, a / b }'
