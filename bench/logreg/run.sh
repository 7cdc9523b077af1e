#!/usr/bin/env bash
# Side-by-side logistic-regression benchmark: textclass.FitDense (Go)
# against scikit-learn's LogisticRegression on the same files.
#
#   bench/logreg/run.sh TRAIN.csv TEST.csv [C] [rounds]     (C = 10, rounds = 3)
#
# Files hold rows label,x1,…,xd (no header); bench/logreg/embed makes them
# from Banking77 (see bench/README.md). Each round runs the Go program, then
# the reference, on the same files, and prints both outputs and the ratio
# Go fit_s / scikit-learn fit_s; the end prints the medians. The reference
# needs .venv-ref (scripts/ref-venv.sh). Set UNSET_OPENBLAS=1 to run the
# reference without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, and THREADS=1 to
# give each side one thread (GOMAXPROCS=1; OMP_NUM_THREADS=1 and
# OPENBLAS_NUM_THREADS=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 2 ]; then
	sed -n 2,14p "$0" >&2
	exit 2
fi
TRAIN=$1 TEST=$2 C=${3:-10} ROUNDS=${4:-3}
PY=${PY:-.venv-ref/bin/python}
BIN="${TMPDIR:-/tmp}/founderlab-bench-logreg"
go build -o "$BIN" ./bench/logreg
ours=("$BIN" -train "$TRAIN" -test "$TEST" -C "$C")
ref=("$PY" bench/logreg/sklearn_logreg.py -train "$TRAIN" -test "$TEST" -C "$C")
if [ "${UNSET_OPENBLAS:-0}" = 1 ]; then
	ref=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${ref[@]}")
fi
if [ "${THREADS:-}" = 1 ]; then
	ours=(env GOMAXPROCS=1 "${ours[@]}")
	ref=(env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "${ref[@]}")
fi
echo "go: ${ours[*]}"
echo "reference: ${ref[*]}"

field() { awk -v k="$1" '$1 == k {print $2}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

go_s=() sk_s=()
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= ROUNDS; r++)); do
	g=$("${ours[@]}")
	s=$("${ref[@]}")
	gs=$(field fit_s <<<"$g") ss=$(field fit_s <<<"$s")
	go_s+=("$gs") sk_s+=("$ss")
	printf 'round %d (load %s)\n  go:      %s\n  sklearn: %s\n  ratio go/sklearn %s\n' "$r" \
		"$(cut -d' ' -f1 /proc/loadavg)" \
		"$(tr '\n' ' ' <<<"$g")" "$(tr '\n' ' ' <<<"$s")" \
		"$(awk -v a="$gs" -v b="$ss" 'BEGIN {printf "%.3f", a / b}')"
done
gm=$(printf '%s\n' "${go_s[@]}" | median)
sm=$(printf '%s\n' "${sk_s[@]}" | median)
awk -v g="$gm" -v s="$sm" -v n="$ROUNDS" 'BEGIN {
	printf "median of %d: go fit_s %.3f, sklearn fit_s %.3f, ratio go/sklearn %.3f\n", n, g, s, g / s
}'
