#!/usr/bin/env python3
"""scikit-learn's HistGradientBoosting on the forest tests' fixed splits (Tests/Fixtures/forest),
with its defaults (no early stopping below 10,000 rows, so no randomness): test accuracy on
penguins, test R² on diamonds. Writes Tests/Fixtures/forest/boost-expected.json.
Run: python3 scripts/expected/make_boost_expected.py (in make_model_expected.py's venv)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_model_expected as models  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "Tests/Fixtures/forest"


def main():
    models.ensure_venv(__file__)
    import pandas as pd
    import sklearn
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.metrics import accuracy_score, r2_score
    out = {"sklearn": sklearn.__version__, "params": "defaults: max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20"}
    tr, te = pd.read_csv(FOLDER / "penguins-train.csv"), pd.read_csv(FOLDER / "penguins-test.csv")
    x = [c for c in tr.columns if c != "species"]
    clf = HistGradientBoostingClassifier(random_state=0).fit(tr[x], tr.species)
    out["penguins_accuracy"] = accuracy_score(te.species, clf.predict(te[x]))
    out["penguins_iterations"] = int(clf.n_iter_)
    from sklearn.inspection import permutation_importance
    perm = permutation_importance(clf, te[x], te.species, n_repeats=50, random_state=0)
    out["penguins_permutation_importance"] = dict(zip(x, perm.importances_mean.tolist()))
    out["penguins_permutation_note"] = "n_repeats=50 (to pin the mean; mlsh shuffles 5 times with its own generator)"
    # Missing values, learned natively: every penguin (two have no measurements), bill depth
    # also missing in every 7th row; even rows train, odd rows test.
    full = pd.read_csv(ROOT / "tutorials/data/penguins.csv")[x + ["species"]]
    full.loc[full.index % 7 == 3, "bill_depth_mm"] = float("nan")
    mtr, mte = full.iloc[::2], full.iloc[1::2]
    mtr.to_csv(FOLDER / "penguins-missing-train.csv", index=False)
    mte.to_csv(FOLDER / "penguins-missing-test.csv", index=False)
    mclf = HistGradientBoostingClassifier(random_state=0).fit(mtr[x], mtr.species)
    out["penguins_missing_accuracy"] = accuracy_score(mte.species, mclf.predict(mte[x]))
    out["penguins_missing_rows"] = [len(mtr), len(mte)]
    tr, te = pd.read_csv(FOLDER / "diamonds-train.csv"), pd.read_csv(FOLDER / "diamonds-test.csv")
    x = [c for c in tr.columns if c != "price"]
    reg = HistGradientBoostingRegressor(random_state=0).fit(tr[x], tr.price)
    out["diamonds_r2"] = r2_score(te.price, reg.predict(te[x]))
    out["diamonds_iterations"] = int(reg.n_iter_)
    (FOLDER / "boost-expected.json").write_text(json.dumps(out, indent=1) + "\n")
    print(out)


if __name__ == "__main__":
    main()
