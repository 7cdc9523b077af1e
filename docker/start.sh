#!/bin/sh
# founderlab-start: the image's entry point (under tini). It chooses the
# GoMLX backend and runs the command (default: jupyter lab).
#
# In the CUDA image (docker/Dockerfile.cuda), XLA's CUDA plugin and the
# NVIDIA libraries it loads are in $FOUNDERLAB_CUDA_PLUGIN_DIR. When a GPU is
# visible to the container (docker run --gpus all puts /dev/nvidia0 there)
# and GOMLX_BACKEND is not set, GOMLX_BACKEND names that plugin and XLA
# finds ptxas and libdevice beside it. Without a GPU, or in the CPU image,
# GOMLX_BACKEND stays unset and lib/backend picks XLA's CPU plugin installed
# by `founderlab install` (see lib/backend). Kernels inherit the server's
# environment, so notebooks see the choice.
set -eu
dir=${FOUNDERLAB_CUDA_PLUGIN_DIR:-}
if [ -z "${GOMLX_BACKEND:-}" ] && [ -n "$dir" ] && [ -f "$dir/pjrt_c_api_cuda_plugin.so" ]; then
  if ls /dev/nvidia[0-9]* >/dev/null 2>&1; then
    export GOMLX_BACKEND="xla:$dir/pjrt_c_api_cuda_plugin.so"
    export XLA_FLAGS="${XLA_FLAGS:-} --xla_gpu_cuda_data_dir=$dir/cuda_nvcc"
    export PATH="$dir/bin:$PATH"
    echo "founderlab-start: GPU visible, GOMLX_BACKEND=$GOMLX_BACKEND" >&2
  else
    echo "founderlab-start: no GPU visible (run with --gpus all for one); models run on XLA's CPU plugin" >&2
  fi
fi
exec "$@"
