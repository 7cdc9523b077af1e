#!/usr/bin/env bash
# Forward throughput of the pretrained all-MiniLM-L6-v2 (BertModel + mean
# pooling): lib/bert on GoMLX versus transformers on PyTorch, same machine,
# same token ids, one after the other. Extra flags go to both programs:
#
#   bench/bertforward/run.sh [-batch 32] [-seq 32] [-warmup 2] [-iters 10]
#   THREADS=1 bench/bertforward/run.sh      # one core each: GOMAXPROCS=1, torch.set_num_threads(1)
#
# Needs the model (scripts/pretrained-model.sh, run here) and the reference
# venv (scripts/ref-venv.sh). The GoMLX backend is lib/backend's choice
# (SimpleGo unless an XLA PJRT plugin is installed; $GOMLX_BACKEND overrides).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/pretrained-model.sh >/dev/null
bin=$(mktemp -d)/bertforward
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./bench/bertforward
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
threads=${THREADS:-0}
if [ "$threads" -gt 0 ]; then
  ours=$(GOMAXPROCS=$threads "$bin" "$@")
else
  ours=$("$bin" "$@")
fi
echo "$ours"
ref=$(.venv-ref/bin/python bench/bertforward/torch_forward.py -threads "$threads" "$@")
echo "$ref"
rate() { sed -n 's/.*\t\([0-9.]*\) sentences\/s.*/\1/p' <<<"$1"; }
awk -v a="$(rate "$ours")" -v b="$(rate "$ref")" 'BEGIN { printf "ratio gomlx/pytorch: %.2f\n", a / b }'
