#!/usr/bin/env python3
"""scikit-learn reference for bench/kmeans.

    .venv-ref/bin/python bench/kmeans/sklearn_kmeans.py -data FILE.csv -k K -iters I

Runs KMeans(algorithm="lloyd", init=<first K rows>, n_init=1, tol=0,
max_iter=I) on the numeric CSV (header row) and prints
`fit_ms <milliseconds> inertia <value> n_iter <n>`; the time covers fit()
only. With tol=0 scikit-learn still stops early if the labels stop changing
(n_iter then reports fewer than I iterations).
"""
import argparse
import time

import numpy as np
from sklearn.cluster import KMeans


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-data", required=True)
    p.add_argument("-k", type=int, default=8)
    p.add_argument("-iters", type=int, default=20)
    a = p.parse_args()
    X = np.loadtxt(a.data, delimiter=",", skiprows=1, dtype=np.float64)
    km = KMeans(n_clusters=a.k, init=X[: a.k].copy(), n_init=1, tol=0.0,
                max_iter=a.iters, algorithm="lloyd")
    t = time.perf_counter()
    km.fit(X)
    ms = (time.perf_counter() - t) * 1000
    print(f"fit_ms {ms:.1f} inertia {km.inertia_:.10g} n_iter {km.n_iter_}")


if __name__ == "__main__":
    main()
