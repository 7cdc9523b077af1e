#!/usr/bin/env bash
# Runs our recommenders and the `implicit` reference (BPR, ALS) on the same
# exported split, one after the other on this machine, and prints ratios.
#   bash bench/recommend/run.sh [DATA_DIR] [NETFLIX_CSV]
# DATA_DIR defaults to $FOUNDERLAB_DATA/movielens-small (or ../shared/datasets).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=${FOUNDERLAB_DATA:-$(cd .. && pwd)/shared/datasets}
data=${1:-$root/movielens-small}
netflix=${2:-$root/netflix/netflix_titles.csv}
py=.venv-ref/bin/python
[ -x "$py" ] || { echo "run scripts/ref-venv.sh first (needs implicit)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/recommend" ./bench/recommend
nf=()
[ -f "$netflix" ] && nf=(-netflix "$netflix")
"$tmp/recommend" -data "$data" -model pop -write-split "$tmp/split" >"$tmp/pop.txt"
for m in itemknn bpr ease text; do
	"$tmp/recommend" -data "$data" "${nf[@]}" -model "$m" >"$tmp/$m.txt"
done
# The hybrid, with a paired comparison against EASE over the users
# (-versus: mean difference of NDCG@10 and its bootstrap interval).
"$tmp/recommend" -data "$data" "${nf[@]}" -model hybrid -versus ease >"$tmp/hybrid.txt"
# BPR on GoMLX (lib/recommend/mfgomlx): mini-batches of 1,024 triples, plain SGD
# with the same learning rate on the summed loss; XLA on the CPU here.
"$tmp/recommend" -data "$data" -model bpr -engine gomlx >"$tmp/bpr-gomlx.txt"
# The hybrid over the three seeds (the table's run above is seed 1).
for sd in 2 3; do
	"$tmp/recommend" -data "$data" "${nf[@]}" -model hybrid -versus ease -seed "$sd" >"$tmp/hybrid-s$sd.txt"
done
for m in bpr als; do
	"$py" bench/recommend/reference.py -split "$tmp/split" -model "$m" 2>/dev/null >"$tmp/ref-$m.txt"
done
# The speed comparison of the BPRs, alternating, REPEAT times: ours on Go
# and implicit with one thread each, and ours on GoMLX (XLA uses the cores
# it wants) beside implicit on all threads.
for i in $(seq "${REPEAT:-3}"); do
	"$tmp/recommend" -data "$data" -model bpr -workers 1 >"$tmp/bpr1-$i.txt"
	"$py" bench/recommend/reference.py -split "$tmp/split" -model bpr -threads 1 2>/dev/null >"$tmp/ref-bpr1-$i.txt"
	"$tmp/recommend" -data "$data" -model bpr -engine gomlx >"$tmp/bprx-$i.txt"
	"$py" bench/recommend/reference.py -split "$tmp/split" -model bpr 2>/dev/null >"$tmp/ref-bprx-$i.txt"
done
get() { awk -v k="$2" '$1==k {print $2}' "$tmp/$1.txt"; }
printf '%-12s %9s %9s %11s %14s %8s %10s\n' model ndcg@10 recall@10 coverage@10 cold_recall@10 fit_s fit_cpu_s
for m in pop itemknn bpr bpr-gomlx ease text hybrid hybrid-s2 hybrid-s3 ref-bpr ref-als; do
	printf '%-12s %9s %9s %11s %14s %8s %10s\n' "$m" "$(get $m ndcg@10)" "$(get $m recall@10)" \
		"$(get $m coverage@10)" "$(get $m cold_recall@10)" "$(get $m fit_s)" "$(get $m fit_cpu_s)"
done
# medians over the single-thread repeats
med() { for i in $(seq "${REPEAT:-3}"); do get "$1-$i" "$2"; done | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for q in fit_s fit_cpu_s; do
	echo "one thread, median of ${REPEAT:-3}: bpr $q $(med bpr1 $q), implicit-bpr $q $(med ref-bpr1 $q)"
	echo "all cores, median of ${REPEAT:-3}: bpr-gomlx $q $(med bprx $q), implicit-bpr $q $(med ref-bprx $q)"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b == 0 ? 0 : a / b)}'; }
echo "bpr / implicit-bpr ndcg@10: $(ratio "$(get bpr ndcg@10)" "$(get ref-bpr ndcg@10)") (target ≥ 0.95)"
echo "implicit-bpr / bpr fit time, all cores: $(ratio "$(get ref-bpr fit_s)" "$(get bpr fit_s)") (target ≥ 1: ours no slower)"
echo "implicit-bpr / bpr fit CPU time, one thread (median): $(ratio "$(med ref-bpr1 fit_cpu_s)" "$(med bpr1 fit_cpu_s)") (target ≥ 1)"
echo "implicit-bpr / bpr fit wall time, one thread (median): $(ratio "$(med ref-bpr1 fit_s)" "$(med bpr1 fit_s)") (target ≥ 1)"
echo "bpr-gomlx / implicit-bpr ndcg@10: $(ratio "$(get bpr-gomlx ndcg@10)" "$(get ref-bpr ndcg@10)") (target ≥ 0.95)"
echo "implicit-bpr / bpr-gomlx fit wall time, all cores (median): $(ratio "$(med ref-bprx fit_s)" "$(med bprx fit_s)") (target ≥ 1)"
echo "implicit-bpr / bpr-gomlx fit CPU time, all cores (median): $(ratio "$(med ref-bprx fit_cpu_s)" "$(med bprx fit_cpu_s)") (target ≥ 1)"
echo "hybrid / pop ndcg@10: $(ratio "$(get hybrid ndcg@10)" "$(get pop ndcg@10)") (target ≥ 1.5)"
hy=$(for m in hybrid hybrid-s2 hybrid-s3; do get $m ndcg@10; done | awk '{s+=$1; if (NR==1||$1<lo) lo=$1; if (NR==1||$1>hi) hi=$1} END {printf "mean %.4f, min %.4f, max %.4f", s/NR, lo, hi}')
echo "hybrid ndcg@10 over seeds 1-3: $hy"
best=$(for m in pop itemknn bpr bpr-gomlx ease text; do get $m ndcg@10; done | sort -g | tail -1)
echo "hybrid / best other ndcg@10: $(ratio "$(get hybrid ndcg@10)" "$best") (target ≥ 1)"
for m in hybrid hybrid-s2 hybrid-s3; do
	echo "$m − ease ndcg@10, paired over users: $(get $m ndcg@10_diff) (95 % bootstrap interval $(get $m ndcg@10_diff_lo) to $(get $m ndcg@10_diff_hi)); users better $(get $m users_better), worse $(get $m users_worse)"
done
