#!/usr/bin/env python3
"""More reference results of model fitting (scikit-learn) for the Swift tests: the cases the first set
(make_model_expected.py) leaves out.

Run it with any Python 3 (3.11+): `python3 scripts/expected/make_model_more_expected.py`.
It uses the same pinned venv as make_model_expected.py (scripts/expected/.venv-sklearn, same versions),
re-runs itself inside it, reads tutorials/data/<name>.csv with `pandas.read_csv(path)` defaults and writes

  Tests/Fixtures/expected/model-<case>.json   one per case (see main())

It leaves the files of make_model_expected.py alone; it imports that script's helpers (Design, JSON
output, Newton's method for the multinomial logistic), so the two agree on design matrices and format.
Every file has a "checks" object: independent re-computations (exact rational arithmetic for neighbour
sets and tree splits, Newton's method, a numpy replay of the MLP's training) and their distance to what
scikit-learn returned. See scripts/expected/README.md ("More expected values for model fitting").

Where a case needs mlsh's own random choices (which rows `split` and `cv` take, the MLP's initial
weights), the script derives them from mlsh's documented rules — SplitMix64 (Sources/MLFrame/SeededRandom.swift),
partial Fisher-Yates for `split`, a full Fisher-Yates for `cv` folds, Glorot-uniform draws for the MLP —
implemented here in plain Python, and records them in the file. They are inputs (which rows, which
starting weights), never expected results: every expected number is scikit-learn's on those inputs, and the
Swift tests first check that mlsh drew the same rows / weights.
"""
import json
import math
import sys
import warnings
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned_venv  # noqa: E402
import make_model_expected as base  # noqa: E402  (helpers only: its main() does not run)

HERE = base.HERE
ROOT = base.ROOT
DATA = base.DATA
OUT = base.OUT

jfloat, jlist, jints, jlabels, dump, rel_diff = base.jfloat, base.jlist, base.jints, base.jlabels, base.dump, base.rel_diff


def ensure_venv():
    pinned_venv.ensure_venv(base.VENV, {"scikit-learn": ("sklearn", base.SKLEARN), "pandas": ("pandas", base.PANDAS),
                                        "numpy": ("numpy", base.NUMPY), "scipy": ("scipy", base.SCIPY),
                                        "statsmodels": ("statsmodels", base.STATSMODELS), "patsy": ("patsy", base.PATSY)},
                            __file__)


def common(name, model, versions, dataset):
    return {"case": name, "model": model, "sklearn": versions["sklearn"], "pandas": versions["pandas"],
            "numpy": versions["numpy"], "dataset": dataset}


# ---------------------------------------------------------------- mlsh's seeded draws, in plain Python

MASK64 = (1 << 64) - 1


class SplitMix64:
    """Sources/MLFrame/SeededRandom.swift: SplitMix64, the generator behind every seeded choice in mlsh."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self):
        """(next >> 11) / 2^53: a double in [0, 1), as MLP.fit draws it."""
        return (self.next() >> 11) / float(1 << 53)

    def sample_indices(self, n, k):
        """SeededRandom.sampleIndices: partial Fisher-Yates (j = i + next % (n - i)), returned in increasing order."""
        pool = list(range(n))
        for i in range(min(k, n)):
            j = i + self.next() % (n - i)
            pool[i], pool[j] = pool[j], pool[i]
        return sorted(pool[:k])


def mlsh_split_rows(n, fraction, seed):
    """`split DS FRACTION seed=S` without stratify: round(n * fraction) rows to the first side
    (Swift's .rounded(): half away from zero), drawn by sampleIndices; the rest to the second, in order."""
    k = int(math.floor(n * fraction + 0.5))
    train = SplitMix64(seed).sample_indices(n, k)
    chosen = set(train)
    return train, [i for i in range(n) if i not in chosen]


def mlsh_folds(rows, k, seed):
    """Folds.make (Sources/MLShell/Models/Scoring.swift): Fisher-Yates from the top (swap i with
    next % (i + 1)), then consecutive runs, the first rows % k one longer, each sorted."""
    rng = SplitMix64(seed)
    order = list(range(rows))
    for i in range(rows - 1, 0, -1):
        j = rng.next() % (i + 1)
        order[i], order[j] = order[j], order[i]
    folds, start = [], 0
    for f in range(k):
        size = rows // k + (1 if f < rows % k else 0)
        folds.append(sorted(order[start:start + size]))
        start += size
    return folds


def mlsh_mlp_init(sizes, seed):
    """MLP.fit's starting weights: per layer, weights (inputs x outputs, row-major) then biases, each
    (u * 2 - 1) * sqrt(6 / (fan_in + fan_out)) with u = SplitMix64(seed).uniform() — scikit-learn's
    Glorot-uniform bound for ReLU networks, from mlsh's generator."""
    rng = SplitMix64(seed)
    W, b = [], []
    for l in range(len(sizes) - 1):
        bound = math.sqrt(6.0 / (sizes[l] + sizes[l + 1]))
        flat = [(rng.uniform() * 2 - 1) * bound for _ in range(sizes[l] * sizes[l + 1])]
        W.append([flat[i * sizes[l + 1]:(i + 1) * sizes[l + 1]] for i in range(sizes[l])])
        b.append([(rng.uniform() * 2 - 1) * bound for _ in range(sizes[l + 1])])
    return W, b


# ---------------------------------------------------------------- k-NN regression through the k-d tree

DIAMONDS_X = base.DIAMONDS_X


def exact_sq(a, b):
    return sum((Fraction(float(x)) - Fraction(float(y))) ** 2 for x, y in zip(a, b))


def case_knn_diamonds(df, versions, first=2000, k=5):
    import numpy as np
    from sklearn.neighbors import KNeighborsRegressor
    d = base.Design(df.iloc[:first], DIAMONDS_X, "price")
    assert len(d.rows) == first
    tr, te_all = np.arange(0, first, 2), np.arange(1, first, 2)
    Xtr, ytr = d.X[tr], d.y[tr]
    # Exact squared distances (every value has at most 2 decimals: scaled by 100 they are integers, so
    # integer arithmetic is exact); a query is kept when its 5th and 6th nearest differ.
    Xi = np.rint(d.X * 100).astype(np.int64)
    assert np.array_equal(Xi.astype(float) / 100, d.X), "diamonds values with more than 2 decimals"
    kept, excluded = [], []
    for q in te_all:
        D = ((Xi[tr] - Xi[q]) ** 2).sum(axis=1)
        s = np.sort(D)
        if s[k - 1] == s[k]:
            tied = tr[D == s[k - 1]]
            excluded.append({"row": int(q), "tied_at_kth": jints(tied), "tied_prices": jlist(d.y[tied])})
        else:
            kept.append(int(q))
    te = np.array(kept)
    reg = KNeighborsRegressor(n_neighbors=k).fit(Xtr, ytr)
    dist, ind = reg.kneighbors(d.X[te])
    pred = reg.predict(d.X[te])
    # checks: sklearn's sets are the exact k nearest; the prediction is an integer sum / k, so exact
    mismatch = 0
    for qi, q in enumerate(te):
        D = ((Xi[tr] - Xi[q]) ** 2).sum(axis=1)
        exact = set(np.argsort(D, kind="stable")[:k].tolist())
        if exact != set(ind[qi].tolist()):
            mismatch += 1
    sums = ytr[ind].sum(axis=1)
    pred_from_sums = sums / k
    gaps = []
    for q in te:
        D = np.sort(((Xi[tr] - Xi[q]) ** 2).sum(axis=1))
        gaps.append(float((D[k] - D[k - 1]) / D[k]))
    obj = {
        **common("knn-diamonds", "KNeighborsRegressor(n_neighbors=5)", versions, "diamonds"),
        "params": {"n_neighbors": k},
        "features": DIAMONDS_X, "target": "price",
        "design": f"the first {first} rows of diamonds.csv (no missing values); train = positions 0, 2, 4, ... "
                  f"({len(tr)} rows: mlsh searches them with its k-d tree, which it builds from 512 rows), "
                  f"test = positions 1, 3, 5, ... except the {len(excluded)} whose 5th and 6th nearest training rows "
                  f"are at exactly the same distance (listed in excluded_test_rows: there scikit-learn's KD-tree and "
                  f"mlsh's earlier-row rule may keep different rows, with different prices)",
        "algorithm_used": reg._fit_method,
        "train_rows": jints(tr), "test_rows": jints(te),
        "predictions": jlist(pred),
        "neighbors": [sorted(int(tr[i]) for i in row) for row in ind],
        "excluded_test_rows": excluded,
        "checks": {
            "neighbor_sets_equal_exact_arithmetic": mismatch == 0,
            "predictions_equal_integer_sum_over_k": bool(np.array_equal(pred, pred_from_sums)),
            "targets_are_integers": bool(np.array_equal(ytr, np.rint(ytr))),
            "min_relative_gap_kth_to_next": min(gaps),
            "note": "price is an integer, so the 5 prices add up exactly in any order and the mean is one "
                    "correctly rounded division: predictions compare exactly",
        },
    }
    notes = [f"{len(te)} test rows kept, {len(excluded)} excluded for a tie at the 5th distance; sets = exact: "
             f"{mismatch == 0}; algorithm {reg._fit_method}; smallest 5th/6th gap {min(gaps):.3g} (relative)"]
    return obj, notes


# ---------------------------------------------------------------- multinomial logistic on iris

def case_logistic_multi_iris(df, versions):
    import numpy as np
    from sklearn.metrics import accuracy_score, log_loss
    from sklearn.preprocessing import StandardScaler
    d = base.Design(df, base.IRIS, "Species")
    sc = StandardScaler().fit(d.X)
    Xs = sc.transform(d.X)
    m, warns = base.fit_logit(Xs, d.y)
    classes = list(m.classes_)
    Yidx = np.array([classes.index(v) for v in d.y])
    C = base.LOGIT_PARAMS["C"]
    W, b = m.coef_, m.intercept_
    objective, sum_ll = base.multinomial_objective(Xs, Yidx, W, b, C)
    proba = m.predict_proba(Xs)
    pred = m.predict(Xs)
    Wn, bn, g0, g_end = base.newton_multinomial(Xs, Yidx, W, b, C)
    bn = bn - bn.mean() + b.mean()
    obj_newton, _ = base.multinomial_objective(Xs, Yidx, Wn, bn, C)
    obj = {
        **common("logistic-multinomial-iris", "LogisticRegression (multinomial, 3 classes)", versions, "iris"),
        "params": base.LOGIT_PARAMS, "params_note": base.LOGIT_NOTE,
        **d.header(),
        "standardize": "features standardized with StandardScaler() fitted on all rows: (x - mean) / scale, "
                       "scale = sqrt(population variance); coefficients refer to the standardized features",
        "scaler_mean": jlist(sc.mean_),
        "scaler_scale": jlist(sc.scale_),
        "classes": jlabels(classes),
        "intercepts": jlist(b),
        "coefficients": jlist(W),
        "objective": objective,
        "objective_formula": "sum_i [logsumexp_k(z_ik) - z_i,y_i] + 0.5 / C * ||W||_F^2 (intercepts not penalized)",
        "sum_log_loss": sum_ll,
        "mean_log_loss": jfloat(log_loss(d.y, proba, labels=classes)),
        "accuracy": jfloat(accuracy_score(d.y, pred)),
        "predictions": jlabels(pred),
        "n_iter": int(np.ravel(m.n_iter_)[0]),
        "checks": {
            "intercepts_sum": float(b.sum()),
            "coefficients_column_sums_max_abs": float(np.abs(W.sum(axis=0)).max()),
            "grad_max_abs_at_sklearn": g0, "grad_max_abs_at_newton": g_end,
            "newton_intercepts": jlist(bn), "newton_coefficients": jlist(Wn),
            "sklearn_vs_newton_max_rel": rel_diff(np.column_stack([W, b]), np.column_stack([Wn, bn])),
            "newton_objective": obj_newton,
            "objective_minus_newton": objective - obj_newton,
            "min_top_two_probability_gap": float(np.min(np.diff(np.sort(proba, axis=1)[:, -2:], axis=1))),
            "warnings": warns,
        },
    }
    c = obj["checks"]
    return obj, [f"n_iter {obj['n_iter']}, |grad| {g0:.3g} (Newton {g_end:.3g}), vs Newton {c['sklearn_vs_newton_max_rel']:.3g}, "
                 f"objective - Newton's {c['objective_minus_newton']:.3g}, accuracy {obj['accuracy']!r}, smallest top-2 "
                 f"probability gap {c['min_top_two_probability_gap']:.3g}"]


# ---------------------------------------------------------------- decision trees

def tree_exact_analysis(m, X, y, classes):
    """Per internal node of scikit-learn's tree: every candidate split (feature, between consecutive distinct
    float64 values of the node's rows) scored exactly from running sums: the decrease of n·gini (classes, in
    integers and Fractions) or of the sum of squared errors (numbers, in Fractions). Returns per node the
    features of the exact best splits, whether they all cut the rows the same way, whether scikit-learn's split
    is one of them, and the relative gap to the best split that cuts the rows differently."""
    import numpy as np
    t = m.tree_
    P = m.decision_path(X.astype(np.float32)).toarray().astype(bool)

    def score(cnt_or_sums, n):
        if classes is not None:
            return n - Fraction(sum(c * c for c in cnt_or_sums), n)
        s, s2 = cnt_or_sums
        return s2 - s * s / n

    def stats(idx):
        if classes is not None:
            return [int((y[idx] == c).sum()) for c in classes]
        v = [Fraction(float(a)) for a in y[idx]]
        return (sum(v), sum(a * a for a in v))

    out = []
    for i in range(t.node_count):
        if t.children_left[i] == -1:
            continue
        r = np.flatnonzero(P[:, i])
        n = len(r)
        total = stats(r)
        parent = score(total, n)
        cands = []  # (decrease, feature, value a: left = x <= a)
        for f in range(X.shape[1]):
            order = r[np.argsort(X[r, f], kind="stable")]
            xs = X[order, f]
            if classes is not None:
                left = [0] * len(classes)
            else:
                left = (Fraction(0), Fraction(0))
            for j in range(n - 1):
                yv = y[order[j]]
                if classes is not None:
                    left[list(classes).index(yv)] += 1
                    right = [a - b for a, b in zip(total, left)]
                else:
                    fv = Fraction(float(yv))
                    left = (left[0] + fv, left[1] + fv * fv)
                    right = (total[0] - left[0], total[1] - left[1])
                if xs[j + 1] > xs[j]:
                    nl = j + 1
                    cands.append((parent - score(left, nl) - score(right, n - nl), f, xs[j]))
        cands.sort(key=lambda c: c[0], reverse=True)
        best = cands[0][0]

        def cut(c):
            lm = X[r, c[1]] <= c[2]
            return frozenset([frozenset(r[lm].tolist()), frozenset(r[~lm].tolist())])

        tops = [c for c in cands if c[0] == best]
        cuts = {cut(c) for c in tops}
        chosen = frozenset([frozenset(r[P[r, t.children_left[i]]].tolist()), frozenset(r[P[r, t.children_right[i]]].tolist())])
        gap = None
        for c in cands[len(tops):]:
            if cut(c) not in cuts:
                gap = float((best - c[0]) / best)
                break
        out.append({"node": int(i), "exact_best_features": sorted({int(c[1]) for c in tops}),
                    "best_splits_cut_alike": len(cuts) == 1,
                    "sklearn_split_is_exact_best": chosen in cuts,
                    "gap_to_next_cut": gap})
    return out


def case_tree(name, d, classes, max_depth, versions, dataset, note):
    import numpy as np
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
    if classes is not None:
        m = DecisionTreeClassifier(random_state=0, max_depth=max_depth).fit(d.X, d.y)
        assert list(m.classes_) == list(classes)
    else:
        m = DecisionTreeRegressor(random_state=0, max_depth=max_depth).fit(d.X, d.y)
    t = m.tree_
    nodes = []
    depth = {0: 0}
    for i in range(t.node_count):
        leaf = t.children_left[i] == -1
        if not leaf:
            depth[int(t.children_left[i])] = depth[i] + 1
            depth[int(t.children_right[i])] = depth[i] + 1
        nd = {"node": i, "depth": depth[i], "leaf": bool(leaf),
              "feature": None if leaf else d.features[int(t.feature[i])],
              "threshold": None if leaf else jfloat(t.threshold[i]),
              "left": None if leaf else int(t.children_left[i]),
              "right": None if leaf else int(t.children_right[i]),
              "n_samples": int(t.n_node_samples[i]),
              "impurity": jfloat(t.impurity[i])}
        if classes is not None:
            nd["class_counts"] = [int(round(v * t.n_node_samples[i])) for v in t.value[i][0]]
        else:
            nd["value"] = jfloat(t.value[i][0][0])
        nodes.append(nd)
    analysis = tree_exact_analysis(m, d.X, d.y, list(classes) if classes is not None else None)
    tied = [a for a in analysis if len(a["exact_best_features"]) > 1]
    pred = m.predict(d.X)
    gaps = [a["gap_to_next_cut"] for a in analysis if a["gap_to_next_cut"] is not None]
    # regression leaves: the mean of integer targets is one rounding of an exact sum
    obj = {
        **common(name, "DecisionTreeClassifier" if classes is not None else "DecisionTreeRegressor", versions, dataset),
        "params": {"random_state": 0, "max_depth": max_depth, "criterion": "gini" if classes is not None else "squared_error"},
        **d.header(),
        "design_note": note,
        **({"classes": jlabels(classes)} if classes is not None else {}),
        "depth": int(m.get_depth()), "n_leaves": int(m.get_n_leaves()),
        "feature_importances": jlist(m.feature_importances_),
        "nodes": nodes,
        "predictions": jlabels(pred) if classes is not None else jlist(pred),
        "checks": {
            "every_split_is_exact_best": all(a["sklearn_split_is_exact_best"] for a in analysis),
            "tied_best_splits_cut_alike": all(a["best_splits_cut_alike"] for a in analysis),
            "nodes_with_tied_features": [{"node": a["node"], "features": [d.features[f] for f in a["exact_best_features"]],
                                          "sklearn_took": nodes[a["node"]]["feature"]} for a in tied],
            "min_relative_gap_to_next_cut": min(gaps) if gaps else None,
            "per_node": analysis,
        },
    }
    c = obj["checks"]
    return obj, [f"depth {obj['depth']}, leaves {obj['n_leaves']}; every split exact best: {c['every_split_is_exact_best']}; "
                 f"ties cut alike: {c['tied_best_splits_cut_alike']}; tied nodes {c['nodes_with_tied_features']}; "
                 f"min gap to the next different cut {c['min_relative_gap_to_next_cut']:.3g}"]


# ---------------------------------------------------------------- MLP

def softmax(Z):
    import numpy as np
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def replay_mlp_full_batch(X, Y, W0, b0, epochs, lr, alpha, eps_inside_hat):
    """Full-batch Adam on a one-hidden-layer ReLU network with softmax output, in numpy. eps_inside_hat=False is
    scikit-learn's update (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε)); True is the textbook form lr·m̂/(√v̂ + ε) that
    MLP.swift uses. Returns the weights and the loss curve (mean log-loss at the weights before the step,
    plus α/2·‖W‖²/n)."""
    import numpy as np
    W = [np.array(w, dtype=float) for w in W0]
    b = [np.array(v, dtype=float) for v in b0]
    params = W + b
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    n = X.shape[0]
    curve = []
    for t in range(1, epochs + 1):
        H = np.maximum(0, X @ W[0] + b[0])
        P = softmax(H @ W[1] + b[1])
        eps = np.finfo(float).eps
        ll = -np.log(np.clip(P, eps, 1 - eps))[Y.astype(bool)].sum() / n
        curve.append(float(ll + 0.5 * alpha * sum((w * w).sum() for w in W) / n))
        D2 = P - Y
        gW1 = (H.T @ D2 + alpha * W[1]) / n
        gb1 = D2.mean(axis=0)
        D1 = (D2 @ W[1].T) * (H > 0)
        gW0 = (X.T @ D1 + alpha * W[0]) / n
        gb0 = D1.mean(axis=0)
        grads = [gW0, gW1, gb0, gb1]
        for i, (p, g) in enumerate(zip(params, grads)):
            ms[i] = 0.9 * ms[i] + 0.1 * g
            vs[i] = 0.999 * vs[i] + 0.001 * g * g
            if eps_inside_hat:
                p -= lr * (ms[i] / (1 - 0.9 ** t)) / (np.sqrt(vs[i] / (1 - 0.999 ** t)) + 1e-8)
            else:
                p -= lr * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) * ms[i] / (np.sqrt(vs[i]) + 1e-8)
    return W, b, curve


def case_mlp(df, versions):
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler
    d = base.Design(df, base.IRIS, "Species")
    sc = StandardScaler().fit(d.X)
    Xs = sc.transform(d.X)
    classes = sorted(set(d.y))
    yidx = np.array([classes.index(v) for v in d.y])
    n, p = Xs.shape
    hidden, epochs, lr, alpha, seed = 8, 200, 0.01, 1e-4, 3
    sizes = [p, hidden, len(classes)]

    # --- A. the same start, full batches: a deterministic trajectory both can follow
    W0, b0 = mlsh_mlp_init(sizes, seed)
    common_params = dict(hidden_layer_sizes=(hidden,), activation="relu", solver="adam", alpha=alpha,
                         learning_rate_init=lr, beta_1=0.9, beta_2=0.999, epsilon=1e-8, early_stopping=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(**common_params, batch_size=n, max_iter=1, shuffle=False, tol=0.0,
                            n_iter_no_change=epochs + 1, warm_start=True, random_state=0).fit(Xs, d.y)
        # Restart from mlsh's weights: a warm-started fit keeps coefs_/intercepts_ and makes a fresh Adam.
        clf.coefs_ = [np.array(w, dtype=float) for w in W0]
        clf.intercepts_ = [np.array(v, dtype=float) for v in b0]
        clf.loss_curve_ = []
        clf.best_loss_ = np.inf
        clf._no_improvement_count = 0
        clf.t_ = 0
        clf.set_params(max_iter=epochs)
        clf.fit(Xs, d.y)
    assert list(clf.classes_) == classes and clf.n_iter_ == epochs and len(clf.loss_curve_) == epochs
    Y = np.zeros((n, len(classes)))
    Y[np.arange(n), yidx] = 1
    Wr, br, curve_r = replay_mlp_full_batch(Xs, Y, W0, b0, epochs, lr, alpha, eps_inside_hat=False)
    Wt, bt, curve_t = replay_mlp_full_batch(Xs, Y, W0, b0, epochs, lr, alpha, eps_inside_hat=True)

    def flat(W, b):
        return np.concatenate([np.ravel(w) for w in W] + [np.ravel(v) for v in b])

    sk_flat = flat(clf.coefs_, clf.intercepts_)
    proba = clf.predict_proba(Xs)
    pred = clf.predict(Xs)
    top2 = np.sort(proba, axis=1)[:, -2:]
    same_start = {
        "what": "MLPClassifier started from mlsh's initial weights for seed=3 (mlsh_mlp_init: SplitMix64 draws, "
                "Glorot-uniform bound sqrt(6/(fan_in+fan_out)), weights then biases per layer) and trained on full "
                "batches (batch_size = n, shuffle=False: the batch order cannot differ), tol=0 and n_iter_no_change "
                "> max_iter so it runs every epoch",
        "params": {**{k: v for k, v in common_params.items() if k != "hidden_layer_sizes"},
                   "hidden_layer_sizes": [hidden], "batch_size": n, "max_iter": epochs, "shuffle": False, "tol": 0.0},
        "mlsh_params": {"hidden": [hidden], "epochs": epochs, "learningRate": lr, "batch": n, "alpha": alpha, "seed": seed},
        "sizes": sizes,
        "initial_coefs": W0, "initial_intercepts": b0,
        "coefs": [jlist(w) for w in clf.coefs_], "intercepts": [jlist(v) for v in clf.intercepts_],
        "loss_curve": jlist(clf.loss_curve_),
        "predictions": jlabels(pred),
        "accuracy": jfloat((pred == d.y).mean()),
        "predict_proba": jlist(proba),
    }
    checks_a = {
        "numpy_replay_sklearn_form_max_abs_weight_diff": float(np.abs(flat(Wr, br) - sk_flat).max()),
        "numpy_replay_sklearn_form_max_rel_loss_diff": rel_diff(curve_r, clf.loss_curve_),
        "textbook_adam_vs_sklearn_max_abs_weight_diff": float(np.abs(flat(Wt, bt) - sk_flat).max()),
        "textbook_adam_vs_sklearn_max_rel_loss_diff": rel_diff(curve_t, clf.loss_curve_),
        "textbook_adam_vs_sklearn_max_abs_proba_diff": float(np.abs(softmax(np.maximum(0, Xs @ Wt[0] + bt[0]) @ Wt[1] + bt[1]) - proba).max()),
        "min_top_two_probability_gap": float((top2[:, 1] - top2[:, 0]).min()),
        "note": "Adam's epsilon: scikit-learn adds it to sqrt(v) before the bias correction "
                "(lr_t = lr*sqrt(1-b2^t)/(1-b1^t); m/(sqrt(v)+eps)), mlsh (MLP.swift) to sqrt(v_hat) after it "
                "(m_hat/(sqrt(v_hat)+eps)), the paper's Algorithm 1. The textbook_adam_* numbers are a numpy "
                "replay of that form against scikit-learn: the distance to expect from mlsh on this trajectory.",
    }

    # --- B. each its own random start, mini-batches: accuracy on held-out rows
    tr, te = np.arange(0, n, 2), np.arange(1, n, 2)
    runs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for rs in range(10):
            m = MLPClassifier(**common_params, batch_size=32, max_iter=epochs, shuffle=True, tol=0.0,
                              n_iter_no_change=epochs + 1, random_state=rs).fit(Xs[tr], d.y[tr])
            runs.append({"random_state": rs, "test_accuracy": jfloat((m.predict(Xs[te]) == d.y[te]).mean()),
                         "train_accuracy": jfloat((m.predict(Xs[tr]) == d.y[tr]).mean()),
                         "first_loss": jfloat(m.loss_curve_[0]), "final_loss": jfloat(m.loss_curve_[-1])})
    acc = [r["test_accuracy"] for r in runs]
    own_starts = {
        "what": "MLPClassifier(hidden_layer_sizes=(8,), batch_size=32, shuffle=True, max_iter=200, tol=0, "
                "n_iter_no_change > max_iter, learning_rate_init=0.01, alpha=1e-4) for random_state 0..9, fitted on "
                "the even positions and scored on the odd ones: its own initial weights and batch orders, which "
                "mlsh cannot reproduce",
        "train_rows": jints(tr), "test_rows": jints(te),
        "runs": runs,
        "test_accuracy_min": min(acc), "test_accuracy_max": max(acc), "test_accuracy_mean": float(np.mean(acc)),
        "final_loss_max": max(r["final_loss"] for r in runs),
        "loss_note": "loss_curve_ per epoch is the mean over the batches of (mean log-loss of the batch at the weights "
                     "before its step + alpha/2·||W||²/batch rows), weighted by batch rows; mlsh adds the penalty once "
                     "per epoch (after the epoch's steps), so with 3 batches its curve sits lower by about "
                     "alpha·||W||²/n — negligible at alpha = 1e-4",
    }
    obj = {
        **common("mlp-iris", "MLPClassifier", versions, "iris"),
        **d.header(),
        "standardize": "features standardized with StandardScaler() fitted on all rows (as in logistic-multinomial-iris)",
        "scaler_mean": jlist(sc.mean_), "scaler_scale": jlist(sc.scale_),
        "classes": classes,
        "same_start": same_start,
        "own_starts": own_starts,
        "checks": checks_a,
    }
    return obj, [f"same start: sklearn accuracy {same_start['accuracy']!r}, final loss {float(clf.loss_curve_[-1])!r}; numpy replay "
                 f"{checks_a['numpy_replay_sklearn_form_max_abs_weight_diff']:.3g}; textbook Adam vs sklearn weights "
                 f"{checks_a['textbook_adam_vs_sklearn_max_abs_weight_diff']:.3g}, loss {checks_a['textbook_adam_vs_sklearn_max_rel_loss_diff']:.3g}, "
                 f"proba {checks_a['textbook_adam_vs_sklearn_max_abs_proba_diff']:.3g}; top-2 gap {checks_a['min_top_two_probability_gap']:.3g}",
                 f"own starts: test accuracy {acc}, final losses {[round(r['final_loss'], 4) for r in runs]}"]


# ---------------------------------------------------------------- a whole session: titanic

SESSION_SCRIPT = [
    'load "tutorials/data/titanic.csv"',
    "set table json",
    "fill titanic age median",
    "encode titanic onehot [sex, passengerClass] drop=first",
    "scale titanic zscore [age]",
    "split titanic 0.75 seed=7 as train test",
    "fit logistic survived ~ age + sex_male + passengerClass_2nd + passengerClass_3rd on train as clf",
    "evaluate clf on test",
    "cv logistic survived ~ age + sex_male + passengerClass_2nd + passengerClass_3rd on train folds=5 seed=11",
]


def titanic_pipeline():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    prep = ColumnTransformer([
        ("age", Pipeline([("fill", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), ["age"]),
        ("onehot", OneHotEncoder(drop="first", sparse_output=False), ["sex", "passengerClass"]),
    ])
    return Pipeline([("prep", prep), ("logit", LogisticRegression(**base.LOGIT_PARAMS))])


def fitted_titanic(df, rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return titanic_pipeline().fit(df.iloc[rows][["age", "sex", "passengerClass"]], df.iloc[rows]["survived"])


def titanic_scores(pipe, df, rows):
    """Metrics of the pipeline on rows, in mlsh evaluate's terms (classes no, yes; AUC of yes)."""
    import numpy as np
    from sklearn.metrics import roc_auc_score, log_loss
    X = df.iloc[rows][["age", "sex", "passengerClass"]]
    y = df.iloc[rows]["survived"].to_numpy().astype(str)
    classes = list(pipe.classes_)
    proba = pipe.predict_proba(X)
    pred = pipe.predict(X)
    out = base.cls_metrics(y, pred, classes)
    out["log_loss"] = jfloat(log_loss(y, proba, labels=classes))
    out["roc_auc"] = jfloat(roc_auc_score((y == classes[1]).astype(int), proba[:, 1]))
    z = pipe.decision_function(X)
    zs = np.unique(z)
    return out, {"min_abs_decision": float(np.abs(z).min()),
                 "min_gap_between_distinct_scores": float(np.diff(zs).min()) if len(zs) > 1 else None}


def newton_titanic(pipe, df, rows):
    """Newton's optimum of the same objective on the pipeline's transformed training rows."""
    import numpy as np
    X = pipe.named_steps["prep"].transform(df.iloc[rows][["age", "sex", "passengerClass"]])
    y = (df.iloc[rows]["survived"].to_numpy() == "yes").astype(float)
    lr = pipe.named_steps["logit"]
    wn, bn, g0, g_end = base.newton_binary(X, y, lr.coef_[0], float(lr.intercept_[0]), base.LOGIT_PARAMS["C"])
    return wn, bn, g0, g_end


def case_session_titanic(df, versions):
    import numpy as np
    n = len(df)
    train, test = mlsh_split_rows(n, 0.75, 7)
    pipe = fitted_titanic(df, train)
    prep = pipe.named_steps["prep"]
    lr = pipe.named_steps["logit"]
    assert list(lr.classes_) == ["no", "yes"]
    assert list(prep.get_feature_names_out()) == ["age__age", "onehot__sex_male", "onehot__passengerClass_2nd",
                                                  "onehot__passengerClass_3rd"]
    wn, bn, g0, g_end = newton_titanic(pipe, df, train)
    ev, ev_checks = titanic_scores(pipe, df, test)
    train_metrics, _ = titanic_scores(pipe, df, train)
    folds = mlsh_folds(len(train), 5, 11)
    fold_rows, fold_scores, fold_checks = [], [], []
    for f in folds:
        inside = set(f)
        fit_rows = [train[i] for i in range(len(train)) if i not in inside]
        score_rows = [train[i] for i in f]
        pf = fitted_titanic(df, fit_rows)
        s, ck = titanic_scores(pf, df, score_rows)
        fold_rows.append(score_rows)
        fold_scores.append({"accuracy": s["accuracy"], "macro F1": s["f1_macro"], "log-loss": s["log_loss"]})
        fold_checks.append(ck)
    names = ["accuracy", "macro F1", "log-loss"]
    mean = {k: float(np.mean([s[k] for s in fold_scores])) for k in names}
    std = {k: float(np.std([s[k] for s in fold_scores], ddof=1)) for k in names}
    imp = prep.named_transformers_["age"].named_steps
    obj = {
        **common("session-titanic", "a script through the shell: SimpleImputer(median) + StandardScaler on age, "
                 "OneHotEncoder(drop='first') on sex and passengerClass, LogisticRegression", versions, "titanic"),
        "script": SESSION_SCRIPT,
        "rows": n,
        "split": {"rule": "split titanic 0.75 seed=7: round(1309 * 0.75) = 982 rows drawn by SplitMix64(7) partial "
                          "Fisher-Yates (mlsh_split_rows), in file order; test = the other 327",
                  "train_rows": train, "test_rows": test},
        "pipeline": "ColumnTransformer([age: SimpleImputer(strategy='median') then StandardScaler(); "
                    "[sex, passengerClass]: OneHotEncoder(drop='first')]) then LogisticRegression(C=1, l1_ratio=0, "
                    "lbfgs, max_iter=10000, tol=1e-12), fitted on the training rows only (mlsh's fit re-fits the "
                    "recipe — fill, encode, scale — on them)",
        "feature_order": ["age", "sex_male", "passengerClass_2nd", "passengerClass_3rd"],
        "fit": {
            "fill_median_age": jfloat(imp["fill"].statistics_[0]),
            "scale_mean_age": jfloat(imp["scale"].mean_[0]), "scale_scale_age": jfloat(imp["scale"].scale_[0]),
            "classes": ["no", "yes"],
            "intercept": jfloat(lr.intercept_[0]), "coefficients": jlist(lr.coef_[0]),
            "newton_intercept": float(bn), "newton_coefficients": jlist(wn),
            "training_accuracy": train_metrics["accuracy"], "training_log_loss": train_metrics["log_loss"],
        },
        "evaluate": {"rows": len(test), **ev},
        "cv": {
            "rule": "cv ... on train folds=5 seed=11: Folds.make over train's 982 positions (mlsh_folds: SplitMix64(11) "
                    "Fisher-Yates, folds of 197, 197, 196, 196, 196 rows); each fold: the pipeline fitted on train's "
                    "other rows, scored on the fold; mean and sample std (ddof 1) over the folds",
            "fold_rows": fold_rows,
            "folds": fold_scores,
            "mean": mean, "std": std,
        },
        "checks": {
            "sklearn_vs_newton_max_rel": rel_diff(np.r_[lr.coef_[0], lr.intercept_[0]], np.r_[wn, bn]),
            "grad_max_abs_at_sklearn": g0, "grad_max_abs_at_newton": g_end,
            "evaluate": ev_checks,
            "cv_folds": fold_checks,
            "note": "min_abs_decision: the test row nearest the 0.5 boundary (its log-odds); "
                    "min_gap_between_distinct_scores: the closest two different log-odds. Both far above the "
                    "~1e-7 coefficient differences between solvers, so predictions and the AUC's ranking cannot flip",
        },
    }
    decisions = [ev_checks["min_abs_decision"]] + [c["min_abs_decision"] for c in fold_checks]
    gaps = [ev_checks["min_gap_between_distinct_scores"]] + [c["min_gap_between_distinct_scores"] for c in fold_checks]
    return obj, [f"train {len(train)} rows (first {train[:5]}), test {len(test)}; folds {[len(f) for f in folds]}; "
                 f"coefficients vs Newton {obj['checks']['sklearn_vs_newton_max_rel']:.3g}; evaluate accuracy "
                 f"{ev['accuracy']!r}, log-loss {ev['log_loss']!r}, auc {ev['roc_auc']!r}; cv mean {mean}",
                 f"smallest |log-odds| {min(decisions):.3g}, smallest gap between distinct log-odds {min(gaps):.3g}"]


# ---------------------------------------------------------------- main

def main():
    ensure_venv()
    import numpy as np
    import pandas as pd
    import scipy
    import sklearn
    versions = {"sklearn": sklearn.__version__, "pandas": pd.__version__, "numpy": np.__version__}
    OUT.mkdir(parents=True, exist_ok=True)
    frames = {s: pd.read_csv(DATA / f"{s}.csv") for s in ("diamonds", "titanic", "penguins", "iris")}
    results = []
    results.append(case_knn_diamonds(frames["diamonds"], versions))
    results.append(case_logistic_multi_iris(frames["iris"], versions))
    dp = base.Design(frames["penguins"], base.PENG, "species")
    results.append(case_tree("tree-penguins", dp, sorted(set(dp.y)), 3, versions, "penguins",
                             "species ~ the 4 measurements, complete cases (342 rows), max_depth 3"))
    dt = base.titanic_design(frames["titanic"])
    results.append(case_tree("tree-titanic", dt, [0, 1], 4, versions, "titanic",
                             "survived01 ~ age, sex_male, passengerClass_2nd, passengerClass_3rd as in "
                             "logistic-binary-titanic (1046 complete rows), max_depth 4; classes 0 (no), 1 (yes)"))
    dr = base.Design(frames["penguins"], base.PENG[:3], "body_mass_g", source_cols=base.PENG)
    results.append(case_tree("tree-regression-penguins", dr, None, 3, versions, "penguins",
                             "body_mass_g ~ bill_length_mm, bill_depth_mm, flipper_length_mm, complete cases (342 rows), "
                             "max_depth 3; body_mass_g is an integer, so every leaf mean is one rounding of an exact sum"))
    results.append(case_mlp(frames["iris"], versions))
    results.append(case_session_titanic(frames["titanic"], versions))
    for obj, notes in results:
        out = OUT / f"model-{obj['case']}.json"
        dump(obj, out)
        print(f"wrote {out.relative_to(ROOT)}")
        for note in notes:
            print(f"  {note}")
    print(f"scikit-learn {sklearn.__version__}, pandas {pd.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
