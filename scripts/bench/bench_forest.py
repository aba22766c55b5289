#!/usr/bin/env python3
"""Random forests, side by side: `fit forest` against scikit-learn's RandomForestClassifier
(n_jobs=2, both cores, as mlsh) on the benchmark's logistic data set (20 numeric features,
yes/no), the first 75% of the rows to train on and the rest to test. Prints fit time (the CSV
reading left out on both sides), test ROC AUC and the ratios.
Run through scripts/bench/run forest [--rows N] [--trees T]."""
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
    with tempfile.TemporaryDirectory() as tmp:
        train.to_csv(f"{tmp}/train.csv", index=False)
        test.to_csv(f"{tmp}/test.csv", index=False)
        t0 = time.perf_counter()
        rf = RandomForestClassifier(n_estimators=a.trees, n_jobs=2, random_state=a.seed).fit(train[features], train.y)
        sk_time = time.perf_counter() - t0
        sk_auc = roc_auc_score(test.y == "yes", rf.predict_proba(test[features])[:, list(rf.classes_).index("yes")])
        script = Path(tmp) / "forest.mlsh"
        script.write_text(f'load "{tmp}/train.csv" as train\nload "{tmp}/test.csv" as test\n'
                          f"fit forest y ~ . on train n_trees={a.trees} seed={a.seed} as f\n"
                          f"evaluate f on test positive=yes\n")
        out = subprocess.run([mlsh, str(script)], capture_output=True, text=True, check=True).stdout
    fitted = re.search(r"fitted f: .*? in ([0-9.]+) (ms|s)\b", out.replace("\n  ", " "))
    auc = re.search(r"│ ROC AUC\s*│\s*([0-9.]+)", out)
    if not fitted or not auc:
        raise SystemExit("could not read mlsh's output:\n" + out)
    ml_time = float(fitted.group(1)) / (1000 if fitted.group(2) == "ms" else 1)
    ml_auc = float(auc.group(1))
    print(f"# random forest: {a.rows:,} rows ({cut:,} train, {a.rows - cut:,} test) × {len(features)} features, "
          f"{a.trees} trees, seed {a.seed}")
    print(f"machine: {os.cpu_count()} cores; scikit-learn {sklearn.__version__}, numpy {np.__version__}; mlsh {mlsh}")
    print(f"{'tool':28} {'fit (s)':>9} {'test ROC AUC':>13}")
    print(f"{'mlsh fit forest':28} {ml_time:9.2f} {ml_auc:13.4f}")
    print(f"{'RandomForestClassifier (2)':28} {sk_time:9.2f} {sk_auc:13.4f}")
    print(f"mlsh / scikit-learn: time {ml_time / sk_time:.2f}x, AUC {ml_auc - sk_auc:+.4f}")
    print(json.dumps({"rows": a.rows, "trees": a.trees, "mlsh_s": ml_time, "sklearn_s": sk_time, "mlsh_auc": ml_auc, "sklearn_auc": sk_auc}))


if __name__ == "__main__":
    main()
