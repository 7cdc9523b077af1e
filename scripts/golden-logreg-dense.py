"""Golden values for lib/textclass's dense logistic regression, from scikit-learn.

Run: .venv-ref/bin/python scripts/golden-logreg-dense.py > lib/textclass/testdata/logreg_dense.json

A seeded synthetic fixture (no data set is copied): 300 examples with 20
features drawn around 5 class centres, features on different scales,
rounded to 4 decimals so the JSON is exact. Cases:

- "multinomial": 5 classes, C = 1
- "binary": classes {0, 1} from the same features, C = 0.5
- "balanced": 5 imbalanced classes, C = 10, class_weight="balanced"
- "scaled": 5 classes, C = 1, on StandardScaler-transformed features

Each case records coef_, intercept_ and predict_proba on the first 10 rows
(of the features the model was fitted on); "scaler" records StandardScaler's
mean_ and scale_ for the features with column 7 replaced by the constant
3.25 (the test makes the same matrix; a constant column is kept out of the
fits, where it would make the intercept ill-determined). Solvers run to scikit-learn's tightest stopping rule
(tol=1e-10, so the 64-eps relative reduction rule ends the fit).
"""
import json

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(20261130)
n, d, k = 300, 20, 5
centres = rng.normal(0, 1.0, size=(k, d))
y = rng.integers(0, k, size=n)
x = centres[y] + rng.normal(0, 1.5, size=(n, d))
x *= rng.uniform(0.2, 5.0, size=d)  # features on different scales
x = np.round(x, 4)
x_const = x.copy()
x_const[:, 7] = 3.25  # a constant column

# Imbalanced labels: class k kept with probability 1/(k+1) among the examples
# that would get it, the rest relabelled 0.
keep = rng.uniform(size=n) < 1.0 / (y + 1)
y_imb = np.where(keep, y, 0)
y_bin = (y >= 2).astype(np.int64)


def fit(xf, yf, C, **kw):
    lr = LogisticRegression(C=C, tol=1e-10, max_iter=100000, **kw).fit(xf, yf)
    return {
        "labels": yf.tolist(),
        "C": C,
        "class_weight": kw.get("class_weight"),
        "coef": lr.coef_.tolist(),
        "intercept": lr.intercept_.tolist(),
        "proba": lr.predict_proba(xf[:10]).tolist(),
        "n_iter": int(np.max(lr.n_iter_)),
    }


xs = StandardScaler().fit_transform(x)
sc = StandardScaler().fit(x_const)
out = {
    "sklearn_version": sklearn.__version__,
    "x": x.tolist(),
    "scaler": {"mean": sc.mean_.tolist(), "scale": sc.scale_.tolist()},
    "multinomial": fit(x, y, 1.0),
    "binary": fit(x, y_bin, 0.5),
    "balanced": fit(x, y_imb, 10.0, class_weight="balanced"),
    "scaled": fit(xs, y, 1.0),
}
print(json.dumps(out))
