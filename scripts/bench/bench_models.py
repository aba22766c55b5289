#!/usr/bin/env python3
"""Side-by-side model benchmark: mlsh against numpy / scikit-learn / pandas, in the same run.

Four benchmarks (--bench picks some; default all), each with --reps fresh processes per tool, round
robin (so drift hits every tool alike); reported: medians of the times, peak RSS (max over the runs),
and quality figures side by side.

  ols       1,000,000 x 20 (data/models-ols-1m.csv)
            mlsh   load; fit linear y ~ . on d         the fit command's own `time:` line
            numpy  np.linalg.lstsq([1 X], y)           the solve only (read_csv and the matrix
                                                       with its intercept column are not timed)
            quality: max relative difference of the coefficients, mlsh vs numpy, (a) from mlsh's
            coefficient table (printed with 7 significant digits, so it can't show better than
            ~5e-7) and (b) exact: mlsh predicts a design (a zero row and one unit row per feature)
            and writes it at full precision: intercept = p0, beta_i = p_i - p0. Target 1e-8.
  logistic  200,000 x 20, y = "yes"/"no" from a logistic model (data/models-logistic-200k.csv)
            mlsh     fit logistic y ~ . on d C=1
            sklearn  LogisticRegression(C=1.0, solver="lbfgs"), default tol and max_iter
            quality: training mean log-loss (mlsh's printed figure, and recomputed at full
            precision from its predicted p_yes), the objective both minimise,
            sum(log-loss) + |w|^2/(2C), iterations, and the coefficients' max relative difference.
  kmeans    100,000 x 10, 8 gaussian blobs (data/models-kmeans-100k.csv)
            mlsh     fit kmeans ~ . on d k=8 n_init=10
            sklearn  KMeans(n_clusters=8, n_init=10, random_state=0)
            quality: inertia (mlsh's printed figure, and recomputed at full precision from its
            predicted clusters with the clusters' means as centres), iterations.
  e2e       the 1M-row data/bench-1m.csv of gen_data.py, whole processes (wall time, start to exit):
            mlsh     load; fill d [x0, ..., x9] median; encode d onehot [cat5, cat50];
                     split d 0.8 seed=1 as train test; fit linear y ~ . on train as m; evaluate m on test
            pandas+sklearn  read_csv; train_test_split(test_size=0.2, random_state=1);
                     ColumnTransformer(SimpleImputer(median) on x0..x9, OneHotEncoder on cat5/cat50
                     (dense), n passed through) + LinearRegression fitted on the train split;
                     RMSE on the test split.
            The two splits are different random 80/20 splits, so the RMSEs agree only to sampling
            noise (~1e-3 here), not exactly.

mlsh runs with `set echo on; set timer on; set table csv`, so every command's `time:` line can be
attributed to the command echoed before it, and tables are parsed as CSV. The fit column is the fit
command's `time:` line (design matrix, the algorithm, training metrics and the printed report);
"mlsh own" is the figure in its "fitted NAME: … in T" line (the algorithm itself).
The Python peers run without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (see bench_data.peer_env); mlsh
keeps the environment as it is. mlsh is optional: if its binary is missing or fails, its rows say
"mlsh: n/a (reason)".

Data: seeded (numpy default_rng(42)), written once under scripts/bench/data/ when missing
(`bench_models.py --generate` rewrites them). Normally started by `scripts/bench/run models`.
"""
import argparse
import csv
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_data import (ANSI_RE, ROOT, TIME_RE, UNIT, fail_reason, last_line, med, mlsh_version,  # noqa: E402
                        peer_env, rel, round_robin, run_measured, run_python, secs, table)

DATA = HERE / "data"
BENCHES = ["ols", "logistic", "kmeans", "e2e"]
FILES = {
    "ols": DATA / "models-ols-1m.csv",
    "logistic": DATA / "models-logistic-200k.csv",
    "kmeans": DATA / "models-kmeans-100k.csv",
}
OLS_P, LOGISTIC_P, KMEANS_P, KMEANS_K = 20, 20, 10, 8
PEER_NAME = {"ols": "numpy", "logistic": "sklearn", "kmeans": "sklearn", "e2e": "pandas+sklearn"}


# ----------------------------------------------------------------------------------------------
# Data (run in a child process: `bench_models.py --generate NAME`, so the driver stays small)

def _write_csv(path, header, columns, n_rows, chunk=100_000):
    """columns: list of callables (lo, hi) -> list of strings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for lo in range(0, n_rows, chunk):
            hi = min(lo + chunk, n_rows)
            cols = [c(lo, hi) for c in columns]
            f.write("\n".join(",".join(r) for r in zip(*cols)))
            f.write("\n")
    os.replace(tmp, path)


def _floats(a, spec="%.6g"):
    return lambda lo, hi: [spec % v for v in a[lo:hi].tolist()]


def generate(name, rows=None, out=None):
    """Writes one data set. Deterministic: numpy default_rng(42), draws in the order below.

    ols       x0..x19 ~ N(0,1); beta_j = ±U(0.5, 3); y = 1.5 + sum beta_j x_j + N(0,1) noise
              (from the unrounded x, column by column, no BLAS); all written %.6g.
    logistic  x0..x19 ~ N(0,1); w_j ~ N(0, 0.5); P(yes) = sigmoid(-0.3 + sum w_j x_j);
              y = "yes" / "no"; x written %.6g.
    kmeans    8 centres ~ U(-6, 6)^10; each row a uniform centre + N(0, 1.5^2) per column; %.6g.
    """
    import numpy as np
    rng = np.random.default_rng(42)
    t0 = time.perf_counter()
    out = Path(out) if out else FILES[name]
    if name == "ols":
        n = rows or 1_000_000
        x = rng.standard_normal((n, OLS_P))
        beta = rng.uniform(0.5, 3.0, OLS_P) * rng.choice([-1.0, 1.0], OLS_P)
        y = np.full(n, 1.5)
        for j in range(OLS_P):
            y += beta[j] * x[:, j]
        y += rng.standard_normal(n)
        header = [f"x{j}" for j in range(OLS_P)] + ["y"]
        _write_csv(out, header, [_floats(x[:, j]) for j in range(OLS_P)] + [_floats(y)], n)
    elif name == "logistic":
        n = rows or 200_000
        x = rng.standard_normal((n, LOGISTIC_P))
        w = rng.normal(0.0, 0.5, LOGISTIC_P)
        z = np.full(n, -0.3)
        for j in range(LOGISTIC_P):
            z += w[j] * x[:, j]
        yes = rng.random(n) < 1.0 / (1.0 + np.exp(-z))
        header = [f"x{j}" for j in range(LOGISTIC_P)] + ["y"]
        ycol = lambda lo, hi: ["yes" if v else "no" for v in yes[lo:hi].tolist()]  # noqa: E731
        _write_csv(out, header, [_floats(x[:, j]) for j in range(LOGISTIC_P)] + [ycol], n)
    elif name == "kmeans":
        n = rows or 100_000
        centres = rng.uniform(-6.0, 6.0, (KMEANS_K, KMEANS_P))
        label = rng.integers(0, KMEANS_K, n)
        x = centres[label] + 1.5 * rng.standard_normal((n, KMEANS_P))
        header = [f"x{j}" for j in range(KMEANS_P)]
        _write_csv(out, header, [_floats(x[:, j]) for j in range(KMEANS_P)], n)
    else:
        raise SystemExit(f"unknown data set {name!r}")
    size = out.stat().st_size
    print(f"wrote {out} : {n:,} rows, {size:,} bytes ({size / 1e6:.1f} MB), "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)


def ensure_data(benches, e2e_data):
    for b in benches:
        if b == "e2e":
            if not e2e_data.exists():
                subprocess.run([sys.executable, str(HERE / "gen_data.py"), "--out", str(e2e_data)], check=True)
        elif not FILES[b].exists():
            print(f"bench: generating {rel(FILES[b])}", file=sys.stderr)
            subprocess.run([sys.executable, __file__, "--generate", b], check=True, env=peer_env())


# ----------------------------------------------------------------------------------------------
# Python peers: run as `python -c CODE ARGS...`; the last stdout line is a JSON result.

PEER_COMMON = r'''
import sys, time, json
def blas():
    try:
        import threadpoolctl
        return "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} x{i.get('num_threads')}"
                         for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas") or "?"
    except Exception as e:
        return f"? ({e})"
'''

PEER_CODE = {
    "ols": PEER_COMMON + r'''
import numpy as np, pandas as pd
t0 = time.perf_counter(); df = pd.read_csv(sys.argv[1], engine="c"); t1 = time.perf_counter()
X = df[[c for c in df.columns if c != "y"]].to_numpy(dtype=np.float64)
A = np.column_stack([np.ones(len(X)), X]); y = df["y"].to_numpy(dtype=np.float64)
t2 = time.perf_counter(); coef, res, rank, sv = np.linalg.lstsq(A, y, rcond=None); t3 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "fit": t3 - t2, "coef": coef.tolist(), "rank": int(rank),
                  "rows": len(X), "version": np.__version__,
                  "note": f"numpy {np.__version__} lstsq (LAPACK gelsd), BLAS: {blas()}"}))
''',
    "logistic": PEER_COMMON + r'''
import numpy as np, pandas as pd, sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
t0 = time.perf_counter(); df = pd.read_csv(sys.argv[1], engine="c"); t1 = time.perf_counter()
X = df[[c for c in df.columns if c != "y"]].to_numpy(dtype=np.float64); y = df["y"].to_numpy()
C = 1.0
clf = LogisticRegression(C=C, solver="lbfgs")
t2 = time.perf_counter(); clf.fit(X, y); t3 = time.perf_counter()
P = clf.predict_proba(X)
ll = log_loss(y, P)
w = clf.coef_[0]
print(json.dumps({"load": t1 - t0, "fit": t3 - t2, "logloss": ll,
                  "objective": ll * len(y) + float(w @ w) / (2 * C),
                  "accuracy": float(np.mean(clf.predict(X) == y)),
                  "iterations": int(np.max(clf.n_iter_)), "classes": [str(c) for c in clf.classes_],
                  "coef": [float(clf.intercept_[0])] + w.tolist(), "rows": len(y),
                  "version": sklearn.__version__,
                  "note": f"sklearn {sklearn.__version__} lbfgs tol=1e-4 max_iter=100, BLAS: {blas()}"}))
''',
    "kmeans": PEER_COMMON + r'''
import numpy as np, pandas as pd, sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info
t0 = time.perf_counter(); df = pd.read_csv(sys.argv[1], engine="c"); t1 = time.perf_counter()
X = df.to_numpy(dtype=np.float64)
km = KMeans(n_clusters=int(sys.argv[2]), n_init=10, random_state=0)
t2 = time.perf_counter(); km.fit(X); t3 = time.perf_counter()
omp = [i.get("num_threads") for i in threadpool_info() if i.get("user_api") == "openmp"]
print(json.dumps({"load": t1 - t0, "fit": t3 - t2, "inertia": float(km.inertia_),
                  "iterations": int(km.n_iter_), "rows": len(X), "version": sklearn.__version__,
                  "note": f"sklearn {sklearn.__version__} lloyd, OpenMP threads {omp or '?'}"}))
''',
    "e2e": PEER_COMMON + r'''
import numpy as np, pandas as pd, sklearn
from sklearn.model_selection import train_test_split
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder
from sklearn.linear_model import LinearRegression
t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], engine="c")
t1 = time.perf_counter()
X, y = df.drop(columns="y"), df["y"]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=1)
t2 = time.perf_counter()
prep = ColumnTransformer([("fill", SimpleImputer(strategy="median"), [f"x{i}" for i in range(10)]),
                          ("onehot", OneHotEncoder(sparse_output=False, handle_unknown="ignore"), ["cat5", "cat50"])],
                         remainder="passthrough")
model = make_pipeline(prep, LinearRegression()).fit(Xtr, ytr)
t3 = time.perf_counter()
rmse = float(np.sqrt(np.mean((model.predict(Xte) - yte.to_numpy()) ** 2)))
t4 = time.perf_counter()
print(json.dumps({"steps": {"read_csv": t1 - t0, "split": t2 - t1, "fill+encode+fit": t3 - t2,
                            "evaluate": t4 - t3},
                  "rmse": rmse, "train_rows": len(Xtr), "test_rows": len(Xte),
                  "version": f"pandas {pd.__version__}, sklearn {sklearn.__version__}",
                  "note": f"pandas {pd.__version__}, sklearn {sklearn.__version__}, BLAS: {blas()}"}))
''',
}


def peer_args(bench, data):
    return [str(data)] + ([str(KMEANS_K)] if bench == "kmeans" else [])


def run_peer(bench, data, timeout):
    return run_python(PEER_CODE[bench], peer_args(bench, data), PEER_NAME[bench], timeout)


# ----------------------------------------------------------------------------------------------
# mlsh

FITTED_RE = re.compile(r"^fitted \S+: .* in ([0-9]*\.?[0-9]+)\s*(ns|µs|μs|us|ms|s)\s*$")
TRAINING_LOGISTIC_RE = re.compile(r"training: accuracy ([-+0-9.eE]+), log-loss ([-+0-9.eE]+)"
                                  r"(?: \((\d+) iterations?, objective ([-+0-9.eE]+)\))?")
INERTIA_RE = re.compile(r"inertia ([-+0-9.eE]+) after (\d+) iterations?")


def q(path):
    """A path as an mlsh string literal."""
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def segments(out):
    """mlsh output (with `set echo on`) cut into [(command, lines)]: each echoed `mlsh> CMD` line
    starts the segment of that command; its `time:` line is in it."""
    segs = []
    for line in ANSI_RE.sub("", out).splitlines():
        if line.startswith("mlsh> "):
            segs.append((line[6:].strip(), []))
        elif segs:
            segs[-1][1].append(line)
    return segs


def seg(segs, prefix, nth=0):
    hits = [lines for cmd, lines in segs if cmd.startswith(prefix)]
    return hits[nth] if len(hits) > nth else None


def seg_time(lines):
    if lines is None:
        return None
    for l in lines:
        if m := TIME_RE.match(l):
            return float(m.group(1)) * UNIT[m.group(2)]
    return None


def fitted_time(lines):
    for l in lines or []:
        if m := FITTED_RE.match(l.strip()):
            return float(m.group(1)) * UNIT[m.group(2)]
    return None


def csv_table(lines, first_header):
    """The rows (as dicts) of the first CSV table in lines whose header starts with first_header."""
    for i, l in enumerate(lines or []):
        if l.startswith(first_header + ","):
            header = next(csv.reader([l]))
            rows = []
            for r in csv.reader(lines[i + 1:]):
                if len(r) != len(header):
                    break
                rows.append(dict(zip(header, r)))
            return rows
    return None


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def mlsh_script(bench, data, tmp):
    head = "set echo on; set timer on; set table csv; "
    if bench == "ols":
        return head + (f"load {q(data)} as d; fit linear y ~ . on d as m; "
                       f"load {q(tmp / 'design.csv')} as e; predict m on e as p; write p {q(tmp / 'design-pred.csv')}")
    if bench == "logistic":
        return head + (f"load {q(data)} as d; fit logistic y ~ . on d C=1 as m; "
                       f"predict m on d as p; write p {q(tmp / 'logistic-pred.csv')}")
    if bench == "kmeans":
        return head + (f"load {q(data)} as d; fit kmeans ~ . on d k={KMEANS_K} n_init=10 as m; "
                       f"predict m on d as p; write p {q(tmp / 'kmeans-pred.csv')}")
    cols = ", ".join(f"x{i}" for i in range(10))
    return head + (f"load {q(data)} as d; fill d [{cols}] median; encode d onehot [cat5, cat50]; "
                   f"split d 0.8 seed=1 as train test; fit linear y ~ . on train as m; evaluate m on test")


E2E_STEPS = ["load", "fill", "encode", "split", "fit", "evaluate"]


def run_mlsh(binary, bench, data, tmp, timeout):
    if not binary.exists():
        return None, f"no binary at {rel(binary)}; scripts/bench/run builds it, or set MLSH=path"
    if not os.access(binary, os.X_OK):
        return None, f"{rel(binary)} is not executable"
    for f in tmp.glob("*-pred.csv"):
        f.unlink()
    try:
        r = run_measured([str(binary), "-c", mlsh_script(bench, data, tmp)], None, timeout)
    except OSError as e:
        return None, f"cannot run {rel(binary)}: {e}"
    segs = segments(r.out)
    if not segs:
        return None, fail_reason(r, "mlsh") if r.rc or r.timed_out else "no echoed commands in its output"
    res = {"wall": r.wall, "rss": r.maxrss_mb, "note": fail_reason(r, "mlsh") if r.rc else ""}
    load = seg(segs, "load ")
    res["load"] = seg_time(load)
    fit = seg(segs, "fit ")
    res["fit"] = seg_time(fit)
    res["fit_own"] = fitted_time(fit)

    if bench == "e2e":
        res["steps"] = {s: seg_time(seg(segs, s + " ")) for s in E2E_STEPS}
        ev = csv_table(seg(segs, "evaluate "), "metric")
        res["rmse"] = num(next((x.get("value") for x in ev or [] if x.get("metric") == "RMSE"), None))
        if res["rmse"] is None:
            return None, fail_reason(r, "mlsh") if r.rc else "no RMSE row in evaluate's table"
        return res, None

    if res["fit"] is None:
        return None, fail_reason(r, "mlsh") if r.rc else "no time: line after the fit command"
    text = "\n".join(fit)
    if bench == "ols":
        tab = csv_table(fit, "term")
        res["coef_table"] = [num(x.get("estimate")) for x in tab] if tab else None
        res["terms"] = [x.get("term") for x in tab] if tab else None
        res["coef"] = design_coefficients(tmp / "design-pred.csv")
    elif bench == "logistic":
        m = TRAINING_LOGISTIC_RE.search(text)
        if m:
            res.update(accuracy=num(m.group(1)), logloss_printed=num(m.group(2)),
                       iterations=int(m.group(3)) if m.group(3) else None, objective_printed=num(m.group(4)))
        tab = csv_table(fit, "term")
        res["coef_table"] = [num(list(x.values())[1]) for x in tab] if tab else None
        res["positive"] = tab and list(tab[0].keys())[1].removeprefix("log-odds of ")
        res.update(in_child(logistic_quality, tmp / "logistic-pred.csv", res["coef_table"]))
    elif bench == "kmeans":
        m = INERTIA_RE.search(text)
        if m:
            res.update(inertia_printed=num(m.group(1)), iterations=int(m.group(2)))
        res["inertia"] = in_child(inertia_from_labels, tmp / "kmeans-pred.csv")
    return res, None


def in_child(func, *args):
    """Runs func in a forked child: reading a 200k-row prediction file would grow this driver, and a
    tool started after that reports the driver's size as its own peak RSS (see run_measured)."""
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(func, args)


def write_design(tmp):
    """A zero row, then one row per feature with that feature 1: mlsh's predictions for them are the
    intercept and intercept + beta_i, written at full precision."""
    names = [f"x{j}" for j in range(OLS_P)]
    with open(tmp / "design.csv", "w") as f:
        f.write(",".join(names) + "\n")
        for i in range(-1, OLS_P):
            f.write(",".join("1.0" if j == i else "0.0" for j in range(OLS_P)) + "\n")


def read_rows(path):
    try:
        with open(path, newline="") as f:
            rd = csv.reader(f)
            header = next(rd)
            return header, list(rd)
    except (OSError, StopIteration):
        return None, None


def design_coefficients(path):
    header, rows = read_rows(path)
    if not header or "prediction" not in header or len(rows) != OLS_P + 1:
        return None
    k = header.index("prediction")
    p = [float(r[k]) for r in rows]
    return [p[0]] + [pi - p[0] for pi in p[1:]]


def logistic_quality(path, coef_table):
    header, rows = read_rows(path)
    if not header or "y" not in header or not rows:
        return {}
    py = [c for c in header if c.startswith("p_")]
    yi, pi = header.index("y"), {c[2:]: header.index(c) for c in py}
    eps = sys.float_info.epsilon  # sklearn's log_loss clips at the dtype's eps
    total = 0.0
    for r in rows:
        p = min(max(float(r[pi[r[yi]]]), eps), 1 - eps)
        total -= math.log(p)
    out = {"logloss": total / len(rows)}
    if coef_table and all(c is not None for c in coef_table):
        out["objective"] = total + sum(w * w for w in coef_table[1:]) / 2  # C = 1
    return out


def inertia_from_labels(path):
    header, rows = read_rows(path)
    if not header or "cluster" not in header or not rows:
        return None
    k = header.index("cluster")
    feats = [i for i, c in enumerate(header) if c != "cluster"]
    sums, counts = {}, {}
    xs = [([float(r[i]) for i in feats], r[k]) for r in rows]
    for x, c in xs:
        s = sums.setdefault(c, [0.0] * len(x))
        for i, v in enumerate(x):
            s[i] += v
        counts[c] = counts.get(c, 0) + 1
    centre = {c: [v / counts[c] for v in s] for c, s in sums.items()}
    return math.fsum(sum((v - m) ** 2 for v, m in zip(x, centre[c])) for x, c in xs)


# ----------------------------------------------------------------------------------------------
# Report

def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "n/a"


def max_rel(a, b):
    if not a or not b or len(a) != len(b) or any(v is None for v in a + b):
        return None
    return max(abs(x - y) / max(abs(y), 1e-300) for x, y in zip(a, b))


def g(x, spec=".6g"):
    return "n/a" if x is None else format(x, spec)


def summarise(rs):
    if not rs:
        return None
    s = dict(rs[0])  # quality figures: deterministic, from the first run
    for key in ("load", "fit", "fit_own", "wall"):
        s[key] = med(r.get(key) for r in rs)
    s["rss"] = max(r["rss"] for r in rs)
    if "steps" in rs[0]:
        s["steps"] = {k: med(r["steps"].get(k) for r in rs) for k in rs[0]["steps"]}
    s["runs"] = len(rs)
    return s


def report_failures(tools, names, summary, failed, reps):
    for t in tools:
        label = names[t]
        if t in failed and summary.get(t) is None:
            print(f"{label}: n/a ({failed[t]})")
        elif t in failed:
            print(f"{label}: only {summary[t]['runs']} of {reps} runs worked ({failed[t]})")
        elif summary.get(t) and summary[t].get("note") and t == "mlsh":
            print(f"mlsh: {summary[t]['note']}")


def timing_table(bench, m, p, peer, what):
    rows = []
    for label, s, w in (("mlsh", m, what[0]), (peer, p, what[1])):
        if s is None:
            rows.append([label, w, "n/a", "n/a", "n/a", "n/a"])
        else:
            rows.append([label, w, secs(s.get("load")), secs(s.get("fit")),
                         secs(s.get("fit_own")) if s.get("fit_own") is not None else "-", f"{s['rss']:.0f}"])
    rows.append([f"mlsh/{peer}", "(lower = mlsh better)", ratio(m and m.get("load"), p and p.get("load")),
                 ratio(m and m.get("fit"), p and p.get("fit")), "", ratio(m and m["rss"], p and p["rss"])])
    print(table(["tool", "what is timed as fit", "load (s)", "fit (s)", "mlsh own (s)", "peak RSS (MB)"],
                rows, right={2, 3, 4, 5}))


def report_ols(m, p, data, n):
    print(f"## 1. OLS — {rel(data)}: {n:,} rows x {OLS_P} features + intercept")
    timing_table("ols", m, p, "numpy", ("fit linear y ~ . on d", "np.linalg.lstsq([1 X], y)"))
    rows = []
    if m and p:
        ref = p.get("coef")
        t, e = max_rel(m.get("coef_table"), ref), max_rel(m.get("coef"), ref)
        rows.append(["coefficients: max |mlsh - numpy| / |numpy|, from the printed table (7 digits)",
                     g(t, ".2e"), "~5e-7 at best (rounding)"])
        rows.append(["coefficients: same, exact (predict on a design, full precision)", g(e, ".2e"),
                     "target 1e-8: " + ("ok" if e is not None and e <= 1e-8 else "NOT MET" if e is not None else "n/a")])
        if m.get("terms") and len(m["terms"]) != OLS_P + 1:
            rows.append(["mlsh terms in its table", str(len(m["terms"])), f"expected {OLS_P + 1}"])
    if p:
        rows.append(["numpy rank", str(p.get("rank")), ""])
        rows.append(["numpy intercept, x0", f"{p['coef'][0]:.10g}, {p['coef'][1]:.10g}", ""])
    if m and m.get("coef"):
        rows.append(["mlsh intercept, x0 (exact)", f"{m['coef'][0]:.10g}, {m['coef'][1]:.10g}", ""])
    if rows:
        print()
        print(table(["quality", "value", "note"], rows, right={1}))


def report_logistic(m, p, data, n):
    print(f"## 2. Logistic — {rel(data)}: {n:,} rows x {LOGISTIC_P} features, y yes/no")
    timing_table("logistic", m, p, "sklearn", ("fit logistic y ~ . on d C=1", "LogisticRegression(C=1).fit"))
    m, p = m or {}, p or {}

    def diff(a, b, spec=".2e"):
        return format(a - b, spec) if a is not None and b is not None else "n/a"
    rows = [
        ["training log-loss (as printed)", g(m.get("logloss_printed")), g(p.get("logloss"), ".10f"),
         diff(m.get("logloss_printed"), p.get("logloss"))],
        ["training log-loss (full precision, mlsh's from its p_yes)", g(m.get("logloss"), ".10f"),
         g(p.get("logloss"), ".10f"), diff(m.get("logloss"), p.get("logloss"))],
        ["objective sum(log-loss) + |w|²/2C (lower is better)", g(m.get("objective"), ".8f"),
         g(p.get("objective"), ".8f"), diff(m.get("objective"), p.get("objective"))],
        ["training accuracy", g(m.get("accuracy")), g(p.get("accuracy")), ""],
        ["iterations", g(m.get("iterations")), g(p.get("iterations")), ""],
        ["coefficients: max relative difference (mlsh table, 7 digits)",
         g(max_rel(m.get("coef_table"), p.get("coef")), ".2e"), "", ""],
    ]
    if m.get("positive") or p.get("classes"):
        rows.append(["positive class", str(m.get("positive") or "n/a"), str((p.get("classes") or ["?"])[-1]), ""])
    print()
    print(table(["quality", "mlsh", "sklearn", "mlsh - sklearn"], rows, right={1, 2, 3}))


def report_kmeans(m, p, data, n):
    print(f"## 3. k-means k={KMEANS_K} — {rel(data)}: {n:,} rows x {KMEANS_P} features, blobs")
    timing_table("kmeans", m, p, "sklearn", (f"fit kmeans ~ . on d k={KMEANS_K} n_init=10",
                                              f"KMeans({KMEANS_K}, n_init=10).fit"))
    m, p = m or {}, p or {}
    rel_d = (f"{(m['inertia'] - p['inertia']) / p['inertia']:+.2e}"
             if m.get("inertia") is not None and p.get("inertia") else "n/a")
    rows = [
        ["inertia (as printed)", g(m.get("inertia_printed")), g(p.get("inertia"), ".10g"), ""],
        ["inertia (mlsh: from its clusters, full precision)", g(m.get("inertia"), ".10g"),
         g(p.get("inertia"), ".10g"), rel_d],
        ["iterations (best start)", g(m.get("iterations")), g(p.get("iterations")), ""],
    ]
    print()
    print(table(["quality", "mlsh", "sklearn", "relative difference"], rows, right={1, 2, 3}))


def report_e2e(m, p, data, n):
    print(f"## 4. End to end, whole processes — {rel(data)}: {n:,} rows")
    rows = []
    for label, s in (("mlsh", m), ("pandas+sklearn", p)):
        rows.append([label, "n/a", "n/a", "n/a"] if s is None else
                    [label, f"{s['wall']:.2f}", g(s.get("rmse"), ".6g"), f"{s['rss']:.0f}"])
    rows.append(["mlsh/pandas+sklearn", ratio(m and m["wall"], p and p["wall"]), "",
                 ratio(m and m["rss"], p and p["rss"])])
    print(table(["tool", "process wall (s)", "test RMSE", "peak RSS (MB)"], rows, right={1, 2, 3}))
    if m and p and m.get("rmse") and p.get("rmse"):
        print(f"test RMSE mlsh - pandas+sklearn: {m['rmse'] - p['rmse']:+.2e} (different random splits; "
              f"mlsh prints 4 significant digits)")
    for label, s in (("mlsh", m), ("pandas+sklearn", p)):
        if s:
            print(f"{label} steps (s, medians, inside the process): "
                  + ", ".join(f"{k} {secs(v)}" for k, v in s["steps"].items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=",".join(BENCHES), help=f"comma list of {', '.join(BENCHES)} (default all)")
    ap.add_argument("--e2e-data", type=Path, default=DATA / "bench-1m.csv", help="the gen_data.py CSV")
    ap.add_argument("--reps", type=int, default=3, help="processes per tool and benchmark (default 3)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per process (default 600)")
    ap.add_argument("--tools", default="mlsh,peer", help="comma list of mlsh, peer (default both)")
    ap.add_argument("--generate", metavar="NAME", help="only write data set NAME (ols, logistic, kmeans)")
    ap.add_argument("--rows", type=int, help="with --generate: rows (default the benchmark's)")
    ap.add_argument("--out", type=Path, help="with --generate: file (default scripts/bench/data/…)")
    a = ap.parse_args()
    if a.generate:
        generate(a.generate, a.rows, a.out)
        return
    benches = [b.strip() for b in a.bench.split(",") if b.strip()]
    if bad := [b for b in benches if b not in BENCHES]:
        sys.exit(f"bench: unknown benchmark(s) {', '.join(bad)}; choose from {', '.join(BENCHES)}")
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    e2e_data = a.e2e_data.resolve()
    ensure_data(benches, e2e_data)
    mlsh_bin = Path(os.environ.get("MLSH") or ROOT / ".build" / "release" / "mlsh")
    if not mlsh_bin.is_absolute():
        mlsh_bin = ROOT / mlsh_bin
    data_of = {b: (e2e_data if b == "e2e" else FILES[b]) for b in benches}

    print(f"# mlsh model benchmark — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
          f"python {platform.python_version()}")
    print(f"mlsh: {rel(mlsh_bin)} {mlsh_version(mlsh_bin) if mlsh_bin.exists() else '(missing)'}")
    print(f"method: {a.reps} fresh process(es) per tool, round robin; medians; page cache warm; "
          f"peers run without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE; loads are not part of fit times")
    print()

    tmp = Path(tempfile.mkdtemp(prefix="mlsh-bench-models-"))
    try:
        write_design(tmp)
        notes = []
        for b in benches:
            data = data_of[b]
            n_rows = -1  # the header
            with open(data, "rb") as f:  # warm the page cache (and count the rows)
                while chunk := f.read(1 << 20):
                    n_rows += chunk.count(b"\n")
            results, failed = round_robin(
                tools, a.reps,
                lambda t: run_mlsh(mlsh_bin, b, data, tmp, a.timeout) if t == "mlsh" else run_peer(b, data, a.timeout),
                lambda res: (f"wall {res['wall']:.2f} s" if b == "e2e" else
                             f"load {secs(res.get('load'), ' s')}, fit {secs(res.get('fit'), ' s')}") + f", {res['rss']:.0f} MB",
                prefix=f"{b} ", name=lambda t: "mlsh" if t == "mlsh" else PEER_NAME[b])
            summary = {t: summarise(results[t]) for t in tools}
            m, p = summary.get("mlsh"), summary.get("peer")
            report = {"ols": report_ols, "logistic": report_logistic, "kmeans": report_kmeans, "e2e": report_e2e}[b]
            report(m, p, data, n_rows)
            report_failures(tools, {"mlsh": "mlsh", "peer": PEER_NAME[b]}, summary, failed, a.reps)
            if "mlsh" not in tools:
                print("mlsh: n/a (not in --tools)")
            if p and p.get("note"):
                notes.append(f"{b}: {p['note']}")
            print(flush=True)
        if notes:
            print("peers: " + "\n       ".join(notes))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
