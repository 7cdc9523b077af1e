#!/usr/bin/env bash
# Build the FounderLab CPU image with podman and test it as a user would run it.
#
#   docker/test.sh            full: base image, kit, build, and inside containers:
#                             uid 1000, founderlab doctor, every chapter notebook
#                             with its quick parameters and the network off,
#                             JupyterLab driven by headless Chromium (00-welcome
#                             runs and its chart draws); prints the image size
#   docker/test.sh --quick    static checks only, for CI (seconds, builds nothing):
#                             go test ./docker (pins, versions, paths) and sh -n
#   docker/test.sh --no-build test the image already built (IMAGE), build nothing
#   docker/test.sh --cuda     also build docker/Dockerfile.cuda (≈ 3 GB of wheels)
#                             and check that it falls back to XLA's CPU plugin
#                             without a GPU (no GPU is needed or used)
#
# Settings (environment):
#   IMAGE        the CPU image's name (founderlab:cpu)
#   WORK         scratch directory for the base root file system, the kit and
#                the build context (/var/tmp/founderlab-docker)
#   KIT          a workshop kit to bake in (default: WORK/kit/kit.tar, packed
#                with `founderlab pack` when missing, from your data and caches)
#   PODMAN_FLAGS global podman flags (default "--runtime runc": crun refuses
#                the cgroup layout of this project's machines)
#   NOTEBOOKS    the notebooks to run, a shell pattern ([0-9]*.ipynb: all)
#   NET          the network of builds and the lab container (host)
#   CA_MOUNT     a volume flag giving builds the host's CA certificates
#                (-v /etc/ssl/certs:/etc/ssl/certs:ro; empty for none): on
#                machines whose registries sit behind an intercepting proxy
#                nothing downloads without it. The image never depends on it.
#
# Needs podman, runc and, when no registry is reachable, debootstrap (Debian:
# apt-get install -y podman runc debootstrap), Go, and for the browser check
# Debian's Chromium (/usr/bin/chromium). Run from anywhere in the checkout;
# it builds what is committed (git archive HEAD), not the working tree.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full cuda=0 build=1
for a in "$@"; do
  case $a in
    --quick) mode=quick ;;
    --cuda) cuda=1 ;;
    --no-build) build=0 ;;
    *) echo "usage: docker/test.sh [--quick] [--no-build] [--cuda]" >&2; exit 2 ;;
  esac
done

if [ "$mode" = quick ]; then
  for f in docker/test.sh docker/start.sh; do bash -n "$f"; done
  sh -n docker/start.sh
  go test -count=1 ./docker
  echo "docker/test.sh --quick: ok"
  exit 0
fi

IMAGE=${IMAGE:-founderlab:cpu}
WORK=${WORK:-/var/tmp/founderlab-docker}
KIT=${KIT:-$WORK/kit/kit.tar}
read -r -a PF <<<"${PODMAN_FLAGS:---runtime runc}"
NET=${NET:-host}
CA_MOUNT=${CA_MOUNT--v /etc/ssl/certs:/etc/ssl/certs:ro}
read -r -a CA <<<"$CA_MOUNT"
ULIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=20000:20000)
podman() { command podman "${PF[@]}" "$@"; }
step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
t0=$(date +%s)
mkdir -p "$WORK"

step "base image debian:bookworm-slim"
if [ "$build" = 0 ]; then
  echo "--no-build: testing $IMAGE as it is"
elif podman image exists debian:bookworm-slim; then
  echo "present"
elif timeout 120 podman pull docker.io/library/debian:bookworm-slim; then
  podman tag docker.io/library/debian:bookworm-slim debian:bookworm-slim
else
  # No registry: the same Debian release from Debian's packages. Unlike the
  # real bookworm-slim it carries ca-certificates already, so that the
  # Dockerfile's apt-get install of it does not rewrite /etc/ssl/certs,
  # which CA_MOUNT mounts read-only.
  echo "no registry reachable: debootstrap --variant=minbase bookworm"
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log"
  tar -C "$WORK/rootfs" -c . | podman import - debian:bookworm-slim
  rm -rf "$WORK/rootfs"
fi

step "workshop kit $KIT"
if [ "$build" = 0 ]; then
  echo "skipped"
elif [ -s "$KIT" ]; then
  ls -l "$KIT"
else
  mkdir -p "$(dirname "$KIT")"
  go run ./kernel/cmd/founderlab pack -o "$KIT"
fi

ctx=$WORK/context
if [ "$build" = 1 ]; then
  step "build context (git archive HEAD)"
  rm -rf "$ctx" && mkdir -p "$ctx"
  git archive HEAD | tar -x -C "$ctx"
  git rev-parse --short HEAD
  step "podman build -f docker/Dockerfile -t $IMAGE"
  b0=$(date +%s)
  podman build --network "$NET" "${ULIMITS[@]}" "${CA[@]}" -v "$(dirname "$KIT")":/kit-in:ro \
    -f "$ctx/docker/Dockerfile" -t "$IMAGE" "$ctx"
  echo "build: $(( $(date +%s) - b0 )) s"
fi
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
echo "image size: $size bytes ($(awk -v s="$size" 'BEGIN{printf "%.2f GB", s/1e9}'))"

# Containers are started as a user would (docker run IMAGE, the image's own
# user, entry point and working directory), with the flags this machine needs.
run() { podman run --rm "${ULIMITS[@]}" "$@"; }

step "user"
ids=$(run --network none "$IMAGE" sh -c 'echo "$(id -u):$(id -g) $HOME $(pwd)"')
echo "$ids"
[ "$ids" = "1000:100 /home/jovyan /home/jovyan/notebooks" ] || { echo "FAIL: want uid 1000, gid 100, HOME /home/jovyan, cwd notebooks" >&2; exit 1; }
run --network none "$IMAGE" sh -c 'command -v jupyterhub-singleuser founderlab go'

step "founderlab doctor (network off)"
run --network none "$IMAGE" founderlab doctor

step "chapter notebooks ${NOTEBOOKS:-[0-9]*.ipynb}, quick parameters, network off"
# The quick parameters, from the table of notebooks/notebooks_test.go (the
# image's copy), for the notebooks in the image.
declare -A params=()
while IFS=$'\t' read -r nb ps; do params[$nb]=$ps; done < <(
  run --network none "$IMAGE" cat /home/jovyan/founderlab/notebooks/notebooks_test.go |
    sed -n '/^var quick = map/,/^}/p' |
    sed -n 's/^[[:space:]]*"\([^"]*\.ipynb\)":[[:space:]]*\(.*\),$/\1\t\2/p' |
    awk -F'\t' '{ out=""; n=split($2, a, "\""); for (i=2; i<=n; i+=2) out=out " -p " a[i]; print $1 "\t" out }')
script='set -e; fails=0
for nb in $NOTEBOOKS; do
  s=$(date +%s)
  if founderlab run $(eval echo "\${P_${nb%%-*}:-}") -o /tmp/out.ipynb "$nb" >/tmp/run.log 2>&1; then
    echo "ok   $nb $(( $(date +%s) - s )) s"
  else
    echo "FAIL $nb $(( $(date +%s) - s )) s"; tail -5 /tmp/run.log; fails=$((fails+1))
  fi
done
exit $fails'
envs=()
for nb in $(run --network none "$IMAGE" sh -c 'ls [0-9]*.ipynb'); do
  [ -n "${params[$nb]+x}" ] || { echo "FAIL: $nb has no entry in the quick table of notebooks/notebooks_test.go" >&2; exit 1; }
  envs+=(-e "P_${nb%%-*}=${params[$nb]}")
done
n0=$(date +%s)
run --network none "${envs[@]}" -e NOTEBOOKS="${NOTEBOOKS:-[0-9]*.ipynb}" "$IMAGE" bash -c "$script"
echo "all notebooks: $(( $(date +%s) - n0 )) s"

step "JupyterLab in a container, driven by headless Chromium"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
name=founderlab-test-$$
# -p is what a user passes; with --network host (this machine) podman
# ignores it and JUPYTER_PORT picks a free port instead of 8888.
podman run -d --name "$name" "${ULIMITS[@]}" --network "$NET" -p "$port:8888" \
  -e JUPYTER_PORT="$port" -e JUPYTER_TOKEN="$token" "$IMAGE" >/dev/null
trap 'podman logs "$name" >"$WORK/lab.log" 2>&1 || true; podman rm -f "$name" >/dev/null 2>&1 || true' EXIT
uids=$(podman exec "$name" sh -c 'id -u; awk "/^Uid/{print \$2}" /proc/1/status' | tr '\n' ' ')
echo "exec uid, uid of the container's init: $uids"
[ "$uids" = "1000 1000 " ] || { echo "FAIL: the lab container runs as root" >&2; exit 1; }
s0=$(date +%s)
until curl -fs -o /dev/null "http://127.0.0.1:$port/api/status?token=$token"; do
  [ $(( $(date +%s) - s0 )) -lt 120 ] || { echo "FAIL: JupyterLab did not answer within 120 s" >&2; podman logs "$name" >&2; exit 1; }
  sleep 0.5
done
echo "JupyterLab answered $(( $(date +%s) - s0 )) s after the container started"
FOUNDERLAB_DOCKER_LAB_URL=http://127.0.0.1:$port FOUNDERLAB_DOCKER_LAB_TOKEN=$token \
  go test -count=1 -run TestLabInContainer -v ./docker
podman logs "$name" 2>&1 | tail -5

if [ "$cuda" = 1 ]; then
  step "podman build -f docker/Dockerfile.cuda -t founderlab:cuda"
  # The only files it copies, from HEAD: a small context.
  cctx=$WORK/cuda-context
  rm -rf "$cctx" && mkdir -p "$cctx/docker/cudalibs"
  for f in docker/Dockerfile.cuda docker/cuda-requirements.txt docker/cudalibs/main.go; do git show "HEAD:$f" >"$cctx/$f"; done
  b0=$(date +%s)
  podman build --network "$NET" "${ULIMITS[@]}" "${CA[@]}" --build-arg CPU_IMAGE="$IMAGE" \
    -f "$cctx/docker/Dockerfile.cuda" -t founderlab:cuda "$cctx"
  echo "build: $(( $(date +%s) - b0 )) s"
  csize=$(podman image inspect --format '{{.Size}}' founderlab:cuda)
  echo "CUDA image size: $csize bytes ($(awk -v s="$csize" 'BEGIN{printf "%.2f GB", s/1e9}'))"
  step "CUDA image without a GPU: falls back to XLA's CPU plugin"
  run --network none founderlab:cuda sh -c 'ls /opt/go-xla/nvidia/pjrt_c_api_cuda_plugin.so /opt/go-xla/nvidia/bin/ptxas && echo "GOMLX_BACKEND=${GOMLX_BACKEND:-unset}" && founderlab run -o /tmp/o.ipynb 00-welcome.ipynb && echo "00-welcome ran"'
fi

step "done in $(( $(date +%s) - t0 )) s; $IMAGE is $(awk -v s="$size" 'BEGIN{printf "%.2f GB", s/1e9}')"
