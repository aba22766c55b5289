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
    if not data.exists():
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
            rows.append((algo, ml_time, float(auc.group(1)), type(peer).__name__, sk_time, sk_auc))
    print(f"# ensembles: {a.rows:,} rows ({cut:,} train, {a.rows - cut:,} test) × {len(features)} features, seed {a.seed}; "
          f"forest {a.trees} trees, boost scikit-learn's defaults")
    print(f"machine: {os.cpu_count()} cores; scikit-learn {sklearn.__version__}, numpy {np.__version__}; mlsh {mlsh}")
    print(f"{'tool':36} {'fit (s)':>9} {'test ROC AUC':>13}")
    for algo, ml_time, ml_auc, peer, sk_time, sk_auc in rows:
        print(f"{'mlsh fit ' + algo:36} {ml_time:9.2f} {ml_auc:13.4f}")
        print(f"{peer:36} {sk_time:9.2f} {sk_auc:13.4f}")
        print(f"  mlsh / scikit-learn: time {ml_time / sk_time:.2f}x, AUC {ml_auc - sk_auc:+.4f}")
    print(json.dumps([dict(zip(["algorithm", "mlsh_s", "mlsh_auc", "peer", "peer_s", "peer_auc"], r)) for r in rows]))


if __name__ == "__main__":
    main()
