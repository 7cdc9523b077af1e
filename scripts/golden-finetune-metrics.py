"""Golden values for lib/metrics, computed with scikit-learn.

Run: .venv-ref/bin/python scripts/golden-finetune-metrics.py > lib/metrics/testdata/sklearn.json
The cases are made from a seeded NumPy generator, so the file is reproducible.
"""
import json

import numpy as np
from sklearn import metrics


def case(name, y_true, y_pred, scores=None, num_classes=2):
    labels = list(range(num_classes))
    out = {
        "name": name,
        "num_classes": num_classes,
        "y_true": [int(v) for v in y_true],
        "y_pred": [int(v) for v in y_pred],
        "accuracy": metrics.accuracy_score(y_true, y_pred),
        "confusion": metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "precision": metrics.precision_score(y_true, y_pred, labels=labels, average=None, zero_division=0).tolist(),
        "recall": metrics.recall_score(y_true, y_pred, labels=labels, average=None, zero_division=0).tolist(),
        "f1": metrics.f1_score(y_true, y_pred, labels=labels, average=None, zero_division=0).tolist(),
        "macro_f1": metrics.f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0),
        "weighted_f1": metrics.f1_score(y_true, y_pred, labels=labels, average="weighted", zero_division=0),
    }
    if scores is not None:
        out["scores"] = [float(s) for s in scores]
        out["roc_auc"] = metrics.roc_auc_score(y_true, scores)
        fpr, tpr, thr = metrics.roc_curve(y_true, scores, drop_intermediate=False)
        out["roc_fpr"] = fpr.tolist()
        out["roc_tpr"] = tpr.tolist()
    return out


rng = np.random.default_rng(20261129)
cases = []
# Binary, scores correlated with the truth, predictions thresholded at 0.5.
y = rng.integers(0, 2, 60)
s = np.clip(0.5 * y + rng.normal(0.25, 0.3, 60), 0, 1)
cases.append(case("binary-60", y, (s >= 0.5).astype(int), s))
# Binary with many tied scores (rounded to one decimal).
y = rng.integers(0, 2, 40)
s = np.round(np.clip(0.3 * y + rng.uniform(0, 0.7, 40), 0, 1), 1)
cases.append(case("binary-ties", y, (s >= 0.5).astype(int), s))
# A degenerate predictor: always the negative class (precision 0/0 -> 0).
y = rng.integers(0, 2, 20)
cases.append(case("binary-all-negative", y, np.zeros(20, dtype=int), rng.uniform(0, 1, 20)))
# Multi-class, 4 classes.
y = rng.integers(0, 4, 80)
p = np.where(rng.uniform(0, 1, 80) < 0.7, y, rng.integers(0, 4, 80))
cases.append(case("multiclass-4", y, p, None, num_classes=4))
print(json.dumps(cases, indent=1))
