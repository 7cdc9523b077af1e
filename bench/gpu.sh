#!/usr/bin/env bash
# BERT fine-tuning throughput on an NVIDIA GPU with XLA CUDA, beside PyTorch.
#
# For a GPU machine WITHOUT network access (e.g. an H200 lent for a session).
# Everything it needs must be in the repository tree beforehand:
#
#   wheels/   (git-ignored) the CUDA PJRT plugin and NVIDIA library wheels,
#             fetched on a machine with network access by:
#               pip download --no-deps --only-binary=:all: -d wheels \
#                 jax-cuda12-pjrt==0.11.2 nvidia-cublas-cu12 nvidia-cuda-cupti-cu12 \
#                 nvidia-cuda-nvcc-cu12 nvidia-cuda-runtime-cu12 nvidia-cudnn-cu12 \
#                 nvidia-cufft-cu12 nvidia-cusolver-cu12 nvidia-cusparse-cu12 \
#                 nvidia-nccl-cu12 nvidia-nvjitlink-cu12 nvidia-nvshmem-cu12
#             (versions: those jax-cuda12-plugin[with-cuda] of the same release
#             pins; any cu12 set that matches the plugin works).
#   bin/bench-bert  (git-ignored) optional: `go build -o bin/bench-bert ./bench/bert`;
#             built here when missing and a Go toolchain with cgo is present.
#
#   bash bench/gpu.sh            # bert-base, batch 32, seq 128, 30 timed steps
#   NGPU=2 bash bench/gpu.sh     # data-parallel case on 2 GPUs (default: all that nvidia-smi lists)
#
# Inside the CUDA image run it as `GOXLA_DIR=/opt/go-xla bash bench/gpu.sh`:
# a plugin already in $GOXLA_DIR/nvidia is used as it is.
# Otherwise it installs the plugin into $GOXLA_DIR (default: a fresh temporary folder)
# with go-xla's layout (nvidia/pjrt_c_api_cuda_plugin.so beside nvidia/<libs>,
# which the plugin's RPATH expects), trains a randomly initialised
# bert-base-sized BertForSequenceClassification (L12 H768 A12 F3072) for a
# fixed number of AdamW steps on XLA CUDA, and prints samples/s; it does the
# same on all GPUs, data parallel with the same global batch (bench/bert
# -devices N: the final_loss lines must agree), and the 1-GPU case with
# PyTorch on CUDA when python3 has a CUDA-enabled torch and
# transformers. Each run is bounded by `timeout` so the whole script stays
# within 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
WHEELS=${WHEELS:-wheels}
STEPS=${STEPS:-30}
BATCH=${BATCH:-32}
SEQ=${SEQ:-128}
ARCH=(-layers 12 -hidden 768 -heads 12 -ffn 3072)

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || echo "warning: nvidia-smi not found"

GOXLA_DIR=${GOXLA_DIR:-$(mktemp -d /tmp/founderlab-goxla.XXXXXX)}
nv=$GOXLA_DIR/nvidia
mkdir -p "$nv"
if [ -f "$nv/pjrt_c_api_cuda_plugin.so" ]; then
  # Already installed there (the CUDA image: GOXLA_DIR=/opt/go-xla).
  echo "using the CUDA plugin installed in $GOXLA_DIR"
else
pjrt_whl=$(ls "$WHEELS"/jax_cuda1[23]_pjrt-*.whl 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pjrt_whl" ]; then
  echo "error: no jax_cuda12_pjrt-*.whl (or cuda13) in $WHEELS/; see the header of $0" >&2
  exit 1
fi
echo "installing $(basename "$pjrt_whl") and NVIDIA libraries into $GOXLA_DIR"
python3 - "$pjrt_whl" "$nv" "$WHEELS" <<'PY'
import glob, os, shutil, sys, zipfile
pjrt, nv, wheels = sys.argv[1:4]
with zipfile.ZipFile(pjrt) as z:
    member = next(n for n in z.namelist() if n.endswith("xla_cuda_plugin.so"))
    with z.open(member) as r, open(os.path.join(nv, "pjrt_c_api_cuda_plugin.so"), "wb") as w:
        shutil.copyfileobj(r, w)
count = 0
for whl in sorted(glob.glob(os.path.join(wheels, "nvidia_*.whl"))):
    with zipfile.ZipFile(whl) as z:
        for info in z.infolist():
            n = info.filename
            if not n.startswith("nvidia/") or n.endswith("/"):
                continue
            rel = os.path.normpath(n[len("nvidia/"):])
            if rel.startswith(".."):
                raise SystemExit(f"unsafe path {n} in {whl}")
            dst = os.path.join(nv, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with z.open(info) as r, open(dst, "wb") as w:
                shutil.copyfileobj(r, w)
            if "/bin/" in n:
                os.chmod(dst, 0o755)
    count += 1
print(f"  {count} NVIDIA wheels extracted")
PY
fi
mkdir -p "$nv/bin"
for ptxas in "$nv"/cuda_nvcc/bin/ptxas "$nv"/cu13/bin/ptxas; do
  [ -x "$ptxas" ] && ln -sf "$ptxas" "$nv/bin/ptxas" && break
done
cuda_data=$nv/cuda_nvcc
[ -d "$cuda_data" ] || cuda_data=$nv/cu13
export PJRT_PLUGIN_LIBRARY_PATH=$nv
export XLA_FLAGS="${XLA_FLAGS:-} --xla_gpu_cuda_data_dir=$cuda_data"
export PATH=$nv/bin:$PATH

BIN=${BIN:-bin/bench-bert}
if [ ! -x "$BIN" ]; then
  echo "building $BIN"
  go build -o "$BIN" ./bench/bert
fi

NGPU=${NGPU:-$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)}
NGPU=${NGPU:-1}
echo "== FounderLab (Go, GoMLX, XLA CUDA), 1 GPU: bert-base L12 H768, batch $BATCH, seq $SEQ, $STEPS steps"
ours=$(GOMLX_BACKEND="xla:$nv/pjrt_c_api_cuda_plugin.so" timeout 200 "$BIN" "${ARCH[@]}" -devices 1 -batch "$BATCH" -seq "$SEQ" -steps "$STEPS" -warmup 3) || echo "Go run failed (rc $?)"
echo "$ours"

# Data parallel on all GPUs (finetune.Options.Devices) with the same global
# batch: final_loss must match the 1-GPU run's up to float32 rounding.
multi=""
if [ "$NGPU" -gt 1 ] && [ $((BATCH % NGPU)) -eq 0 ]; then
  echo "== FounderLab, data parallel on $NGPU GPUs: same model, global batch $BATCH"
  multi=$(GOMLX_BACKEND="xla:$nv/pjrt_c_api_cuda_plugin.so" timeout 200 "$BIN" "${ARCH[@]}" -devices "$NGPU" -batch "$BATCH" -seq "$SEQ" -steps "$STEPS" -warmup 3) || echo "Go multi-GPU run failed (rc $?)"
  echo "$multi"
else
  echo "== multi-GPU case skipped: $NGPU GPU(s), batch $BATCH (needs 2+ GPUs and a batch they divide)"
fi

echo "== PyTorch CUDA, same model and optimizer"
torch=""
if python3 -c 'import torch, transformers, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  torch=$(timeout 180 python3 scripts/bench-bert-torch.py --device cuda --layers 12 --hidden 768 --heads 12 --ffn 3072 \
    --batch "$BATCH" --seq "$SEQ" --steps "$STEPS") || echo "PyTorch run failed (rc $?)"
  echo "$torch"
else
  echo "PyTorch with CUDA not available to python3: skipped"
fi

o=$(echo "$ours" | awk '$1=="samples_per_s"{print $2}')
t=$(echo "$torch" | awk '$1=="samples_per_s"{print $2}')
m=$(echo "$multi" | awk '$1=="samples_per_s"{print $2}')
[ -n "$m" ] && echo "== samples/s on $NGPU GPUs: $m${o:+, scaling over 1 GPU $(awk -v a="$m" -v b="$o" 'BEGIN{printf "%.2f", a/b}')}"
echo "== samples/s: ours ${o:-n/a}, PyTorch ${t:-n/a}${o:+${t:+, ratio ours/PyTorch $(awk -v a="$o" -v b="$t" 'BEGIN{printf "%.2f", a/b}')}}"
