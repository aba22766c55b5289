#!/usr/bin/env python3
"""scikit-learn's random forests on fixed train/test splits, over seeds, for the margin the forest
tests hold mlsh's to (forests are randomized: the distribution is compared, not one number).
Writes Tests/Fixtures/forest/{penguins,diamonds}-{train,test}.csv and expected.json.
Run: python3 scripts/expected/make_forest_expected.py (re-runs itself in make_model_expected.py's venv)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_model_expected as models  # noqa: E402  (its venv and pins)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/Fixtures/forest"
SEEDS = list(range(10))


def main():
    models.ensure_venv(__file__)
    import numpy as np
    import pandas as pd
    import sklearn
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.metrics import accuracy_score, r2_score
    OUT.mkdir(parents=True, exist_ok=True)
    result = {"sklearn": sklearn.__version__, "seeds": SEEDS, "cases": []}

    # Penguins: the four measurements, rows with all four; even rows train, odd rows test.
    peng = pd.read_csv(ROOT / "tutorials/data/penguins.csv")
    x_cols = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    peng = peng.dropna(subset=x_cols)[x_cols + ["species"]].reset_index(drop=True)
    train, test = peng.iloc[::2], peng.iloc[1::2]
    train.to_csv(OUT / "penguins-train.csv", index=False)
    test.to_csv(OUT / "penguins-test.csv", index=False)
    acc = [accuracy_score(test.species, RandomForestClassifier(n_estimators=100, random_state=s).fit(train[x_cols], train.species)
                          .predict(test[x_cols])) for s in SEEDS]
    result["cases"].append({"name": "penguins", "task": "classification", "metric": "accuracy", "features": x_cols,
                            "target": "species", "train_rows": len(train), "test_rows": len(test),
                            "params": "RandomForestClassifier(n_estimators=100, max_features='sqrt')",
                            "values": acc, "mean": float(np.mean(acc)), "min": float(np.min(acc)), "max": float(np.max(acc))})

    # Diamonds: the six numbers, the first 1500 rows train, the next 1000 test.
    dia = pd.read_csv(ROOT / "tutorials/data/diamonds.csv")
    d_cols = ["carat", "depth", "table", "x", "y", "z"]
    dia = dia[d_cols + ["price"]]
    dtrain, dtest = dia.iloc[:1500], dia.iloc[1500:2500]
    dtrain.to_csv(OUT / "diamonds-train.csv", index=False)
    dtest.to_csv(OUT / "diamonds-test.csv", index=False)
    r2 = [r2_score(dtest.price, RandomForestRegressor(n_estimators=100, random_state=s).fit(dtrain[d_cols], dtrain.price)
                   .predict(dtest[d_cols])) for s in SEEDS]
    result["cases"].append({"name": "diamonds", "task": "regression", "metric": "r2", "features": d_cols,
                            "target": "price", "train_rows": len(dtrain), "test_rows": len(dtest),
                            "params": "RandomForestRegressor(n_estimators=100, max_features=1.0)",
                            "values": r2, "mean": float(np.mean(r2)), "min": float(np.min(r2)), "max": float(np.max(r2))})
    (OUT / "expected.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({c["name"]: (c["mean"], c["min"], c["max"]) for c in result["cases"]}))


if __name__ == "__main__":
    main()
