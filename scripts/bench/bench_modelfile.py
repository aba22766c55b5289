#!/usr/bin/env python3
"""Model file benchmark: mlsh's .mlsm against joblib and skops for the same models, in the same run.

Three models (--bench picks some; default all), each fitted by mlsh and by scikit-learn on the same
rows, then written and read back:

  logistic  200,000 x 20, y yes/no (data/models-logistic-200k.csv, the model benchmark's data set)
            mlsh     fit logistic y ~ . on d C=1 max_iter=1000
            sklearn  LogisticRegression(C=1.0, max_iter=1000, tol=1e-8) on the 20 columns as an array
            (tol=1e-8 rather than the default 1e-4, which stops short of the optimum: the two fits
            then reach the same model, and fit times are not measured here)
            quality rows: the file's first 10,000 rows (the fit's own rows: the figures show that
            the two models are the same, not how well they generalise)
  onehot    100,000 rows: x0..x3 numbers and cat50, 50 levels (data/modelfile-onehot-100k.csv)
            mlsh     encode d onehot [cat50]; fit logistic y ~ . on d C=1 max_iter=1000
                     (the one-hot step is in the file's recipe: predict takes cat50 as text)
            sklearn  Pipeline(ColumnTransformer(OneHotEncoder(handle_unknown="ignore") on cat50,
                     the rest passed through), LogisticRegression(C=1.0, max_iter=1000, tol=1e-8)) on
                     the DataFrame
            quality rows: 10,000 held-out rows (data/modelfile-onehot-100k-test.csv)
  knn       80,000 x 8, y yes/no (data/modelfile-knn-80k.csv)
            mlsh     fit knn y ~ . on d k=5
            sklearn  KNeighborsClassifier(n_neighbors=5) (algorithm "auto": a k-d tree, pickled too)
            quality rows: 2,000 held-out rows (data/modelfile-knn-80k-test.csv)

Figures, per model and tool:
  size      bytes of the file: mlsh `save m "F.mlsm"` (zlib, f64: the defaults), joblib.dump(model, F)
            and skops.io.dump(model, F) (the defaults: neither compresses)
  save      the first save in a process just after the fit (mlsh: the save command's `time:` line;
            Python: time.perf_counter around the dump); "save again" is the median of two more
            saves of the same model in that process
  load      a fresh process: mlsh `load model "F.mlsm" as m` (its `time:` line); Python
            joblib.load(F) / skops.io.load(F, trusted=…) (perf_counter). In the Python process,
            numpy, pandas, scikit-learn's estimator modules and joblib / skops are imported before
            the clock starts, and skops' list of types to trust is read from the file before it too
            (get_untrusted_types): the figure is reading the file into a model. mlsh checks the
            file's SHA-256 when it loads.
  1st pred  load to the first prediction, one row (the quality rows' first): mlsh the `time:` lines
            of `load model` + `predict m x0=… x1=…`; Python load + model.predict(row) (the row is
            an array, or a one-row DataFrame for the pipeline, built before the clock starts)
  cold      wall time of a whole process that only loads the file and predicts that row: mlsh -c
            'load model …; predict m …'; python -c 'import joblib (or skops.io), numpy (and pandas
            for the pipeline); load; predict' (interpreter start and imports included)
--reps fresh processes for each (round robin, so drift hits every tool alike); medians reported.
The fits are not timed (bench_models.py times them).

Quality: the models predicted on the quality rows after loading them back (mlsh: `predict m on e`,
written at full precision; Python: predict_proba of the joblib- and the skops-loaded model): log-loss
and accuracy of each, the largest difference of a class probability mlsh vs scikit-learn, and the
share of rows where their labels agree; and the one row's prediction by each.
mlsh variants: the same model saved compress=none, quantize=f32, f16 and int8: their sizes, save
times, and the change of predictions that mlsh's save reports (measured on up to 10,000 training
rows); and, for reference, joblib.dump(compress=3) (zlib level 3) and skops ZIP_DEFLATED.

The Python peers run without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (see bench_data.peer_env); mlsh
keeps the environment as it is. mlsh is optional: if its binary is missing or fails, its rows say
"n/a (reason)". Data: seeded (numpy default_rng(42)), written once under scripts/bench/data/ when
missing (`bench_modelfile.py --generate onehot|knn` rewrites one). Normally started by
`scripts/bench/run modelfile`, which adds the pinned joblib and skops to the bench's venv.
"""
import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_data import (ROOT, fail_reason, last_line, med, mlsh_version, peer_env, rel,  # noqa: E402
                        run_measured, run_python, secs, table)
from bench_models import (FILES as MODEL_FILES, _floats, _write_csv, in_child, q, read_rows,  # noqa: E402
                          seg, seg_time, segments)

DATA = HERE / "data"
BENCHES = ["logistic", "onehot", "knn"]
TOOLS = ["mlsh", "joblib", "skops"]
FILES = {
    "logistic": MODEL_FILES["logistic"],
    "onehot": DATA / "modelfile-onehot-100k.csv",
    "knn": DATA / "modelfile-knn-80k.csv",
}
# Held-out rows, written with the data set (logistic: none; its quality rows are its first rows).
TEST_FILES = {b: f.with_name(f.stem + "-test.csv") for b, f in FILES.items() if b != "logistic"}
ROWS = {"onehot": (100_000, 10_000), "knn": (80_000, 2_000)}  # (training, held out)
LOGISTIC_QUALITY_ROWS = 10_000
ONEHOT_NUM, KNN_P, KNN_K = 4, 8, 5
CAT50 = [f"level{i:02d}" for i in range(50)]
SAVE_AGAIN = 2  # saves after the first, in the same process
VARIANTS = [("compress=none", "none.mlsm"), ("quantize=f32", "f32.mlsm"), ("quantize=f16", "f16.mlsm"),
            ("quantize=int8", "int8.mlsm")]
MLSH_FIT = {
    "logistic": "fit logistic y ~ . on d C=1 max_iter=1000 as m",
    "onehot": "encode d onehot [cat50]; fit logistic y ~ . on d C=1 max_iter=1000 as m",
    "knn": f"fit knn y ~ . on d k={KNN_K} as m",
}
SKLEARN_WHAT = {
    "logistic": "LogisticRegression(C=1, max_iter=1000, tol=1e-8)",
    "onehot": "Pipeline(ColumnTransformer(OneHotEncoder(cat50), passthrough), LogisticRegression(C=1, tol=1e-8))",
    "knn": f"KNeighborsClassifier(n_neighbors={KNN_K})",
}


# ----------------------------------------------------------------------------------------------
# Data (`bench_modelfile.py --generate NAME` in a child process, so the driver stays small)

def generate(name, rows=None, out=None):
    """Writes one data set and its held-out rows. Deterministic: numpy default_rng(42), the draws in
    the order below, for training + held-out rows at once (the held-out rows are the last ones).

    onehot  x0..x3 ~ N(0,1); cat50 uniform over level00..level49; w_j ~ N(0, 0.5);
            level effects e_l ~ N(0, 1); P(yes) = sigmoid(-0.2 + sum w_j x_j + e[cat50]);
            y = "yes" / "no"; x written %.6g.
    knn     x0..x7 ~ N(0,1); s = x0 x1 + sin(2 x2) + 0.5 x3 - 0.5 x4^2 + 0.3 + N(0, 0.3^2) noise;
            y = "yes" when s > 0, else "no" (x5..x7 are noise); x written %.6g.
    """
    import numpy as np
    if name not in ROWS:
        raise SystemExit(f"unknown data set {name!r} (logistic is bench_models.py --generate logistic)")
    rng = np.random.default_rng(42)
    t0 = time.perf_counter()
    n_train, n_test = ROWS[name]
    n_train = rows or n_train
    n = n_train + n_test
    out = Path(out) if out else FILES[name]
    test_out = out.with_name(out.stem + "-test.csv")
    if name == "onehot":
        x = rng.standard_normal((n, ONEHOT_NUM))
        cat = rng.integers(0, len(CAT50), n)
        w = rng.normal(0.0, 0.5, ONEHOT_NUM)
        effect = rng.normal(0.0, 1.0, len(CAT50))
        z = -0.2 + effect[cat]
        for j in range(ONEHOT_NUM):
            z += w[j] * x[:, j]
        yes = rng.random(n) < 1.0 / (1.0 + np.exp(-z))
        header = [f"x{j}" for j in range(ONEHOT_NUM)] + ["cat50", "y"]

        def cols(lo, hi):
            return ([_floats(x[lo:hi, j]) for j in range(ONEHOT_NUM)]
                    + [lambda a, b, c=cat[lo:hi]: [CAT50[v] for v in c[a:b].tolist()],
                       lambda a, b, v=yes[lo:hi]: ["yes" if t else "no" for t in v[a:b].tolist()]])
    else:
        x = rng.standard_normal((n, KNN_P))
        s = x[:, 0] * x[:, 1] + np.sin(2.0 * x[:, 2]) + 0.5 * x[:, 3] - 0.5 * x[:, 4] ** 2 + 0.3
        s += rng.normal(0.0, 0.3, n)
        yes = s > 0
        header = [f"x{j}" for j in range(KNN_P)] + ["y"]

        def cols(lo, hi):
            return ([_floats(x[lo:hi, j]) for j in range(KNN_P)]
                    + [lambda a, b, v=yes[lo:hi]: ["yes" if t else "no" for t in v[a:b].tolist()]])
    _write_csv(out, header, cols(0, n_train), n_train)
    _write_csv(test_out, header, cols(n_train, n), n_test)
    size = out.stat().st_size
    print(f"wrote {out} : {n_train:,} rows, {size:,} bytes ({size / 1e6:.1f} MB), and {test_out.name} : "
          f"{n_test:,} rows, {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def ensure_data(benches):
    for b in benches:
        if b == "logistic":
            if not FILES[b].exists():
                print(f"bench: generating {rel(FILES[b])}", file=sys.stderr)
                subprocess.run([sys.executable, str(HERE / "bench_models.py"), "--generate", "logistic"],
                               check=True, env=peer_env())
        elif not FILES[b].exists() or not TEST_FILES[b].exists():
            print(f"bench: generating {rel(FILES[b])}", file=sys.stderr)
            subprocess.run([sys.executable, __file__, "--generate", b], check=True, env=peer_env())


def quality_rows(bench, tmp):
    """The quality rows' CSV, and its header and first row (as text). Reads lines, parses nothing:
    the driver stays small (see bench_data.run_measured)."""
    if bench != "logistic":
        src = TEST_FILES[bench]
    else:
        src = tmp / "logistic-quality.csv"
        with open(FILES[bench], encoding="utf-8") as f, open(src, "w", encoding="utf-8", newline="\n") as o:
            for i, line in enumerate(f):
                if i > LOGISTIC_QUALITY_ROWS:
                    break
                o.write(line)
    with open(src, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        first = f.readline().rstrip("\n").split(",")
    return src, header, first


def one_row(header, first):
    """The first quality row's features, as {column: text} (the target left out)."""
    return {c: v for c, v in zip(header, first) if c != "y"}


# ----------------------------------------------------------------------------------------------
# Python peers: `python -c CODE ARGS...`; the last stdout line is a JSON result.

SAVE_CODE = r'''
import sys, time, json, os, zipfile
import numpy as np, pandas as pd, sklearn, joblib, skops, skops.io as sio
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder
bench, data, prefix, formats, again = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(","), int(sys.argv[5])
df = pd.read_csv(data, engine="c")
y = df["y"].to_numpy()
X = df.drop(columns="y")
if bench == "onehot":
    model = make_pipeline(ColumnTransformer([("onehot", OneHotEncoder(handle_unknown="ignore"), ["cat50"])],
                                            remainder="passthrough"),
                          LogisticRegression(C=1.0, max_iter=1000, tol=1e-8))
else:
    X = X.to_numpy(dtype=np.float64)
    model = LogisticRegression(C=1.0, max_iter=1000, tol=1e-8) if bench == "logistic" else KNeighborsClassifier(n_neighbors=int(sys.argv[6]))
t0 = time.perf_counter(); model.fit(X, y); fit = time.perf_counter() - t0
def timed(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t
res = {"fit": fit}
if "joblib" in formats:
    res["joblib"] = [timed(lambda: joblib.dump(model, prefix + ".joblib")) for _ in range(1 + again)]
    res["joblib_z3"] = timed(lambda: joblib.dump(model, prefix + "-z3.joblib", compress=3))
if "skops" in formats:
    res["skops"] = [timed(lambda: sio.dump(model, prefix + ".skops")) for _ in range(1 + again)]
    res["skops_deflate"] = timed(lambda: sio.dump(model, prefix + "-deflate.skops", compression=zipfile.ZIP_DEFLATED))
est = model[-1] if bench == "onehot" else model
res["iterations"] = int(np.max(est.n_iter_)) if hasattr(est, "n_iter_") else None
res["note"] = f"sklearn {sklearn.__version__}, joblib {joblib.__version__}, skops {skops.__version__}, numpy {np.__version__}, pandas {pd.__version__}"
print(json.dumps(res))
'''

LOAD_CODE = r'''
import sys, time, json
import numpy as np, pandas as pd, sklearn
import sklearn.linear_model, sklearn.neighbors, sklearn.pipeline, sklearn.compose, sklearn.preprocessing
bench, fmt, path, quality_csv, pred_out = sys.argv[1:6]
trusted = None
if fmt == "joblib":
    import joblib
    load = joblib.load
else:
    import skops.io as sio
    trusted = sio.get_untrusted_types(file=path)
    load = lambda p: sio.load(p, trusted=trusted)
ev = pd.read_csv(quality_csv, engine="c")
y = ev["y"].to_numpy()
X = ev.drop(columns="y")
if bench != "onehot":
    X = X.to_numpy(dtype=np.float64)
row = X.iloc[:1] if bench == "onehot" else X[:1]
t0 = time.perf_counter()
model = load(path)
t1 = time.perf_counter()
first = model.predict(row)
t2 = time.perf_counter()
classes = [str(c) for c in model.classes_]
res = {"load": t1 - t0, "first": t2 - t0, "row_label": str(first[0]),
       "row_proba": model.predict_proba(row)[0].tolist(), "classes": classes, "trusted": trusted}
if pred_out != "-":
    P = model.predict_proba(X)
    labels = model.predict(X)
    with open(pred_out, "w") as f:
        f.write(",".join(["y", "prediction"] + ["p_" + c for c in classes]) + "\n")
        for yi, li, pi in zip(y.tolist(), labels.tolist(), P.tolist()):
            f.write(",".join([str(yi), str(li)] + [repr(v) for v in pi]) + "\n")
print(json.dumps(res))
'''

# The cold process: nothing imported beforehand. argv: format path row-json trusted-json
COLD_CODE = r'''
import sys, json
fmt, path, row, trusted = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
if fmt == "joblib":
    import joblib
    model = joblib.load(path)
else:
    import skops.io as sio
    model = sio.load(path, trusted=trusted)
if any(isinstance(v, str) for v in row.values()):
    import pandas as pd
    X = pd.DataFrame([row])
else:
    import numpy as np
    X = np.array([list(row.values())], dtype=np.float64)
print(model.predict(X)[0])
'''


def typed_row(row):
    """The row for Python: numbers as floats, the rest as text."""
    out = {}
    for c, v in row.items():
        try:
            out[c] = float(v)
        except ValueError:
            out[c] = v
    return out


# ----------------------------------------------------------------------------------------------
# mlsh

def mlsh_ok(binary):
    if not binary.exists():
        return f"no binary at {rel(binary)}; scripts/bench/run builds it, or set MLSH=path"
    if not os.access(binary, os.X_OK):
        return f"{rel(binary)} is not executable"
    return None


def mlsh_row(row):
    """`predict m col=value …` arguments: numbers as they are, text quoted."""
    parts = []
    for c, v in row.items():
        try:
            float(v)
            parts.append(f"{c}={v}")
        except ValueError:
            parts.append(f"{c}={q(v)}")
    return " ".join(parts)


def mlsh_save(binary, bench, data, tmp, timeout):
    head = "set echo on; set timer on; set table csv; "
    f = tmp / f"{bench}.mlsm"
    saves = "; ".join([f"save m {q(f)}"] * (1 + SAVE_AGAIN)
                      + [f"save m {q(tmp / (bench + '-' + name))} {opt}" for opt, name in VARIANTS])
    script = head + f"load {q(data)} as d; {MLSH_FIT[bench]}; {saves}"
    try:
        r = run_measured([str(binary), "-c", script], None, timeout)
    except OSError as e:
        return None, f"cannot run {rel(binary)}: {e}"
    segs = segments(r.out)
    plain = [seg(segs, f"save m {q(f)}", i) for i in range(1 + SAVE_AGAIN)]
    times = [seg_time(s) for s in plain]
    if times[0] is None:
        return None, fail_reason(r, "mlsh") if r.rc or r.timed_out else "no time: line after the save command"
    res = {"save": times[0], "save_again": med(times[1:]), "wall": r.wall,
           "note": fail_reason(r, "mlsh") if r.rc else "", "variants": {}}
    for opt, name in VARIANTS:
        lines = seg(segs, f"save m {q(tmp / (bench + '-' + name))}")
        change = next((l.strip() for l in lines or [] if l.strip().startswith("quantized")), "")
        res["variants"][opt] = {"save": seg_time(lines), "change": change}
    return res, None


def mlsh_load(binary, bench, tmp, quality_csv, row, pred_out, timeout):
    f = tmp / f"{bench}.mlsm"
    script = (f"set echo on; set timer on; set table csv; load model {q(f)} as m; predict m {mlsh_row(row)}")
    if pred_out:
        script += f"; load {q(quality_csv)} as e; predict m on e as p; write p {q(pred_out)}"
    try:
        r = run_measured([str(binary), "-c", script], None, timeout)
    except OSError as e:
        return None, f"cannot run {rel(binary)}: {e}"
    segs = segments(r.out)
    load, pred = seg_time(seg(segs, "load model ")), seg_time(seg(segs, "predict m "))
    if load is None or pred is None:
        return None, fail_reason(r, "mlsh") if r.rc or r.timed_out else "no time: line after load model / predict"
    lines = [l.strip() for l in seg(segs, "predict m ") if l.strip() and not l.lstrip().startswith("time:")]
    return {"load": load, "first": load + pred, "predict": pred, "row": lines[0] if lines else "",
            "note": fail_reason(r, "mlsh") if r.rc else ""}, None


def cold(argv, env, timeout, what):
    try:
        r = run_measured(argv, env, timeout)
    except OSError as e:
        return None, f"cannot run {what}: {e}"
    if r.rc != 0 or r.timed_out:
        return None, fail_reason(r, what)
    return {"cold": r.wall, "out": last_line(r.out)}, None


# ----------------------------------------------------------------------------------------------
# Quality (in a forked child: see bench_models.in_child)

def read_predictions(path):
    header, rows = read_rows(path)
    if not header or "prediction" not in header or "y" not in header or not rows:
        return None
    pcols = [c for c in header if c.startswith("p_")]
    yi, li = header.index("y"), header.index("prediction")
    return {"y": [r[yi] for r in rows], "label": [r[li] for r in rows],
            "p": {c[2:]: [float(r[header.index(c)]) if r[header.index(c)] != "" else math.nan for r in rows]
                  for c in pcols}}


def quality(paths):
    """paths: {tool: prediction CSV}. Log-loss, accuracy; differences against mlsh's."""
    preds = {t: read_predictions(p) for t, p in paths.items()}
    out = {}
    eps = sys.float_info.epsilon  # sklearn's log_loss clips at the dtype's eps
    for t, d in preds.items():
        if d is None:
            continue
        n = len(d["y"])
        ll = 0.0
        for i, yv in enumerate(d["y"]):
            p = d["p"].get(yv, [math.nan] * n)[i]
            ll -= math.log(min(max(p, eps), 1 - eps)) if not math.isnan(p) else math.nan
        out[t] = {"rows": n, "logloss": ll / n, "accuracy": sum(a == b for a, b in zip(d["y"], d["label"])) / n}
    base = preds.get("mlsh")
    for t, d in preds.items():
        if t == "mlsh" or d is None:
            continue
        for ref_name, ref in (("mlsh", base), ("joblib", preds.get("joblib"))):
            if ref is None or ref is d or len(ref["y"]) != len(d["y"]):
                continue
            dp = max((abs(a - b) for c in d["p"] if c in ref["p"] for a, b in zip(ref["p"][c], d["p"][c])),
                     default=math.nan)
            agree = sum(a == b for a, b in zip(ref["label"], d["label"])) / len(d["label"])
            out[t][f"dp_{ref_name}"] = dp
            out[t][f"agree_{ref_name}"] = agree
    return out


# ----------------------------------------------------------------------------------------------
# Report

def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "n/a"


def g(x, spec=".6g"):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def size_of(path):
    try:
        return path.stat().st_size
    except OSError:
        return None


def report(bench, n_rows, tools, summary, sizes, qual, extra, failed, reps):
    what = {"logistic": f"{n_rows:,} rows x 20 features, y yes/no",
            "onehot": f"{n_rows:,} rows: x0..x3 and cat50 (50 levels, one-hot), y yes/no",
            "knn": f"{n_rows:,} rows x {KNN_P} features, y yes/no, k={KNN_K}"}[bench]
    num = BENCHES.index(bench) + 1
    title = {"logistic": "Logistic", "onehot": "One-hot pipeline", "knn": "k-NN"}[bench]
    print(f"## {num}. {title} — {rel(FILES[bench])}: {what}")
    print(f"mlsh:    load; {MLSH_FIT[bench]}")
    print(f"sklearn: {SKLEARN_WHAT[bench]}")
    label = {"mlsh": "mlsh .mlsm (zlib, f64)", "joblib": "joblib (pickle)", "skops": "skops (zip)"}
    cols = ["size", "save", "save_again", "load", "first", "cold"]
    rows = []
    for t in tools:
        s = summary.get(t, {})
        rows.append([label[t], f"{sizes[t]:,}" if sizes.get(t) is not None else "n/a"]
                    + [secs(s.get(k)) for k in cols[1:]])
    m = dict(summary.get("mlsh", {}), size=sizes.get("mlsh"))
    for peer in ("joblib", "skops"):
        if peer in tools and "mlsh" in tools:
            p = dict(summary.get(peer, {}), size=sizes.get(peer))
            rows.append([f"mlsh/{peer}"] + [ratio(m.get(k), p.get(k)) for k in cols])
    print(table(["file", "size (bytes)", "save (s)", "save again (s)", "load (s)", "load+1st pred (s)",
                 "cold process (s)"], rows))
    for t in tools:
        if t in failed and not summary.get(t):
            print(f"{t}: n/a ({failed[t]})")
        elif t in failed:
            print(f"{t}: some runs failed ({failed[t]})")

    # quality
    print()
    qrows = []
    ref = {"logistic": f"the data set's first {LOGISTIC_QUALITY_ROWS:,} rows",
           "onehot": f"{ROWS['onehot'][1]:,} held-out rows", "knn": f"{ROWS['knn'][1]:,} held-out rows"}[bench]
    qt = [t for t in tools if qual.get(t)]
    if qt:
        if bench != "knn":
            qrows.append([f"log-loss on {ref}"] + [g(qual[t].get("logloss"), ".10f") for t in qt])
        qrows.append([f"accuracy on {ref}"] + [g(qual[t].get("accuracy"), ".6f") for t in qt])
        if "mlsh" in qt:
            qrows.append(["max |p - p(mlsh)| of a class probability"]
                         + ["-" if t == "mlsh" else g(qual[t].get("dp_mlsh"), ".2e") for t in qt])
            qrows.append(["labels the same as mlsh's"]
                         + ["-" if t == "mlsh" else g(qual[t].get("agree_mlsh"), ".4%") for t in qt])
        if "joblib" in qt and "skops" in qt:
            qrows.append(["max |p - p(joblib)| (the same sklearn model, read back twice)"]
                         + [g(qual[t].get("dp_joblib"), ".2e") if t == "skops" else "-" for t in qt])
    rowp = []
    for t in tools:
        s = summary.get(t, {})
        if t == "mlsh":
            rowp.append(s.get("row") or "n/a")
        elif s.get("row_label") is not None:
            probs = ", ".join(f"{c} {p:.3g}" for c, p in zip(s.get("classes", []), s.get("row_proba", [])))
            rowp.append(f"{s['row_label']}  ({probs})")
        else:
            rowp.append("n/a")
    if qt:
        qrows.append(["the one row's prediction"] + [rowp[tools.index(t)] for t in qt])
        if extra.get("iterations") is not None:
            qrows.append(["sklearn lbfgs iterations"] + ["" if t == "mlsh" else str(extra["iterations"]) for t in qt])
        print(table(["quality (models read back from their files)"] + [label[t].split(" ")[0] for t in qt],
                    qrows, right=set(range(1, len(qt) + 1))))
    else:
        print("quality: n/a (no predictions)")

    # variants
    vrows = []
    if "mlsh" in tools and summary.get("mlsh"):
        base = sizes.get("mlsh")
        vrows.append(["mlsh (zlib, f64): the default", g(base, ","), "1.00x", secs(summary["mlsh"].get("save")), ""])
        for opt, _ in VARIANTS:
            v = summary["mlsh"]["variants"].get(opt, {})
            sz = sizes.get("mlsh " + opt)
            vrows.append([f"mlsh {opt}", g(sz, ","), ratio(sz, base), secs(v.get("save")),
                          v.get("change", "").removeprefix("quantized to ") or ("-" if opt == "compress=none" else
                                                                               "n/a (save printed no change)")])
    for key, name, tool in (("joblib_z3", "joblib compress=3 (zlib)", "joblib"),
                            ("skops_deflate", "skops ZIP_DEFLATED", "skops")):
        if tool in tools and summary.get(tool):
            sz = sizes.get(key)
            vrows.append([name, g(sz, ","), ratio(sz, sizes.get("mlsh")) if sizes.get("mlsh") else "",
                          secs(summary[tool].get(key)), ""])
    if vrows:
        print()
        print(table(["variant", "size (bytes)", "size / mlsh default", "save (s)",
                     "prediction change mlsh's save reports (up to 10,000 training rows)"],
                    vrows, right={1, 2, 3}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=",".join(BENCHES), help=f"comma list of {', '.join(BENCHES)} (default all)")
    ap.add_argument("--reps", type=int, default=3, help="processes per tool and figure (default 3)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per process (default 600)")
    ap.add_argument("--tools", default=",".join(TOOLS), help=f"comma list of {', '.join(TOOLS)} (default all)")
    ap.add_argument("--generate", metavar="NAME", help="only write data set NAME (onehot, knn) and its held-out rows")
    ap.add_argument("--rows", type=int, help="with --generate: training rows (default the benchmark's)")
    ap.add_argument("--out", type=Path, help="with --generate: file (default scripts/bench/data/…)")
    a = ap.parse_args()
    if a.generate:
        generate(a.generate, a.rows, a.out)
        return
    benches = [b.strip() for b in a.bench.split(",") if b.strip()]
    if bad := [b for b in benches if b not in BENCHES]:
        sys.exit(f"bench: unknown benchmark(s) {', '.join(bad)}; choose from {', '.join(BENCHES)}")
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    if bad := [t for t in tools if t not in TOOLS]:
        sys.exit(f"bench: unknown tool(s) {', '.join(bad)}; choose from {', '.join(TOOLS)}")
    tools = [t for t in TOOLS if t in tools]
    peers = [t for t in tools if t != "mlsh"]
    ensure_data(benches)
    mlsh_bin = Path(os.environ.get("MLSH") or ROOT / ".build" / "release" / "mlsh")
    if not mlsh_bin.is_absolute():
        mlsh_bin = ROOT / mlsh_bin

    print(f"# mlsh model file benchmark — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
          f"python {platform.python_version()}")
    print(f"mlsh: {rel(mlsh_bin)} {mlsh_version(mlsh_bin) if mlsh_bin.exists() else '(missing)'}"
          + ("  (a debug build: its times are not representative)" if "debug" in mlsh_bin.parts else ""))
    print(f"method: {a.reps} fresh process(es) per tool and figure, round robin; medians; page cache warm; "
          f"fits not timed; peers run without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE")
    print()

    tmp = Path(tempfile.mkdtemp(prefix="mlsh-bench-modelfile-"))
    notes = []
    try:
        for b in benches:
            data = FILES[b]
            n_rows = -1  # the header
            with open(data, "rb") as f:  # warm the page cache (and count the rows)
                while chunk := f.read(1 << 20):
                    n_rows += chunk.count(b"\n")
            qcsv, header, first = quality_rows(b, tmp)
            row = one_row(header, first)
            failed, runs = {}, {t: [] for t in tools}

            def fail(t, why, what):
                failed.setdefault(t, why)
                print(f"  {b} {what} {t}: n/a ({why})", file=sys.stderr)

            # 1. fit and save: one process per tool and rep
            saves = {"mlsh": [], "py": []}
            if "mlsh" in tools and (why := mlsh_ok(mlsh_bin)):
                fail("mlsh", why, "save")
            for rep in range(a.reps):
                if "mlsh" in tools and "mlsh" not in failed:
                    res, why = mlsh_save(mlsh_bin, b, data, tmp, a.timeout)
                    if res is None:
                        fail("mlsh", why, f"save run {rep + 1}/{a.reps}")
                    else:
                        saves["mlsh"].append(res)
                        print(f"  {b} save run {rep + 1}/{a.reps} mlsh: save {secs(res['save'], ' s')}, "
                              f"process {res['wall']:.2f} s", file=sys.stderr)
                if peers and not all(p in failed for p in peers):
                    res, why = run_python(SAVE_CODE, [b, data, tmp / b, ",".join(peers), SAVE_AGAIN, KNN_K],
                                          "python", a.timeout)
                    if res is None:
                        for p in peers:
                            fail(p, why, f"save run {rep + 1}/{a.reps}")
                    else:
                        saves["py"].append(res)
                        print(f"  {b} save run {rep + 1}/{a.reps} python: "
                              + ", ".join(f"{p} {secs(res[p][0], ' s')}" for p in peers)
                              + f" (fit {res['fit']:.2f} s)", file=sys.stderr)

            sizes = {"mlsh": size_of(tmp / f"{b}.mlsm") if saves["mlsh"] else None,
                     "joblib": size_of(tmp / f"{b}.joblib") if saves["py"] else None,
                     "skops": size_of(tmp / f"{b}.skops") if saves["py"] else None,
                     "joblib_z3": size_of(tmp / f"{b}-z3.joblib") if saves["py"] else None,
                     "skops_deflate": size_of(tmp / f"{b}-deflate.skops") if saves["py"] else None}
            for opt, name in VARIANTS:
                sizes["mlsh " + opt] = size_of(tmp / f"{b}-{name}") if saves["mlsh"] else None
            summary = {}
            if saves["mlsh"]:
                s = saves["mlsh"]
                summary["mlsh"] = {"save": med(r["save"] for r in s), "save_again": med(r["save_again"] for r in s),
                                   "variants": {opt: {"save": med(r["variants"][opt]["save"] for r in s),
                                                      "change": s[0]["variants"][opt]["change"]}
                                                for opt, _ in VARIANTS}}
            if saves["py"]:
                s = saves["py"]
                for p in peers:
                    summary[p] = {"save": med(r[p][0] for r in s), "save_again": med(med(r[p][1:]) for r in s),
                                  f"{p}_z3" if p == "joblib" else "skops_deflate":
                                      med(r["joblib_z3" if p == "joblib" else "skops_deflate"] for r in s)}
                if s[0].get("note"):
                    notes.append(f"{b}: {s[0]['note']}")

            # 2. load, first prediction, cold process: fresh processes; the first rep also predicts the
            # quality rows
            preds = {}
            trusted = {}
            for rep in range(a.reps):
                for t in tools:
                    if t in failed or t not in summary:
                        continue
                    out = tmp / f"{b}-{t}-pred.csv" if rep == 0 else None
                    if t == "mlsh":
                        res, why = mlsh_load(mlsh_bin, b, tmp, qcsv, row, out, a.timeout)
                    else:
                        path = tmp / f"{b}.{t}"
                        res, why = run_python(LOAD_CODE, [b, t, path, qcsv, out or "-"], t, a.timeout)
                    if res is None:
                        fail(t, why, f"load run {rep + 1}/{a.reps}")
                        continue
                    if out:
                        preds[t] = out
                    trusted[t] = res.get("trusted") or []
                    # the cold process
                    if t == "mlsh":
                        c, why = cold([str(mlsh_bin), "-c", f"load model {q(tmp / (b + '.mlsm'))} as m; "
                                       f"predict m {mlsh_row(row)}"], None, a.timeout, "mlsh")
                    else:
                        c, why = cold([sys.executable, "-c", COLD_CODE, t, str(tmp / f"{b}.{t}"),
                                       json.dumps(typed_row(row)), json.dumps(trusted[t])], peer_env(),
                                      a.timeout, t)
                    if c is None:
                        fail(t, why, f"cold run {rep + 1}/{a.reps}")
                    else:
                        res["cold"] = c["cold"]
                    runs[t].append(res)
                    print(f"  {b} load run {rep + 1}/{a.reps} {t}: load {secs(res['load'], ' s')}, "
                          f"load+1st pred {secs(res['first'], ' s')}, cold {secs(res.get('cold'), ' s')}",
                          file=sys.stderr)
            for t in tools:
                if runs[t]:
                    summary[t].update({k: med(r.get(k) for r in runs[t]) for k in ("load", "first", "cold")})
                    summary[t].update({k: runs[t][0].get(k) for k in ("row", "row_label", "row_proba", "classes")})
            qual = in_child(quality, preds) if preds else {}
            extra = {"iterations": saves["py"][0].get("iterations") if saves["py"] else None}
            report(b, n_rows, tools, summary, sizes, qual, extra, failed, a.reps)
            if trusted.get("skops"):
                print(f"skops: trusted {', '.join(trusted['skops'])} (get_untrusted_types, before the clock)")
            print(flush=True)
        if notes:
            print("peers: " + "\n       ".join(notes))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
