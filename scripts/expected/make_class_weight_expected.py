#!/usr/bin/env python3
"""scikit-learn's class_weight='balanced': the weights, a balanced logistic regression's
coefficients and a balanced tree's class shares, on titanic (survived ~ age + sex_male, rows with
an age). Writes Tests/Fixtures/expected/class-weight.json.
Run: python3 scripts/expected/make_class_weight_expected.py (in make_model_expected.py's venv)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_model_expected as models  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def main():
    models.ensure_venv(__file__)
    import numpy as np
    import pandas as pd
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.utils.class_weight import compute_class_weight
    df = pd.read_csv(ROOT / "tutorials/data/titanic.csv").dropna(subset=["age"])
    x = np.column_stack([df.age.to_numpy(float), (df.sex == "male").to_numpy(float)])
    y = (df.survived == "yes").astype(int).to_numpy()
    weights = compute_class_weight("balanced", classes=np.array([0, 1]), y=y)
    lr = LogisticRegression(C=1.0, l1_ratio=0.0, solver="lbfgs", max_iter=10000, tol=1e-12, class_weight="balanced").fit(x, y)
    tree = DecisionTreeClassifier(max_depth=2, class_weight="balanced", random_state=0).fit(x, y)
    from sklearn.ensemble import HistGradientBoostingClassifier
    hgb = HistGradientBoostingClassifier(class_weight="balanced", random_state=0).fit(x, y)
    out = {"sklearn": sklearn.__version__, "rows": int(len(y)), "classes": ["no", "yes"],
           "class_weight": weights.tolist(),
           "logistic": {"params": "LogisticRegression(C=1, l2, lbfgs, tol=1e-12, class_weight='balanced')",
                        "intercept": float(lr.intercept_[0]), "coefficients": lr.coef_[0].tolist()},
           "tree": {"params": "DecisionTreeClassifier(max_depth=2, class_weight='balanced')",
                    "proba_first_rows": tree.predict_proba(x[:20]).tolist(),
                    "mean_predicted_yes": float(tree.predict(x).mean())},
           "boost": {"params": "HistGradientBoostingClassifier(class_weight='balanced') defaults",
                     "proba_first_rows": hgb.predict_proba(x[:20]).tolist(), "n_iter": int(hgb.n_iter_),
                     "mean_predicted_yes": float(hgb.predict(x).mean())}}
    (ROOT / "Tests/Fixtures/expected/class-weight.json").write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out)[:400])


if __name__ == "__main__":
    main()
