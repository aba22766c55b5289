#!/usr/bin/env python3
"""Ensembles, side by side, on the benchmark's logistic data set (20 numeric features, yes/no),
the first 75% of the rows to train on and the rest to test: `fit forest` against scikit-learn's
RandomForestClassifier (n_jobs=2, both cores, as mlsh), and `fit boost` against
HistGradientBoostingClassifier (its defaults; it uses both cores through OpenMP). Prints fit time
(the CSV reading left out on both sides), test ROC AUC and the ratios.
Run through scripts/bench/run forest [--rows N] [--trees T] [--only forest|boost]."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", choices=["forest", "boost"])
    a = ap.parse_args()
    mlsh = os.environ.get("MLSH") or str(ROOT / ".build/release/mlsh")
    data = HERE / "data" / "models-logistic-200k.csv"
    if a.rows > 200_000:
        data = HERE / "data" / f"models-logistic-{a.rows}.csv"
        if not data.exists():
            subprocess.run([sys.executable, str(HERE / "bench_models.py"), "--generate", "logistic", "--rows", str(a.rows),
                            "--out", str(data)], check=True)
    elif not data.exists():
        subprocess.run([sys.executable, str(HERE / "bench_models.py"), "--generate", "logistic"], check=True)
    import numpy as np
    import pandas as pd
    import sklearn
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import roc_auc_score
    df = pd.read_csv(data, nrows=a.rows)
    cut = int(len(df) * 0.75)
    train, test = df.iloc[:cut], df.iloc[cut:]
    features = [c for c in df.columns if c != "y"]
    from sklearn.ensemble import HistGradientBoostingClassifier
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        train.to_csv(f"{tmp}/train.csv", index=False)
        test.to_csv(f"{tmp}/test.csv", index=False)
        for algo in ["forest", "boost"]:
            if a.only and a.only != algo:
                continue
            t0 = time.perf_counter()
            if algo == "forest":
                peer = RandomForestClassifier(n_estimators=a.trees, n_jobs=2, random_state=a.seed).fit(train[features], train.y)
            else:
                peer = HistGradientBoostingClassifier(random_state=a.seed).fit(train[features], train.y)
            sk_time = time.perf_counter() - t0
            sk_auc = roc_auc_score(test.y == "yes", peer.predict_proba(test[features])[:, list(peer.classes_).index("yes")])
            sk_rounds = a.trees if algo == "forest" else peer.n_iter_
            if algo == "boost":
                others = boosting_peers(train[features], train.y == "yes", test[features], test.y == "yes", a.seed)
            script = Path(tmp) / f"{algo}.mlsh"
            extra = f"n_trees={a.trees} " if algo == "forest" else ""
            script.write_text(f'load "{tmp}/train.csv" as train\nload "{tmp}/test.csv" as test\n'
                              f"fit {algo} y ~ . on train {extra}seed={a.seed} as f\n"
                              f"evaluate f on test positive=yes\n")
            out = subprocess.run([mlsh, str(script)], capture_output=True, text=True, check=True).stdout
            fitted = re.search(r"fitted f: .*? in ([0-9.]+) (ms|s)\b", out.replace("\n  ", " "))
            auc = re.search(r"│ ROC AUC\s*│\s*([0-9.]+)", out)
            if not fitted or not auc:
                raise SystemExit("could not read mlsh's output:\n" + out)
            ml_time = float(fitted.group(1)) / (1000 if fitted.group(2) == "ms" else 1)
            rounds = re.search(r"max_iter=(\d+)", out)
            ml_rounds = int(rounds.group(1)) if rounds else a.trees
            rows.append((algo, ml_time, ml_rounds, float(auc.group(1)), type(peer).__name__, sk_time, sk_rounds, sk_auc))
            if algo == "boost":
                rows += [("boost", ml_time, ml_rounds, float(auc.group(1))) + other for other in others]
    print(f"# ensembles: {a.rows:,} rows ({cut:,} train, {a.rows - cut:,} test) × {len(features)} features, seed {a.seed}; "
          f"forest {a.trees} trees, boost scikit-learn's defaults")
    print(f"machine: {os.cpu_count()} cores; scikit-learn {sklearn.__version__}, numpy {np.__version__}; mlsh {mlsh}")
    print(f"{'tool':36} {'fit (s)':>9} {'rounds':>7} {'test ROC AUC':>13}")
    shown = set()
    for algo, ml_time, ml_rounds, ml_auc, peer, sk_time, sk_rounds, sk_auc in rows:
        if algo not in shown:
            print(f"{'mlsh fit ' + algo:36} {ml_time:9.2f} {ml_rounds:7} {ml_auc:13.4f}")
            shown.add(algo)
        print(f"{peer:36} {sk_time:9.2f} {sk_rounds:7} {sk_auc:13.4f}")
        print(f"  mlsh / {peer}: time {ml_time / sk_time:.2f}x, AUC {ml_auc - sk_auc:+.4f}")
    keys = ["algorithm", "mlsh_s", "mlsh_rounds", "mlsh_auc", "peer", "peer_s", "peer_rounds", "peer_auc"]
    print(json.dumps([dict(zip(keys, r)) for r in rows]))


def boosting_peers(x, y, x_test, y_test, seed):
    """LightGBM and XGBoost where they import (scripts/bench/run installs them; a machine where a
    wheel is missing skips that peer with a note): (name, seconds, rounds, test ROC AUC) each."""
    from sklearn.metrics import roc_auc_score
    found = []
    try:
        import lightgbm
        t0 = time.perf_counter()
        m = lightgbm.LGBMClassifier(n_estimators=100, learning_rate=0.1, num_leaves=31, min_child_samples=20, max_bin=255,
                                    n_jobs=2, random_state=seed, verbose=-1).fit(x, y)
        found.append((f"LightGBM {lightgbm.__version__}", time.perf_counter() - t0, 100, roc_auc_score(y_test, m.predict_proba(x_test)[:, 1])))
    except ImportError:
        print("note: lightgbm is not installed; left out", file=sys.stderr)
    try:
        import xgboost
        t0 = time.perf_counter()
        m = xgboost.XGBClassifier(n_estimators=100, learning_rate=0.1, tree_method="hist", grow_policy="lossguide", max_leaves=31,
                                  max_depth=0, max_bin=255, n_jobs=2, random_state=seed).fit(x, y)
        found.append((f"XGBoost {xgboost.__version__}", time.perf_counter() - t0, 100, roc_auc_score(y_test, m.predict_proba(x_test)[:, 1])))
    except ImportError:
        print("note: xgboost is not installed; left out", file=sys.stderr)
    return found

if __name__ == "__main__":
    main()
