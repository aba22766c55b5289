#!/usr/bin/env python3
"""scikit-learn's figures for the metrics `metric=` adds (balanced accuracy, average precision,
binary precision/recall/F1 of the positive class), computed on the predictions already pinned in
Tests/Fixtures/expected/model-metrics-{classification,multiclass}.json. Writes
Tests/Fixtures/expected/metrics-choice.json. Run: python3 scripts/expected/make_metric_choice_expected.py
(it re-runs itself in make_model_expected.py's venv, with its pins)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_model_expected as models  # noqa: E402  (its venv and pins)

ROOT = Path(__file__).resolve().parents[2]


def main():
    models.ensure_venv(__file__)
    import numpy as np
    import sklearn
    from sklearn.metrics import (average_precision_score, balanced_accuracy_score, f1_score,
                                 precision_score, recall_score)
    folder = ROOT / "Tests/Fixtures/expected"
    binary = json.loads((folder / "model-metrics-classification.json").read_text())
    multi = json.loads((folder / "model-metrics-multiclass.json").read_text())
    y, p, s = np.array(binary["y_true"]), np.array(binary["y_pred"]), np.array(binary["y_score"])
    out = {"sklearn": sklearn.__version__,
           "binary": {"source": "model-metrics-classification.json (positive class 1)",
                      "balanced_accuracy": balanced_accuracy_score(y, p),
                      "precision": precision_score(y, p), "recall": recall_score(y, p), "f1": f1_score(y, p),
                      "average_precision": average_precision_score(y, s),
                      # the other class as the positive one: its own figures
                      "positive_0": {"precision": precision_score(y, p, pos_label=0),
                                     "recall": recall_score(y, p, pos_label=0),
                                     "f1": f1_score(y, p, pos_label=0),
                                     "average_precision": average_precision_score(y, 1 - s, pos_label=0)}}}
    classes = multi["classes"]
    ym, pm, prob = np.array(multi["y_true"]), np.array(multi["y_pred"]), np.array(multi["probabilities"])
    onehot = np.array([[1 if t == c else 0 for c in classes] for t in ym])
    out["multiclass"] = {"source": "model-metrics-multiclass.json",
                         "balanced_accuracy": balanced_accuracy_score(ym, pm),
                         "precision_macro": precision_score(ym, pm, average="macro"),
                         "recall_macro": recall_score(ym, pm, average="macro"),
                         "f1_macro": f1_score(ym, pm, average="macro"),
                         "average_precision_macro": average_precision_score(onehot, prob, average="macro")}
    (folder / "metrics-choice.json").write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
