#!/usr/bin/env python3
"""Golden files for lib/persona, made with scikit-learn.

Writes lib/persona/testdata/golden-wholesale.json and golden-synthetic.json,
and lib/metrics/testdata/golden-clustering.json (the cluster metrics of the
synthetic set). The Go tests (lib/persona/golden_test.go,
lib/metrics/cluster_test.go) read them and never need Python.

    FOUNDERLAB_DATA=/work/shared/datasets .venv-ref/bin/python scripts/golden-persona.py

wholesale: the real Wholesale customers file (from $FOUNDERLAB_DATA, never
copied into the repository): the six spending columns after log1p and
StandardScaler. Only derived numbers are stored (scaler parameters, two
encoded rows, labels, centroids, inertia, metrics), not the data.

synthetic: 300 points in 5-D from 4 Gaussian blobs made here with a fixed
numpy seed; the points themselves are stored (they are ours).

For each data set and K, KMeans(algorithm="lloyd", init=<first K rows>,
n_init=1) is fitted, and silhouette_score, calinski_harabasz_score and
davies_bouldin_score are computed on its labels. The synthetic set adds a
fit whose initial centroids repeat a row (so a cluster starts empty and
scikit-learn relocates it), a fit with a loose tol (early stop), and
adjusted_rand_score cases.

clustering: the synthetic points with the ground truth and every synthetic
fit's labels, each with silhouette_score, calinski_harabasz_score and
davies_bouldin_score (and silhouette_samples for the truth), and the
adjusted_rand_score cases.
"""
import csv
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score,
                             davies_bouldin_score, silhouette_samples,
                             silhouette_score)
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "lib", "persona", "testdata")
METRICS_OUT = os.path.join(ROOT, "lib", "metrics", "testdata")
SPEND = ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"]


def fit(X, init, max_iter=300, tol=1e-4):
    km = KMeans(n_clusters=len(init), init=np.asarray(init), n_init=1,
                max_iter=max_iter, tol=tol, algorithm="lloyd").fit(X)
    lab = km.labels_
    out = {"k": len(init), "max_iter": max_iter, "tol": tol,
           "inertia": float(km.inertia_), "n_iter": int(km.n_iter_),
           "labels": [int(v) for v in lab],
           "centers": [[float(v) for v in row] for row in km.cluster_centers_]}
    if 2 <= len(set(lab)) <= len(X) - 1:
        out["silhouette"] = float(silhouette_score(X, lab))
        out["calinski_harabasz"] = float(calinski_harabasz_score(X, lab))
        out["davies_bouldin"] = float(davies_bouldin_score(X, lab))
    return out


def write(name, obj, out=OUT):
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, name)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    print("wrote", path, os.path.getsize(path), "bytes")


def wholesale():
    data_dir = os.environ.get("FOUNDERLAB_DATA")
    if not data_dir:
        sys.exit("set FOUNDERLAB_DATA to the data directory (it must hold wholesale/wholesale_customers.csv)")
    path = os.path.join(data_dir, "wholesale", "wholesale_customers.csv")
    with open(path, newline="", encoding="latin-1") as f:  # notes in unnamed columns are Latin-1
        header = f.readline().strip().split(",")
        rows = [next(csv.reader([line])) for line in f if line.strip()]
    cols = [header.index(c) for c in SPEND]
    raw = np.array([[float(r[c]) for c in cols] for r in rows])
    logged = np.log1p(raw)
    sc = StandardScaler().fit(logged)
    X = sc.transform(logged)
    return {
        "sklearn": sklearn.__version__,
        "columns": SPEND,
        "rows": len(X),
        "log1p_mean": [float(v) for v in sc.mean_],
        "log1p_scale": [float(v) for v in sc.scale_],
        "first_row": [float(v) for v in X[0]],
        "last_row": [float(v) for v in X[-1]],
        "fits": [fit(X, X[:k]) for k in (2, 3, 4, 5, 6, 8)],
    }


def synthetic():
    rng = np.random.default_rng(20261129)
    centers = np.array([[0, 0, 0, 0, 0], [4, 4, 0, 0, 1], [0, 4, 4, 1, 0], [4, 0, 4, 0, -2]], dtype=float)
    truth = rng.integers(0, 4, size=300)
    X = centers[truth] + rng.normal(scale=1.2, size=(300, 5))
    X = np.round(X, 6)  # short decimal values, exactly representable in JSON
    fits = [fit(X, X[:k]) for k in (2, 3, 4, 5, 6)]
    dup = fit(X, X[[0, 0, 1, 2]])  # cluster 1 starts empty
    loose = fit(X, X[:4], tol=1e-2)
    capped = fit(X, X[:5], max_iter=3, tol=0)
    km_labels = fits[2]["labels"]
    ari = [
        {"a": [int(v) for v in truth], "b": km_labels, "ari": float(adjusted_rand_score(truth, km_labels))},
        {"a": [0, 0, 1, 1, 2, 2], "b": [1, 1, 0, 0, 2, 2], "ari": float(adjusted_rand_score([0, 0, 1, 1, 2, 2], [1, 1, 0, 0, 2, 2]))},
        {"a": [0, 0, 0, 1, 1, 1, 2, 2], "b": [0, 0, 1, 1, 2, 2, 2, 0], "ari": float(adjusted_rand_score([0, 0, 0, 1, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2, 2, 0]))},
        {"a": [0, 1, 0, 1, 0, 1, 0, 1], "b": [0, 0, 0, 0, 1, 1, 1, 1], "ari": float(adjusted_rand_score([0, 1, 0, 1, 0, 1, 0, 1], [0, 0, 0, 0, 1, 1, 1, 1]))},
    ]
    truth_metrics = {
        "silhouette": float(silhouette_score(X, truth)),
        "calinski_harabasz": float(calinski_harabasz_score(X, truth)),
        "davies_bouldin": float(davies_bouldin_score(X, truth)),
    }
    return {
        "sklearn": sklearn.__version__,
        "x": [[float(v) for v in row] for row in X],
        "truth": [int(v) for v in truth],
        "truth_metrics": truth_metrics,
        "fits": fits,
        "duplicate_init": dup,
        "loose_tol": loose,
        "max_iter_3": capped,
        "ari": ari,
    }


def clustering(syn):
    X = np.asarray(syn["x"])

    def case(name, labels):
        return {"name": name, "labels": labels,
                "silhouette": float(silhouette_score(X, labels)),
                "calinski_harabasz": float(calinski_harabasz_score(X, labels)),
                "davies_bouldin": float(davies_bouldin_score(X, labels))}

    truth = case("truth", syn["truth"])
    truth["silhouette_samples"] = [float(v) for v in silhouette_samples(X, syn["truth"])]
    fits = syn["fits"] + [syn["duplicate_init"], syn["loose_tol"], syn["max_iter_3"]]
    names = ["k-means K=%d" % f["k"] for f in syn["fits"]] + ["k-means duplicate init", "k-means loose tol", "k-means max_iter 3"]
    return {
        "sklearn": sklearn.__version__,
        "x": syn["x"],
        "cases": [truth] + [case(n, f["labels"]) for n, f in zip(names, fits)],
        "ari": syn["ari"],
    }


if __name__ == "__main__":
    syn = synthetic()
    write("golden-synthetic.json", syn)
    write("golden-clustering.json", clustering(syn), METRICS_OUT)
    write("golden-wholesale.json", wholesale())
