"""Reference for bench/recommend: the `implicit` library's BPR and ALS on a
split exported by `go run ./bench/recommend -write-split DIR`, scored with
the same protocol and printing the same metric lines.

    .venv-ref/bin/python bench/recommend/reference.py -split DIR -model bpr|als
"""
import argparse
import math
import time

import numpy as np
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from implicit.cpu.bpr import BayesianPersonalizedRanking


def read_pairs(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
    return data[:, 0], data[:, 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-split", required=True)
    ap.add_argument("-model", default="bpr", choices=["bpr", "als"])
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("-factors", type=int, default=64)
    ap.add_argument("-epochs", type=int, default=50)
    ap.add_argument("-lr", type=float, default=0.05)
    ap.add_argument("-reg", type=float, default=0.01)
    ap.add_argument("-seed", type=int, default=1)
    ap.add_argument("-threads", type=int, default=0, help="0: all cores")
    a = ap.parse_args()

    items = np.loadtxt(f"{a.split}/items.csv", delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
    n_items = len(items)
    pop = items[:, 2]
    tu, ti = read_pairs(f"{a.split}/train.csv")
    su, si = read_pairs(f"{a.split}/test.csv")
    n_users = int(max(tu.max(initial=-1), su.max(initial=-1))) + 1
    train = sp.csr_matrix((np.ones(len(tu), dtype=np.float32), (tu, ti)), shape=(n_users, n_items))
    train.data[:] = 1

    if a.model == "bpr":
        m = BayesianPersonalizedRanking(factors=a.factors, learning_rate=a.lr, regularization=a.reg,
                                        iterations=a.epochs, random_state=a.seed, num_threads=a.threads)
    else:
        m = AlternatingLeastSquares(factors=a.factors, regularization=a.reg, iterations=15, random_state=a.seed,
                                    num_threads=a.threads)
    start, cpu = time.perf_counter(), time.process_time()
    m.fit(train, show_progress=False)
    fit, fit_cpu = time.perf_counter() - start, time.process_time() - cpu

    test = {}
    for u, i in zip(su, si):
        test.setdefault(int(u), []).append(int(i))
    users = np.array(sorted(test), dtype=np.int64)
    ids, _ = m.recommend(users, train[users], N=a.k, filter_already_liked_items=True)

    recall = ndcg = 0.0
    shown = set()
    cold = cold_found = 0
    for row, u in enumerate(users):
        top = [int(x) for x in ids[row][: a.k] if x >= 0]
        t = set(test[u])
        shown.update(top)
        hits = [r for r, i in enumerate(top) if i in t]
        recall += len(hits) / len(t)
        idcg = sum(1 / math.log2(r + 2) for r in range(min(a.k, len(t))))
        ndcg += sum(1 / math.log2(r + 2) for r in hits) / idcg
        for i in test[u]:
            if pop[i] == 0:
                cold += 1
                cold_found += i in top
    n = len(users)
    k = a.k
    print(f"ndcg@{k} {ndcg / n:.4f}")
    print(f"recall@{k} {recall / n:.4f}")
    print(f"coverage@{k} {len(shown) / n_items:.4f}")
    print(f"cold_recall@{k} {cold_found / cold if cold else 0:.4f}")
    print(f"fit_s {fit:.3f}")
    print(f"fit_cpu_s {fit_cpu:.3f}")


if __name__ == "__main__":
    main()
