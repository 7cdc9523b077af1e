#!/usr/bin/env python3
"""scikit-learn reference for bench/logreg.

    .venv-ref/bin/python bench/logreg/sklearn_logreg.py -train TRAIN.csv -test TEST.csv [-C 10]

Reads rows label,x1,...,xd (no header), fits
LogisticRegression(C=C, max_iter=2000) (lbfgs, tol 1e-4, multinomial for
more than two classes) on the training file and prints

    fit_s <seconds>
    iterations <n_iter_>
    accuracy <test accuracy>

The time covers fit() only, not reading the files.
"""
import argparse
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression


def read(path):
    a = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
    return np.ascontiguousarray(a[:, 1:]), a[:, 0].astype(np.int64)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-train", required=True)
    p.add_argument("-test", required=True)
    p.add_argument("-C", type=float, default=10.0)
    p.add_argument("-max-iter", dest="max_iter", type=int, default=2000)
    a = p.parse_args()
    print(f"sklearn_logreg: scikit-learn {sklearn.__version__}, numpy {np.__version__}", file=sys.stderr)
    x, y = read(a.train)
    xt, yt = read(a.test)
    lr = LogisticRegression(C=a.C, max_iter=a.max_iter)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        t = time.perf_counter()
        lr.fit(x, y)
        s = time.perf_counter() - t
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            print(f"sklearn_logreg: {w.message}".splitlines()[0], file=sys.stderr)
    print(f"fit_s {s:.3f}")
    print(f"iterations {int(np.max(lr.n_iter_))}")
    print(f"accuracy {np.mean(lr.predict(xt) == yt):.4f}")


if __name__ == "__main__":
    main()
