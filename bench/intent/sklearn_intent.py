#!/usr/bin/env python3
"""scikit-learn reference for `go run ./bench/intent -mode tfidf`.

    .venv-ref/bin/python bench/intent/sklearn_intent.py -train TRAIN.csv -test TEST.csv [-frr 0.05] [-seeds 5]

Same protocol as bench/intent's tfidf mode: TfidfVectorizer (scikit-learn's
defaults, which lib/textclass follows) and LogisticRegression(C=10,
max_iter=2000); the rejection threshold is the mean over seeds of the
-frr quantile of the maximum softmax probability on a validation tenth of
the known intents' training queries, a random quarter of the intents held
out (numpy's generator: not the same intents as Go's); test rows of
categories absent from training are out of scope. Prints the same four
lines, and fit_s (calibration and final fit) on standard error.
"""
import argparse
import csv
import math
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"].strip() for r in rows], [r["category"].strip() for r in rows]


def fit(texts, cats):
    return make_pipeline(TfidfVectorizer(), LogisticRegression(C=10, max_iter=2000)).fit(texts, cats)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-train", required=True)
    p.add_argument("-test", required=True)
    p.add_argument("-frr", type=float, default=0.05)
    p.add_argument("-seeds", type=int, default=5)
    a = p.parse_args()
    print(f"sklearn_intent: scikit-learn {sklearn.__version__}, numpy {np.__version__}", file=sys.stderr)
    tx, tc = read(a.train)
    ex, ec = read(a.test)
    names = sorted(set(tc))
    start = time.perf_counter()
    taus = []
    for seed in range(1, a.seeds + 1):
        rng = np.random.default_rng(seed)
        unknown = set(rng.permutation(names)[: round(0.25 * len(names))])
        known = rng.permutation([i for i, c in enumerate(tc) if c not in unknown])
        nval = max(1, int(0.1 * len(known)))
        val, rest = known[:nval], known[nval:]
        m = fit([tx[i] for i in rest], [tc[i] for i in rest])
        conf = np.sort(m.predict_proba([tx[i] for i in val]).max(axis=1))
        taus.append(conf[math.floor(a.frr * len(conf))])
    tau = float(np.mean(taus))
    m = fit(tx, tc)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    proba = m.predict_proba(ex)
    secs = time.perf_counter() - start
    pred, conf = m.classes_[proba.argmax(axis=1)], proba.max(axis=1)
    inscope = np.array([c in set(names) for c in ec])
    right = np.array([p == c for p, c in zip(pred, ec)])
    rej = conf < tau
    oos = rej[~inscope].mean() if (~inscope).any() else float("nan")
    print(f"in_scope_accuracy {right[inscope].mean():.4f}\noos_recall {oos:.4f}\nin_scope_rejected {rej[inscope].mean():.4f}\nqueries_per_s {len(ex) / secs:.1f}")
    print(f"fit_s {fit_s:.2f} (threshold {tau:.4g})", file=sys.stderr)


if __name__ == "__main__":
    main()
