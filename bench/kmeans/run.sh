#!/usr/bin/env bash
# Side-by-side k-means benchmark: persona (Go) against scikit-learn.
#
#   bench/kmeans/run.sh [repeats]      (default 3)
#
# For each case it generates the data once with our seeded generator
# (go run ./bench/kmeans -gen N,D, into $TMPDIR, never committed), then
# alternates the two programs `repeats` times on the same file and prints
# the median fit time of each, the ratio ours/scikit-learn, and the relative
# inertia difference. Both run Lloyd from the first K rows for exactly ITERS
# iterations (scikit-learn: tol=0, n_iter is printed to show it did not stop
# early). The reference needs .venv-ref (scripts/ref-venv.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv-ref/bin/python}
REPEATS=${1:-3}
TMP=${TMPDIR:-/tmp}
BIN="$TMP/founderlab-bench-kmeans"
go build -o "$BIN" ./bench/kmeans

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

for spec in "100000 16 8 20" "1000000 32 16 20"; do
	set -- $spec
	N=$1 D=$2 K=$3 ITERS=$4
	DATA="$TMP/founderlab-kmeans-${N}x${D}.csv"
	[ -s "$DATA" ] || "$BIN" -gen "$N,$D" -seed 1 -out "$DATA"
	go_ms=() sk_ms=()
	for ((r = 0; r < REPEATS; r++)); do
		g=$("$BIN" -data "$DATA" -k "$K" -iters "$ITERS")
		s=$("$PY" bench/kmeans/sklearn_kmeans.py -data "$DATA" -k "$K" -iters "$ITERS")
		echo "  run $((r + 1)): go: $g | sklearn: $s"
		go_ms+=("$(awk '{print $2}' <<<"$g")")
		sk_ms+=("$(awk '{print $2}' <<<"$s")")
		gi=$(awk '{print $4}' <<<"$g")
		si=$(awk '{print $4}' <<<"$s")
	done
	gm=$(printf '%s\n' "${go_ms[@]}" | median)
	sm=$(printf '%s\n' "${sk_ms[@]}" | median)
	awk -v n="$N" -v d="$D" -v k="$K" -v it="$ITERS" -v gm="$gm" -v sm="$sm" -v gi="$gi" -v si="$si" 'BEGIN {
		rel = (gi - si) / si; if (rel < 0) rel = -rel
		printf "%dx%d k=%d iters=%d: go %.1f ms, sklearn %.1f ms, ratio %.3f, inertia rel diff %.2e\n", n, d, k, it, gm, sm, gm / sm, rel
	}'
done
