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
    categories(out, pd)
    (FOLDER / "boost-expected.json").write_text(json.dumps(out, indent=1) + "\n")
    print(out)


def categories(out, pd):
    """Text features as categories (pandas' category dtype, which HistGradientBoosting takes natively
    by default; its categories sorted, as mlsh codes them). Titanic: sex and passenger class as
    categories, age with its missing values, even rows train and odd rows test (no early stopping
    under 10,000 rows, so the probabilities themselves are compared, after 30 iterations: later,
    scikit-learn's single-precision gradients turn near-ties another way). Diamonds: cut, color and
    clarity as categories, every 36th row to train, the 18th after each to test."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.metrics import accuracy_score, log_loss, r2_score
    t = pd.read_csv(ROOT / "tutorials/data/titanic.csv")[["survived", "sex", "age", "passengerClass"]]
    ttr, tte = t.iloc[::2], t.iloc[1::2]
    ttr.to_csv(FOLDER / "titanic-train.csv", index=False)
    tte.to_csv(FOLDER / "titanic-test.csv", index=False)
    x = ["sex", "age", "passengerClass"]

    def typed(frame, cols):
        frame = frame.copy()
        for c in cols:
            frame[c] = pd.Categorical(frame[c], categories=sorted(frame[c].dropna().unique()))
        return frame
    clf = HistGradientBoostingClassifier(random_state=0).fit(typed(ttr, ["sex", "passengerClass"])[x], ttr.survived)
    proba = clf.predict_proba(typed(tte, ["sex", "passengerClass"])[x])[:, list(clf.classes_).index("yes")]
    out["titanic_categories_accuracy"] = accuracy_score(tte.survived, clf.predict(typed(tte, ["sex", "passengerClass"])[x]))
    out["titanic_categories_log_loss"] = log_loss(tte.survived == "yes", proba)
    clf30 = HistGradientBoostingClassifier(random_state=0, max_iter=30).fit(typed(ttr, ["sex", "passengerClass"])[x], ttr.survived)
    out["titanic_categories_30_proba_yes"] = clf30.predict_proba(typed(tte, ["sex", "passengerClass"])[x])[:, list(clf30.classes_).index("yes")].tolist()
    # Depth instead of leaves: to depth 3 with no leaf limit (what mlsh's growth=depthwise
    # max_depth=3 grows, level by level).
    clf3 = HistGradientBoostingClassifier(random_state=0, max_iter=30, max_depth=3, max_leaf_nodes=None).fit(
        typed(ttr, ["sex", "passengerClass"])[x], ttr.survived)
    out["titanic_depth3_30_proba_yes"] = clf3.predict_proba(typed(tte, ["sex", "passengerClass"])[x])[:, list(clf3.classes_).index("yes")].tolist()
    d = pd.read_csv(ROOT / "tutorials/data/diamonds.csv")
    dtr, dte = d.iloc[::36], d.iloc[18::36]
    dtr.to_csv(FOLDER / "diamonds-categories-train.csv", index=False)
    dte.to_csv(FOLDER / "diamonds-categories-test.csv", index=False)
    cats = ["cut", "color", "clarity"]
    x = [c for c in d.columns if c != "price"]
    # The categories of the whole column, so that train and test code them alike.
    both = typed(pd.concat([dtr, dte]), cats)
    reg = HistGradientBoostingRegressor(random_state=0).fit(both.iloc[:len(dtr)][x], dtr.price)
    out["diamonds_categories_r2"] = r2_score(dte.price, reg.predict(both.iloc[len(dtr):][x]))
    out["diamonds_categories_rows"] = [len(dtr), len(dte)]


if __name__ == "__main__":
    main()
