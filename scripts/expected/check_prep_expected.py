#!/usr/bin/env python3
"""Independent re-computation of Tests/Fixtures/expected/prep-*.json, standard library only.

`python3 scripts/expected/check_prep_expected.py` reads tutorials/data/*.csv with the csv module
(empty field = missing), implements each transformer from the rules written in
scripts/expected/README.md ("Expected values from scikit-learn") - plain formulas, no numpy - and
compares every state value and output cell with the files that make_prep_expected.py wrote from
scikit-learn. It is the executable form of those rules: a reimplementation in another language that
follows them should agree just as closely. Exits non-zero if any value differs by more than
TOL * max(1, |expected|).
"""
import csv
import json
import math
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = ROOT / "tutorials" / "data"
EXP = ROOT / "Tests" / "Fixtures" / "expected"
TOL = 1e-12
NAN = float("nan")
EPS = sys.float_info.epsilon


def read(stem):
    with open(DATA / f"{stem}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def column(stem, name, numeric=True):
    head, rows = read(stem)
    i = head.index(name)
    if numeric:
        return [float(r[i]) if r[i] != "" else NAN for r in rows]
    return [r[i] if r[i] != "" else None for r in rows]


def present(xs):
    return [x for x in xs if not math.isnan(x)]


def mean(xs):
    return math.fsum(xs) / len(xs)


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def percentile(xs, p):
    """numpy's default 'linear' method: position (n-1)*p/100 in the sorted values."""
    s = sorted(xs)
    h = (len(s) - 1) * p / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(s) - 1)
    t = h - lo
    a, b = s[lo], s[hi]
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t


def most_frequent(xs):
    c = Counter(xs)
    top = max(c.values())
    return min(v for v, n in c.items() if n == top)


def non_zero_scale(s):
    return 1.0 if s < 10 * EPS else s


# ------------------------------------------------------------------ transformers
# Each returns (state dict, output rows, output column names).

def simple_imputer(cols, X, params):
    strategy = params["strategy"]
    stats = []
    for j in range(len(cols)):
        xs = present([r[j] for r in X])
        stats.append({"mean": lambda: mean(xs), "median": lambda: median(xs),
                      "most_frequent": lambda: most_frequent(xs),
                      "constant": lambda: float(params.get("fill_value", 0))}[strategy]())
    out = [[stats[j] if math.isnan(v) else v for j, v in enumerate(r)] for r in X]
    return {"statistics_": stats}, out, cols


def nan_euclidean(a, b):
    s, n = 0.0, 0
    for x, y in zip(a, b):
        if not (math.isnan(x) or math.isnan(y)):
            s += (x - y) ** 2
            n += 1
    return NAN if n == 0 else math.sqrt(s * len(a) / n)


def knn_imputer(cols, X, params):
    k = params["n_neighbors"]
    out = [list(r) for r in X]
    for j in range(len(cols)):
        donors = [i for i, r in enumerate(X) if not math.isnan(r[j])]
        for i, r in enumerate(X):
            if not math.isnan(r[j]):
                continue
            d = [(nan_euclidean(r, X[q]), q) for q in donors]
            d = sorted(p for p in d if not math.isnan(p[0]))  # distance, then row index
            if not d:
                out[i][j] = mean([X[q][j] for q in donors])
                continue
            nb = d[:k]
            out[i][j] = mean([X[q][j] for _, q in nb])
    return {}, out, cols


def standard_scaler(cols, X, params, fit):
    mu, var, sc = [], [], []
    for j in range(len(cols)):
        xs = present([r[j] for r in fit])
        m = mean(xs)
        v = math.fsum((x - m) ** 2 for x in xs) / len(xs)
        mu.append(m)
        var.append(v)
        n = len(xs)
        constant = v <= n * EPS * v + (n * m * EPS) ** 2
        sc.append(1.0 if constant else math.sqrt(v))
    out = [[(v - mu[j]) / sc[j] for j, v in enumerate(r)] for r in X]
    return {"mean_": mu, "var_": var, "scale_": sc}, out, cols


def minmax_scaler(cols, X, params, fit):
    lo = [min(present([r[j] for r in fit])) for j in range(len(cols))]
    hi = [max(present([r[j] for r in fit])) for j in range(len(cols))]
    sc = [1.0 / non_zero_scale(h - l) for l, h in zip(lo, hi)]
    mn = [0.0 - l * s for l, s in zip(lo, sc)]
    out = [[v * sc[j] + mn[j] for j, v in enumerate(r)] for r in X]
    return {"data_min_": lo, "data_max_": hi, "scale_": sc, "min_": mn}, out, cols


def robust_scaler(cols, X, params, fit):
    ce, sc = [], []
    for j in range(len(cols)):
        xs = present([r[j] for r in fit])
        ce.append(median(xs))
        sc.append(non_zero_scale(percentile(xs, 75) - percentile(xs, 25)))
    out = [[(v - ce[j]) / sc[j] for j, v in enumerate(r)] for r in X]
    return {"center_": ce, "scale_": sc}, out, cols


def normalizer(cols, X, params):
    norm = params["norm"]
    out = []
    for r in X:
        n = {"l1": lambda: math.fsum(abs(v) for v in r),
             "l2": lambda: math.sqrt(math.fsum(v * v for v in r)),
             "max": lambda: max(abs(v) for v in r)}[norm]()
        n = non_zero_scale(n)
        out.append([v / n for v in r])
    return {}, out, cols


def onehot(cols, X, params):
    cats = [sorted(set(r[j] for r in X)) for j in range(len(cols))]
    drop = params.get("drop") == "first"
    names = [f"{c}_{v}" for c, cs in zip(cols, cats) for v in (cs[1:] if drop else cs)]
    out = []
    for r in X:
        row = []
        for j, cs in enumerate(cats):
            ind = [1.0 if r[j] == v else 0.0 for v in cs]
            row += ind[1:] if drop else ind
        out.append(row)
    state = {"categories_": cats}
    if drop:
        state["drop_idx_"] = [0] * len(cols)
    return state, out, names


def ordinal(cols, X, params):
    cats = params.get("categories") or [sorted(set(r[j] for r in X)) for j in range(len(cols))]
    out = [[float(cats[j].index(v)) for j, v in enumerate(r)] for r in X]
    return {"categories_": cats}, out, cols


# ------------------------------------------------------------------ comparison

worst = {"abs": 0.0, "where": ""}


def same(a, b, where):
    """a: ours, b: expected (JSON). Returns an error string or None."""
    if isinstance(b, list):
        if not isinstance(a, list) or len(a) != len(b):
            return f"{where}: shape {a!r} vs {b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            e = same(x, y, f"{where}[{i}]")
            if e:
                return e
        return None
    if isinstance(b, str) or isinstance(a, str):
        return None if a == b else f"{where}: {a!r} != {b!r}"
    if b is None:
        return None if (a is None or math.isnan(a)) else f"{where}: {a!r} != null"
    if a is None or math.isnan(a):
        return f"{where}: {a!r} != {b!r}"
    d = abs(a - b) / max(1.0, abs(b))
    if d > worst["abs"]:
        worst.update(abs=d, where=where)
    return None if d <= TOL else f"{where}: {a!r} != {b!r} (diff {d:.3g})"


def main():
    funcs = {"SimpleImputer": simple_imputer, "KNNImputer": knn_imputer,
             "StandardScaler": standard_scaler, "MinMaxScaler": minmax_scaler,
             "RobustScaler": robust_scaler, "Normalizer": normalizer,
             "OneHotEncoder": onehot, "OrdinalEncoder": ordinal}
    fitted_on_subset = {"StandardScaler", "MinMaxScaler", "RobustScaler"}
    bad = 0
    files = sorted(EXP.glob("prep-*.json"))
    for path in files:
        e = json.loads(path.read_text(encoding="utf-8"))
        t = e["transformer"]
        numeric = t not in ("OneHotEncoder", "OrdinalEncoder")
        cols_data = [column(e["dataset"], c, numeric) for c in e["columns"]]
        X = [list(r) for r in zip(*cols_data)]
        if t in fitted_on_subset:
            state, out, names = funcs[t](e["columns"], X, e["params"], X[:e["fit_rows"]])
        else:
            assert e["fit_rows"] == e["rows"]
            state, out, names = funcs[t](e["columns"], X, e["params"])
        errs = [same(state.get(k), v, f"state.{k}") for k, v in e["state"].items()]
        errs += [same(names, e["output_columns"], "output_columns"),
                 same(out, e["output"], "output")]
        errs = [x for x in errs if x]
        print(f"{'ok  ' if not errs else 'FAIL'} {path.name}")
        for x in errs:
            print(f"     {x}")
        bad += bool(errs)
    print(f"{len(files) - bad} passed, {bad} failed; largest difference "
          f"{worst['abs']:.3g} (relative, or absolute below 1) at {worst['where']}")
    sys.exit(1 if bad or not files else 0)


if __name__ == "__main__":
    main()
