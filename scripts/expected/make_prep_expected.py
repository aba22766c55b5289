#!/usr/bin/env python3
"""Writes the scikit-learn reference outputs of the data-preparation transformers.

Run it with any Python 3 (3.11+): `python3 scripts/expected/make_prep_expected.py`.
It makes (or reuses) the venv scripts/expected/.venv-sklearn with the pinned
versions below, re-runs itself inside it, reads tutorials/data/<name>.csv with
`pandas.read_csv(path)` defaults, fits each transformer and writes

  Tests/Fixtures/expected/prep-<case>.json   one per case (see CASES)

See scripts/expected/README.md ("Expected values from scikit-learn") for the
format and the conventions a reimplementation must follow to match.
"""
import json
import math
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned_venv  # noqa: E402

# Latest releases installable on Python 3.11 when the files were made
# (numpy 2.5 needs a newer Python; pip picks 2.4.x here).
SKLEARN = "1.9.1"
PANDAS = "3.1.1"
NUMPY = "2.4.6"
SCIPY = "1.17.1"  # scikit-learn's own dependency, pinned too

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV = HERE / ".venv-sklearn"
DATA = ROOT / "tutorials" / "data"
OUT = ROOT / "Tests" / "Fixtures" / "expected"

AIR = ["Ozone", "Solar.R"]
AIR_ALL = ["Ozone", "Solar.R", "Wind", "Temp", "Month", "Day"]
PENG = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
IRIS = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]

# (case, transformer class name, constructor params, data set, input columns,
#  fitted attributes to record, rows to fit on (None = all))
CASES = [
    ("simple-imputer-mean", "SimpleImputer", {"strategy": "mean"}, "airquality", AIR, ["statistics_"], None),
    ("simple-imputer-median", "SimpleImputer", {"strategy": "median"}, "airquality", AIR, ["statistics_"], None),
    ("simple-imputer-most_frequent", "SimpleImputer", {"strategy": "most_frequent"}, "airquality", AIR,
     ["statistics_"], None),
    ("simple-imputer-constant", "SimpleImputer", {"strategy": "constant", "fill_value": 0}, "airquality", AIR,
     ["statistics_"], None),
    ("knn-imputer", "KNNImputer", {"n_neighbors": 5, "weights": "uniform", "metric": "nan_euclidean"},
     "airquality", AIR_ALL, [], None),
    ("standard-scaler", "StandardScaler", {}, "penguins", PENG, ["mean_", "var_", "scale_"], None),
    ("minmax-scaler", "MinMaxScaler", {}, "penguins", PENG, ["data_min_", "data_max_", "scale_", "min_"], None),
    ("robust-scaler", "RobustScaler", {}, "penguins", PENG, ["center_", "scale_"], None),
    ("normalizer-l1", "Normalizer", {"norm": "l1"}, "iris", IRIS, [], None),
    ("normalizer-l2", "Normalizer", {"norm": "l2"}, "iris", IRIS, [], None),
    ("normalizer-max", "Normalizer", {"norm": "max"}, "iris", IRIS, [], None),
    ("onehot-encoder", "OneHotEncoder", {"sparse_output": False, "handle_unknown": "ignore", "drop": None},
     "penguins", ["species", "island"], ["categories_"], None),
    ("onehot-encoder-drop-first", "OneHotEncoder",
     {"sparse_output": False, "handle_unknown": "ignore", "drop": "first"},
     "penguins", ["species", "island"], ["categories_", "drop_idx_"], None),
    ("ordinal-encoder", "OrdinalEncoder", {}, "penguins", ["island"], ["categories_"], None),
    ("ordinal-encoder-categories", "OrdinalEncoder", {"categories": [["Torgersen", "Dream", "Biscoe"]]},
     "penguins", ["island"], ["categories_"], None),
    ("standard-scaler-first200", "StandardScaler", {}, "penguins", PENG, ["mean_", "var_", "scale_"], 200),
]


def ensure_venv():
    pinned_venv.ensure_venv(VENV, {"scikit-learn": ("sklearn", SKLEARN), "pandas": ("pandas", PANDAS), "numpy": ("numpy", NUMPY), "scipy": ("scipy", SCIPY)}, __file__)


def jval(v):
    """A fitted value / output cell as JSON: numbers -> float (NaN -> null), strings stay strings."""
    if isinstance(v, str):
        return v
    if v is None:
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, str):
        return v
    f = float(v)
    return None if math.isnan(f) else f


def jlist(a):
    """A (nested) array/list as nested JSON lists."""
    if isinstance(a, str) or not hasattr(a, "__iter__"):
        return jval(a)
    return [jlist(x) for x in a]


def dump(obj, path, row_keys):
    """JSON with the elements of the lists named in row_keys one per line."""
    parts = []
    for k, v in obj.items():
        if k in row_keys:
            items = ",\n  ".join(json.dumps(x, ensure_ascii=False, allow_nan=False) for x in v)
            parts.append(f'{json.dumps(k)}: [\n  {items}\n ]' if v else f'{json.dumps(k)}: []')
        else:
            parts.append(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False, allow_nan=False)}")
    text = "{" + ",\n ".join(parts) + "}\n"
    json.loads(text)  # sanity: still valid JSON
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- KNN checks

def exact_sq_dist(a, b):
    """nan_euclidean squared distance in exact rational arithmetic (None if no common coordinate)."""
    s, n = Fraction(0), 0
    for x, y in zip(a, b):
        if math.isnan(x) or math.isnan(y):
            continue
        d = Fraction(x) - Fraction(y)
        s += d * d
        n += 1
    if n == 0:
        return None
    return s * len(a) / n


def knn_donors(X, k, out, columns):
    """Replays KNNImputer.transform (fit and transform on the same X) to recover which donor rows
    scikit-learn picked for every missing cell, checks the replay reproduces `out` exactly, and
    checks the picks against exact distances with ties broken by the lower row index.

    Returns (donor records, notes)."""
    import numpy as np
    from sklearn.metrics.pairwise import nan_euclidean_distances

    mask = np.isnan(X)
    recv_rows = np.flatnonzero(mask.any(axis=1))
    # same call as pairwise_distances_chunked(X[row_missing_idx], fit_X, metric="nan_euclidean")
    D = nan_euclidean_distances(X[recv_rows], X)
    records, notes = [], []
    max_rel = 0.0
    for ci in range(X.shape[1]):
        donors_all = np.flatnonzero(~mask[:, ci])
        kk = min(k, len(donors_all))
        for ri, r in enumerate(recv_rows):
            if not mask[r, ci]:
                continue
            d = D[ri, donors_all]
            if np.isnan(d).all():
                raise SystemExit(f"row {r}: all distances NaN (mean fallback) - not expected here")
            # sklearn: np.argpartition(dist, k-1)[:, :k], NaN distances get weight 0
            pick = np.argpartition(d[None, :], kk - 1, axis=1)[0, :kk]
            w = np.where(np.isnan(d[pick]), 0.0, 1.0)
            vals = X[donors_all[pick], ci]
            replay = np.ma.average(np.ma.array(vals[None, :]), axis=1, weights=w[None, :]).data[0]
            assert replay == out[r, ci], (r, ci, replay, out[r, ci])
            chosen = sorted(int(donors_all[p]) for p in pick if not math.isnan(d[p]))

            # independent: exact distances, ties -> lower row index
            ex = []
            for j in donors_all:
                e = exact_sq_dist(X[r], X[j])
                if e is not None:
                    ex.append((e, int(j)))
            ex.sort()
            stable = sorted(j for _, j in ex[:kk])
            for p in pick:
                e = exact_sq_dist(X[r], X[donors_all[p]])
                if e is not None and e > 0:
                    rel = abs(d[p] - math.sqrt(e)) / math.sqrt(e)
                    max_rel = max(max_rel, rel)
            tie = len(ex) > kk and ex[kk - 1][0] == ex[kk][0]
            gap = None
            if len(ex) > kk and not tie:
                gap = float(ex[kk][0] - ex[kk - 1][0]) / float(ex[kk][0])
            if chosen != stable:
                same_value = sorted(X[chosen, ci]) == sorted(X[stable, ci])
                notes.append(f"row {r} {columns[ci]}: sklearn picked {chosen}, exact+lower-index rule "
                             f"picks {stable} ({'same values' if same_value else 'DIFFERENT values'})")
            elif tie:
                notes.append(f"row {r} {columns[ci]}: exact tie at the k-th distance; sklearn's pick "
                             f"agrees with the lower-index rule")
            records.append({
                "row": int(r), "column": columns[ci], "donors": chosen,
                "distances": [math.sqrt(float(exact_sq_dist(X[r], X[j]))) for j in chosen],
                "value": float(out[r, ci]),
                "_gap": gap,
            })
    gaps = [rec.pop("_gap") for rec in records]
    gaps = [g for g in gaps if g is not None]
    notes.append(f"{len(records)} imputed cells; smallest relative gap between the k-th and (k+1)-th "
                 f"exact squared distance: {min(gaps):.3g}; sklearn's distances vs exact: "
                 f"max relative difference {max_rel:.3g}")
    # sort records by column order then row
    records.sort(key=lambda rec: (columns.index(rec["column"]), rec["row"]))
    return records, notes


# ---------------------------------------------------------------- main

def run_case(case, cls_name, params, dataset, cols, attrs, fit_rows, frames, versions):
    import numpy as np
    import sklearn.impute as imp
    import sklearn.preprocessing as pre
    cls = getattr(imp, cls_name, None) or getattr(pre, cls_name)
    df = frames[dataset]
    X = df[cols]
    est = cls(**params)
    est.fit(X if fit_rows is None else X.iloc[:fit_rows])
    out = np.asarray(est.transform(X), dtype=float)
    assert out.shape[0] == len(df)
    state = {}
    for a in attrs:
        v = getattr(est, a)
        # drop_idx_ holds category indices: write ints; everything else numeric as floats
        state[a] = [int(i) for i in v] if a == "drop_idx_" else jlist(v)
    try:
        out_cols = [str(c) for c in est.get_feature_names_out()]
    except AttributeError:
        out_cols = None
    obj = {
        "case": case, "transformer": cls_name, "params": params,
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "dataset": dataset, "rows": int(len(df)),
        "fit_rows": int(len(df) if fit_rows is None else fit_rows),
        "columns": list(cols), "state": state, "output_columns": out_cols,
        "output": jlist(out),
    }
    notes = []
    if cls_name == "KNNImputer":
        Xf = X.to_numpy(dtype=float)
        donors, notes = knn_donors(Xf, params["n_neighbors"], out, list(cols))
        obj["donors"] = donors
    return obj, notes


def main():
    ensure_venv()
    import numpy as np
    import pandas as pd
    import sklearn
    import scipy
    versions = {"sklearn": sklearn.__version__, "pandas": pd.__version__, "numpy": np.__version__}
    OUT.mkdir(parents=True, exist_ok=True)
    frames = {s: pd.read_csv(DATA / f"{s}.csv") for s in ("airquality", "penguins", "iris")}
    for case in CASES:
        obj, notes = run_case(*case, frames, versions)
        out = OUT / f"prep-{case[0]}.json"
        dump(obj, out, {"output", "donors"})
        print(f"wrote {out.relative_to(ROOT)}  ({len(obj['output'])} x {len(obj['output'][0])})")
        for n in notes:
            print(f"  {n}")
    print(f"scikit-learn {sklearn.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
