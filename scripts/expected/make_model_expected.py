#!/usr/bin/env python3
"""Writes reference results of model fitting (statsmodels and scikit-learn) for the Swift tests.

Run it with any Python 3 (3.11+): `python3 scripts/expected/make_model_expected.py`.
It makes (or reuses) the venv scripts/expected/.venv-sklearn (the one make_prep_expected.py uses) with the
pinned versions below plus statsmodels, re-runs itself inside it, reads tutorials/data/<name>.csv with
`pandas.read_csv(path)` defaults, fits each model and writes

  Tests/Fixtures/expected/model-<case>.json   one per case (see main())

Design matrices: the listed columns in the listed order, rows with a missing value in any used column
dropped (complete cases), float64, in file order; every file records "features", "target" and
"rows_used" (0-based data-row indices of the file that were kept) so the design can be rebuilt exactly.

Besides the library results, every file has a "checks" object with independent re-computations (exact
rational arithmetic for least squares and ridge, Newton's method for logistic regression, KKT conditions
for lasso / elastic net, a replay of scikit-learn's tree builder, ...) and their distance to what the
library returned: that distance is the tolerance a reimplementation can be held to.

See scripts/expected/README.md ("Expected values for model fitting") for the format and the conventions a
reimplementation must follow to match.
"""
import json
import math
import sys
import warnings
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned_venv  # noqa: E402

# Same pins as make_prep_expected.py (latest releases installable on Python 3.11 when the files were made),
# plus statsmodels (latest then) and patsy, which statsmodels.api imports.
SKLEARN = "1.9.1"
PANDAS = "3.1.1"
NUMPY = "2.4.6"
SCIPY = "1.17.1"
STATSMODELS = "0.15.0"
PATSY = "1.0.3"

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV = HERE / ".venv-sklearn"
DATA = ROOT / "tutorials" / "data"
OUT = ROOT / "Tests" / "Fixtures" / "expected"

MTCARS_X = ["cyl", "disp", "hp", "drat", "wt", "qsec"]
DIAMONDS_X = ["carat", "depth", "table", "x", "y", "z"]
PENG = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
IRIS = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]


def ensure_venv(script=__file__):
    """Re-runs `script` in this venv with these pins (the other expected-value scripts share it)."""
    pinned_venv.ensure_venv(VENV, {"scikit-learn": ("sklearn", SKLEARN), "pandas": ("pandas", PANDAS), "numpy": ("numpy", NUMPY),
                         "scipy": ("scipy", SCIPY), "statsmodels": ("statsmodels", STATSMODELS), "patsy": ("patsy", PATSY)}, script)


# ---------------------------------------------------------------- JSON helpers

def jval(v):
    """A number / label as JSON: numpy scalars unwrapped, floats stay floats (NaN -> null)."""
    if v is None or isinstance(v, (str, bool)):
        return v
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, (str, bool)):
        return v
    if isinstance(v, int):
        return v
    f = float(v)
    return None if math.isnan(f) else f


def jfloat(v):
    f = float(v)
    return None if math.isnan(f) else f


def jlist(a, conv=jfloat):
    """A (nested) array as nested JSON lists, leaves through conv (floats by default)."""
    if isinstance(a, str) or not hasattr(a, "__iter__"):
        return conv(a)
    return [jlist(x, conv) for x in a]


def jints(a):
    return jlist(a, lambda v: int(v))


def jlabels(a):
    return jlist(a, jval)


def dump(obj, path):
    """JSON with one top-level key per line. A top-level list longer than 12 items is broken over lines:
    a list of rows (lists / objects) one row per line, a list of plain values 20 per line; a list of
    objects is always one object per line."""
    parts = []
    for k, v in obj.items():
        if isinstance(v, list) and (len(v) > 12 or (len(v) > 1 and isinstance(v[0], dict))):
            enc = [json.dumps(x, ensure_ascii=False, allow_nan=False) for x in v]
            if not isinstance(v[0], (list, dict)):
                enc = [", ".join(enc[i:i + 20]) for i in range(0, len(enc), 20)]
            items = ",\n  ".join(enc)
            parts.append(f"{json.dumps(k)}: [\n  {items}\n ]")
        else:
            parts.append(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False, allow_nan=False)}")
    text = "{" + ",\n ".join(parts) + "}\n"
    json.loads(text)  # sanity: still valid JSON
    path.write_text(text, encoding="utf-8")


def rel_diff(a, b):
    """max |a - b| / max(1, |b|) over matching (nested) arrays; b is the reference."""
    import numpy as np
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b)))) if a.size else 0.0


def max_rel(a, b):
    """max |a - b| / |b| (pure relative) over matching arrays; b is the reference, zeros skipped."""
    import numpy as np
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    m = b != 0
    return float(np.max(np.abs(a[m] - b[m]) / np.abs(b[m]))) if m.any() else 0.0


# ---------------------------------------------------------------- data

class Design:
    """Complete-case design: X (float64, n x p), y, rows (file row indices kept)."""

    def __init__(self, df, features, target, source_cols=None, y_map=None, construct=None):
        import numpy as np
        used = list(source_cols) if source_cols is not None else list(features) + [target]
        mask = df[used].notna().all(axis=1).to_numpy()
        self.rows = np.flatnonzero(mask)
        sub = df.iloc[self.rows]
        if construct is not None:
            sub = construct(sub)
        self.features = list(features)
        self.target = target
        self.X = sub[self.features].to_numpy(dtype=np.float64)
        yraw = sub[target]
        if y_map is not None:
            self.y = np.array([y_map[v] for v in yraw])
        elif yraw.dtype.kind in "iuf":
            self.y = yraw.to_numpy(dtype=np.float64)
        else:
            self.y = np.array([str(v) for v in yraw], dtype=object)
        self.file_rows = len(df)

    def header(self):
        return {"features": self.features, "target": self.target, "rows": int(self.file_rows),
                "n": int(len(self.rows)), "rows_used": jints(self.rows)}


# ---------------------------------------------------------------- exact linear algebra

def exact_cols(M):
    """Columns of a float matrix as (list of ints, scale exponent K): value = int / 2**K exactly."""
    cols = []
    for j in range(M.shape[1]):
        fr = [Fraction(float(v)) for v in M[:, j]]
        K = max((f.denominator.bit_length() - 1) for f in fr)
        cols.append(([int(f * (1 << K)) for f in fr], K))
    return cols


def exact_gram(A_cols, b_col):
    """AᵀA and Aᵀb as Fractions from exact integer columns."""
    p = len(A_cols)
    G = [[None] * p for _ in range(p)]
    for i in range(p):
        ai, ki = A_cols[i]
        for j in range(i, p):
            aj, kj = A_cols[j]
            s = sum(x * y for x, y in zip(ai, aj))
            G[i][j] = G[j][i] = Fraction(s, 1 << (ki + kj))
    bv, kb = b_col
    r = [Fraction(sum(x * y for x, y in zip(A_cols[i][0], bv)), 1 << (A_cols[i][1] + kb)) for i in range(p)]
    return G, r


def exact_solve(G, r):
    """Solves G x = r (Fractions) by Gauss-Jordan; also returns G^-1."""
    n = len(G)
    M = [list(G[i]) + [Fraction(int(i == j)) for j in range(n)] + [r[i]] for i in range(n)]
    for c in range(n):
        piv = next(i for i in range(c, n) if M[i][c] != 0)
        M[c], M[piv] = M[piv], M[c]
        pv = M[c][c]
        M[c] = [v / pv for v in M[c]]
        for i in range(n):
            if i != c and M[i][c] != 0:
                f = M[i][c]
                M[i] = [a - f * b for a, b in zip(M[i], M[c])]
    x = [M[i][2 * n] for i in range(n)]
    inv = [M[i][n:2 * n] for i in range(n)]
    return x, inv


def exact_ols(X, y):
    """Exact OLS with intercept on float64 data: (beta [b0, b...], se, r2, sigma, rss)."""
    import numpy as np
    n, p = X.shape
    A = np.column_stack([np.ones(n), X])
    A_cols = exact_cols(A)
    y_col = exact_cols(y.reshape(-1, 1))[0]
    G, r = exact_gram(A_cols, y_col)
    beta, inv = exact_solve(G, r)
    yy = Fraction(sum(v * v for v in y_col[0]), 1 << (2 * y_col[1]))
    rss = yy - sum(b * ri for b, ri in zip(beta, r))
    tss = yy - r[0] * r[0] / n
    s2 = rss / (n - p - 1)
    se = [math.sqrt(float(s2 * inv[i][i])) for i in range(p + 1)]
    return beta, se, 1 - rss / tss, math.sqrt(float(s2)), rss


def exact_ridge(X, y, alpha):
    """Exact ridge with unpenalized intercept: centre X, y (exact means), solve (XcᵀXc + αI) w = Xcᵀyc."""
    n, p = X.shape
    cols = [[Fraction(float(v)) for v in X[:, j]] for j in range(p)]
    yv = [Fraction(float(v)) for v in y]
    mx = [sum(c) / n for c in cols]
    my = sum(yv) / n
    # XcᵀXc = XᵀX - n·mx·mxᵀ, Xcᵀyc = Xᵀy - n·mx·my
    G = [[sum(a * b for a, b in zip(cols[i], cols[j])) - n * mx[i] * mx[j] + (alpha if i == j else 0)
          for j in range(p)] for i in range(p)]
    r = [sum(a * b for a, b in zip(cols[i], yv)) - n * mx[i] * my for i in range(p)]
    w, _ = exact_solve(G, r)
    b = my - sum(m * wi for m, wi in zip(mx, w))
    return b, w


# ---------------------------------------------------------------- cases: linear models

def case_ols(name, df, dataset, features, target, versions):
    import numpy as np
    import statsmodels.api as sm
    from sklearn.linear_model import LinearRegression
    d = Design(df, features, target)
    res = sm.OLS(d.y, sm.add_constant(d.X, has_constant="add")).fit()
    lr = LinearRegression().fit(d.X, d.y)
    beta, se, r2, sigma, rss = exact_ols(d.X, d.y)
    beta_f = [float(b) for b in beta]
    params = np.asarray(res.params)
    obj = {
        "case": name, "model": "OLS with intercept (statsmodels OLS on add_constant(X); scikit-learn "
                               "LinearRegression())",
        "sklearn": versions["sklearn"], "statsmodels": versions["statsmodels"],
        "pandas": versions["pandas"], "numpy": versions["numpy"], "dataset": dataset,
        **d.header(),
        "intercept": jfloat(params[0]),
        "coefficients": jlist(params[1:]),
        "std_errors": jlist(res.bse),
        "t_values": jlist(res.tvalues),
        "p_values": jlist(res.pvalues),
        "r2": jfloat(res.rsquared),
        "r2_adj": jfloat(res.rsquared_adj),
        "sigma": jfloat(math.sqrt(res.scale)),
        "rss": jfloat(res.ssr),
        "df_resid": jfloat(res.df_resid),
        "f_statistic": jfloat(res.fvalue),
        "f_pvalue": jfloat(res.f_pvalue),
        "sklearn_intercept": jfloat(lr.intercept_),
        "sklearn_coefficients": jlist(lr.coef_),
        "checks": {
            "exact_intercept": beta_f[0],
            "exact_coefficients": beta_f[1:],
            "exact_std_errors": se,
            "exact_r2": float(r2),
            "exact_sigma": sigma,
            "statsmodels_vs_exact_params_max_rel": max_rel(params, beta_f),
            "statsmodels_vs_exact_std_errors_max_rel": max_rel(res.bse, se),
            "statsmodels_vs_exact_r2_rel": abs(res.rsquared - float(r2)) / float(r2),
            "statsmodels_vs_exact_sigma_rel": abs(math.sqrt(res.scale) - sigma) / sigma,
            "sklearn_vs_exact_params_max_rel": max_rel(np.r_[lr.intercept_, lr.coef_], beta_f),
            "condition_number": jfloat(res.condition_number),
        },
    }
    c = obj["checks"]
    notes = [f"params vs exact: statsmodels {c['statsmodels_vs_exact_params_max_rel']:.3g}, sklearn "
             f"{c['sklearn_vs_exact_params_max_rel']:.3g} (max rel); std errors "
             f"{c['statsmodels_vs_exact_std_errors_max_rel']:.3g}; r2 {c['statsmodels_vs_exact_r2_rel']:.3g}; "
             f"cond {c['condition_number']:.3g}; p-values exactly 0: {int((np.asarray(res.pvalues) == 0).sum())}"]
    return obj, notes, d, res


def case_ridge(name, d, alpha, versions):
    import numpy as np
    from sklearn.linear_model import Ridge
    m = Ridge(alpha=alpha).fit(d.X, d.y)
    b, w = exact_ridge(d.X, d.y, alpha)
    wf = [float(v) for v in w]
    r = d.y - d.X @ m.coef_ - m.intercept_
    objective = float(r @ r + alpha * (m.coef_ @ m.coef_))
    obj = {
        "case": name, "model": "Ridge", "params": {"alpha": alpha},
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "dataset": "mtcars", **d.header(),
        "intercept": jfloat(m.intercept_),
        "coefficients": jlist(m.coef_),
        "objective": objective,
        "objective_formula": "||y - X w - b||^2 + alpha * ||w||^2 (sum, not mean; intercept b not penalized)",
        "checks": {
            "exact_intercept": float(b), "exact_coefficients": wf,
            "sklearn_vs_exact_max_rel": max_rel(np.r_[m.intercept_, m.coef_], [float(b)] + wf),
            "solver": getattr(m, "solver_", None),
        },
    }
    return obj, [f"vs exact rational solution: max rel {obj['checks']['sklearn_vs_exact_max_rel']:.3g}"]


def exact_enet(X, y, alpha, l1_ratio, w):
    """Exact elastic-net / lasso optimum given the active set and signs of w (scikit-learn's solution):
    on the active set A the optimality conditions are linear,
        (XcᵀXc / n + alpha (1 - l1_ratio) I) w_A = Xcᵀyc / n - alpha l1_ratio sign(w_A),
    with Xc, yc centred (the intercept is unpenalized: b = mean(y) - mean(X) w). Solved in rationals; then
    the inactive coordinates are checked: |Xc_jᵀ(yc - Xc w)/n| <= alpha l1_ratio. Returns (b, w, ok, margin)."""
    n, p = X.shape
    a = Fraction(alpha)
    rho = Fraction(l1_ratio)
    cols = [[Fraction(float(v)) for v in X[:, j]] for j in range(p)]
    yv = [Fraction(float(v)) for v in y]
    mx = [sum(c) / n for c in cols]
    my = sum(yv) / n
    xc = [[v - mx[j] for v in cols[j]] for j in range(p)]
    yc = [v - my for v in yv]
    A = [j for j in range(p) if w[j] != 0]
    sgn = {j: (1 if w[j] > 0 else -1) for j in A}
    G = [[sum(u * v for u, v in zip(xc[i], xc[j])) / n + (a * (1 - rho) if i == j else 0) for j in A] for i in A]
    r = [sum(u * v for u, v in zip(xc[i], yc)) / n - a * rho * sgn[i] for i in A]
    wa, _ = exact_solve(G, r) if A else ([], None)
    wex = [Fraction(0)] * p
    for j, v in zip(A, wa):
        wex[j] = v
    ok = all((wex[j] > 0) == (sgn[j] > 0) and wex[j] != 0 for j in A)
    res = [yc[i] - sum(xc[j][i] * wex[j] for j in A) for i in range(n)]
    margin = None
    for j in range(p):
        if j in sgn:
            continue
        g = abs(sum(u * v for u, v in zip(xc[j], res)) / n)
        ok = ok and g <= a * rho
        m = float(a * rho - g)
        margin = m if margin is None else min(margin, m)
    b = my - sum(m * v for m, v in zip(mx, wex))
    return b, wex, ok, margin


def enet_objective(X, y, w, b, alpha, l1_ratio):
    r = y - X @ w - b
    n = len(y)
    return float((r @ r) / (2 * n) + alpha * l1_ratio * abs(w).sum() + alpha * (1 - l1_ratio) / 2 * (w @ w))


def case_enet(name, d, alpha, l1_ratio, versions):
    import numpy as np
    from sklearn.linear_model import ElasticNet, Lasso
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if l1_ratio == 1.0:
            m = Lasso(alpha=alpha, max_iter=100000, tol=1e-12).fit(d.X, d.y)
            params = {"alpha": alpha, "max_iter": 100000, "tol": 1e-12}
            model = "Lasso"
        else:
            m = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, max_iter=100000, tol=1e-12).fit(d.X, d.y)
            params = {"alpha": alpha, "l1_ratio": l1_ratio, "max_iter": 100000, "tol": 1e-12}
            model = "ElasticNet"
    w, b = m.coef_, float(m.intercept_)
    n = len(d.y)
    # KKT: with the optimal intercept b = mean(y) - mean(X) w, residual r = y - Xw - b,
    # g_j = X_jᵀr / n - alpha (1 - l1_ratio) w_j must equal alpha l1_ratio sign(w_j) where w_j != 0,
    # and |g_j| <= alpha l1_ratio where w_j == 0.
    r = d.y - d.X @ w - b
    g = d.X.T @ r / n - alpha * (1 - l1_ratio) * w
    lam = alpha * l1_ratio
    viol = [abs(g[j] - lam * np.sign(w[j])) if w[j] != 0 else max(0.0, abs(g[j]) - lam) for j in range(len(w))]
    b_ex, w_ex, ok, margin = exact_enet(d.X, d.y, alpha, l1_ratio, w)
    w_exf = [float(v) for v in w_ex]
    obj = {
        "case": name, "model": model, "params": params,
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "dataset": "mtcars", **d.header(),
        "intercept": b,
        "coefficients": jlist(w),
        "nonzero": [bool(v != 0) for v in w],
        "objective": enet_objective(d.X, d.y, w, b, alpha, l1_ratio),
        "objective_formula": "1/(2n) * ||y - X w - b||^2 + alpha * l1_ratio * ||w||_1 "
                             "+ alpha * (1 - l1_ratio) / 2 * ||w||^2 (intercept b not penalized)",
        "n_iter": int(m.n_iter_),
        "dual_gap": jfloat(m.dual_gap_),
        "checks": {
            "exact_intercept": float(b_ex),
            "exact_coefficients": w_exf,
            "exact_objective": enet_objective(d.X, d.y, np.array(w_exf), float(b_ex), alpha, l1_ratio),
            "exact_solution_valid": bool(ok),
            "exact_inactive_margin": margin,
            "sklearn_vs_exact_max_rel": max_rel(np.r_[b, w], [float(b_ex)] + w_exf),
            "kkt_max_violation": float(max(viol)),
            "kkt_scale_alpha_l1_ratio": lam,
            "intercept_minus_optimal": b - float(d.y.mean() - d.X.mean(axis=0) @ w),
            "warnings": [str(x.message) for x in caught],
        },
    }
    notes = [f"exact solution on sklearn's active set valid: {ok} (inactive margin {margin}), sklearn vs exact "
             f"{obj['checks']['sklearn_vs_exact_max_rel']:.3g} max rel",
             f"n_iter {m.n_iter_}, dual gap {m.dual_gap_:.3g}, KKT max violation {max(viol):.3g} "
             f"(vs alpha*l1_ratio {lam}), zero coefficients: "
             f"{[d.features[j] for j in range(len(w)) if w[j] == 0]}, warnings: {len(caught)}"]
    return obj, notes


# ---------------------------------------------------------------- cases: logistic regression

def softmax_rows(Z):
    import numpy as np
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def binary_objective(X, y, w, b, C):
    """Σ log-loss + 0.5/C ||w||² with the stable log(1 + exp(z)) - y z; also the summed log-loss alone."""
    import numpy as np
    z = X @ w + b
    ll = np.logaddexp(0.0, z) - y * z
    return float(ll.sum() + 0.5 / C * (w @ w)), float(ll.sum())


def multinomial_objective(X, Yidx, W, b, C):
    import numpy as np
    from scipy.special import logsumexp
    Z = X @ W.T + b
    ll = logsumexp(Z, axis=1) - Z[np.arange(len(Yidx)), Yidx]
    return float(ll.sum() + 0.5 / C * (W * W).sum()), float(ll.sum())


def newton_binary(X, y, w, b, C, steps=8):
    """Newton's method on Σ log-loss + 0.5/C ||w||² from (w, b); returns (w, b, grad max-abs at start)."""
    import numpy as np
    n, p = X.shape
    A = np.column_stack([X, np.ones(n)])
    th = np.r_[w, b]
    pen = np.r_[np.full(p, 1.0 / C), 0.0]
    g0 = None
    for _ in range(steps):
        z = A @ th
        pr = 1.0 / (1.0 + np.exp(-z))
        g = A.T @ (pr - y) + pen * th
        if g0 is None:
            g0 = float(np.abs(g).max())
        H = A.T @ (A * (pr * (1 - pr))[:, None]) + np.diag(pen)
        th = th - np.linalg.solve(H, g)
    pr = 1.0 / (1.0 + np.exp(-(A @ th)))
    g_end = float(np.abs(A.T @ (pr - y) + pen * th).max())
    return th[:p], th[p], g0, g_end


def newton_multinomial(X, Yidx, W, b, C, steps=8):
    """Newton (minimum-norm steps: the intercepts have a flat direction) on the multinomial objective."""
    import numpy as np
    n, p = X.shape
    k = W.shape[0]
    A = np.column_stack([X, np.ones(n)])
    Th = np.column_stack([W, b])  # k x (p+1)
    pen = np.r_[np.full(p, 1.0 / C), 0.0]
    Y = np.zeros((n, k))
    Y[np.arange(n), Yidx] = 1.0
    g0 = None
    for _ in range(steps):
        P = softmax_rows(A @ Th.T)
        G = (P - Y).T @ A + Th * pen  # k x (p+1)
        if g0 is None:
            g0 = float(np.abs(G).max())
        H = np.zeros((k * (p + 1), k * (p + 1)))
        for a in range(k):
            for c in range(k):
                s = P[:, a] * ((a == c) - P[:, c])
                H[a * (p + 1):(a + 1) * (p + 1), c * (p + 1):(c + 1) * (p + 1)] = A.T @ (A * s[:, None])
        H += np.diag(np.tile(pen, k))
        step = np.linalg.lstsq(H, G.ravel(), rcond=None)[0]
        Th = Th - step.reshape(k, p + 1)
    P = softmax_rows(A @ Th.T)
    g_end = float(np.abs((P - Y).T @ A + Th * pen).max())
    return Th[:, :p], Th[:, p], g0, g_end


def titanic_design(df):
    def construct(sub):
        sub = sub.copy()
        sub["survived01"] = [1 if v == "yes" else 0 for v in sub["survived"]]
        sub["sex_male"] = [1.0 if v == "male" else 0.0 for v in sub["sex"]]
        sub["passengerClass_2nd"] = [1.0 if v == "2nd" else 0.0 for v in sub["passengerClass"]]
        sub["passengerClass_3rd"] = [1.0 if v == "3rd" else 0.0 for v in sub["passengerClass"]]
        return sub
    assert set(df["sex"].dropna()) == {"female", "male"}
    assert set(df["passengerClass"].dropna()) == {"1st", "2nd", "3rd"}
    assert set(df["survived"].dropna()) == {"no", "yes"}
    d = Design(df, ["age", "sex_male", "passengerClass_2nd", "passengerClass_3rd"], "survived01",
               source_cols=["survived", "age", "sex", "passengerClass"], construct=construct)
    d.y = d.y.astype(int)
    return d


LOGIT_PARAMS = {"C": 1.0, "l1_ratio": 0.0, "solver": "lbfgs", "max_iter": 10000, "tol": 1e-12}
LOGIT_NOTE = ("penalty l2 is requested as l1_ratio=0.0 (LogisticRegression's `penalty` argument is "
              "deprecated since scikit-learn 1.8; l1_ratio=0 is the documented equivalent of penalty='l2')")


def fit_logit(X, y):
    from sklearn.linear_model import LogisticRegression
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = LogisticRegression(**LOGIT_PARAMS).fit(X, y)
    return m, [str(x.message) for x in caught]


def case_logistic_binary(df, versions):
    import numpy as np
    from sklearn.metrics import accuracy_score, log_loss
    d = titanic_design(df)
    m, warns = fit_logit(d.X, d.y)
    w, b = m.coef_[0], float(m.intercept_[0])
    C = LOGIT_PARAMS["C"]
    objective, sum_ll = binary_objective(d.X, d.y, w, b, C)
    proba = m.predict_proba(d.X)
    pred = m.predict(d.X)
    wn, bn, g0, g_end = newton_binary(d.X, d.y.astype(float), w, b, C)
    obj_newton, _ = binary_objective(d.X, d.y, wn, bn, C)
    obj = {
        "case": "logistic-binary-titanic", "model": "LogisticRegression (binary)", "params": LOGIT_PARAMS,
        "params_note": LOGIT_NOTE,
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "dataset": "titanic", **d.header(),
        "source_columns": ["survived", "age", "sex", "passengerClass"],
        "feature_construction": {
            "age": "the age column as is (float64)",
            "sex_male": "1.0 if sex == \"male\" else 0.0 (one-hot of sex, categories [female, male], "
                        "first dropped)",
            "passengerClass_2nd": "1.0 if passengerClass == \"2nd\" else 0.0",
            "passengerClass_3rd": "1.0 if passengerClass == \"3rd\" else 0.0 (one-hot of passengerClass, "
                                  "categories [1st, 2nd, 3rd], first dropped)",
        },
        "target_construction": "survived01 = 1 if survived == \"yes\" else 0 (\"no\")",
        "classes": jints(m.classes_),
        "intercept": b,
        "coefficients": jlist(w),
        "objective": objective,
        "objective_formula": "sum_i [log(1 + exp(z_i)) - y_i z_i] + 0.5 / C * ||w||^2, z_i = x_i·w + b; "
                             "= C-scaled form of scikit-learn's documented objective times n; intercept "
                             "not penalized",
        "objective_mean_form": objective / len(d.y),
        "objective_mean_form_formula": "scikit-learn's documented form (1/n) sum_i log-loss_i + "
                                       "||w||^2 / (2 n C) = objective / n",
        "sum_log_loss": sum_ll,
        "mean_log_loss": jfloat(log_loss(d.y, proba, labels=m.classes_)),
        "accuracy": jfloat(accuracy_score(d.y, pred)),
        "n_iter": int(m.n_iter_[0]),
        "checks": {
            "grad_max_abs_at_sklearn": g0,
            "grad_max_abs_at_newton": g_end,
            "newton_intercept": float(bn), "newton_coefficients": jlist(wn),
            "sklearn_vs_newton_max_rel": rel_diff(np.r_[w, b], np.r_[wn, bn]),
            "newton_objective": obj_newton,
            "objective_minus_newton": objective - obj_newton,
            "warnings": warns,
        },
    }
    c = obj["checks"]
    notes = [f"n={len(d.y)}, n_iter {obj['n_iter']}, |grad|max {g0:.3g} (Newton's {g_end:.3g}), vs Newton {c['sklearn_vs_newton_max_rel']:.3g}, "
             f"objective - Newton's {c['objective_minus_newton']:.3g}, warnings {len(warns)}"]
    return obj, notes, d, m, proba, pred


def case_logistic_multi(df, versions):
    import numpy as np
    from sklearn.metrics import accuracy_score, log_loss
    from sklearn.preprocessing import StandardScaler
    d = Design(df, PENG, "species")
    sc = StandardScaler().fit(d.X)
    Xs = sc.transform(d.X)
    m, warns = fit_logit(Xs, d.y)
    classes = list(m.classes_)
    Yidx = np.array([classes.index(v) for v in d.y])
    C = LOGIT_PARAMS["C"]
    W, b = m.coef_, m.intercept_
    objective, sum_ll = multinomial_objective(Xs, Yidx, W, b, C)
    proba = m.predict_proba(Xs)
    pred = m.predict(Xs)
    Wn, bn, g0, g_end = newton_multinomial(Xs, Yidx, W, b, C)
    bn = bn - bn.mean() + b.mean()  # the flat direction: compare at sklearn's intercept sum
    obj_newton, _ = multinomial_objective(Xs, Yidx, Wn, bn, C)
    obj = {
        "case": "logistic-multinomial-penguins", "model": "LogisticRegression (multinomial, 3 classes)",
        "params": LOGIT_PARAMS, "params_note": LOGIT_NOTE,
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "dataset": "penguins", **d.header(),
        "standardize": "features standardized with StandardScaler() fitted on the rows_used rows: "
                       "(x - mean) / scale, mean = sum/n, scale = sqrt(population variance, ddof 0); "
                       "coefficients refer to the standardized features",
        "scaler_mean": jlist(sc.mean_),
        "scaler_scale": jlist(sc.scale_),
        "classes": jlabels(classes),
        "intercepts": jlist(b),
        "coefficients": jlist(W),
        "objective": objective,
        "objective_formula": "sum_i [logsumexp_k(z_ik) - z_i,y_i] + 0.5 / C * ||W||_F^2, z_ik = x_i·W_k + b_k "
                             "(full parametrization: one row of W and one intercept per class; intercepts not "
                             "penalized)",
        "objective_mean_form": objective / len(d.y),
        "sum_log_loss": sum_ll,
        "mean_log_loss": jfloat(log_loss(d.y, proba, labels=classes)),
        "accuracy": jfloat(accuracy_score(d.y, pred)),
        "n_iter": int(np.ravel(m.n_iter_)[0]),
        "checks": {
            "intercepts_sum": float(b.sum()),
            "coefficients_column_sums_max_abs": float(np.abs(W.sum(axis=0)).max()),
            "grad_max_abs_at_sklearn": g0,
            "grad_max_abs_at_newton": g_end,
            "newton_intercepts": jlist(bn), "newton_coefficients": jlist(Wn),
            "sklearn_vs_newton_max_rel": rel_diff(np.column_stack([W, b]), np.column_stack([Wn, bn])),
            "newton_objective": obj_newton,
            "objective_minus_newton": objective - obj_newton,
            "warnings": warns,
        },
    }
    c = obj["checks"]
    notes = [f"n={len(d.y)}, n_iter {obj['n_iter']}, |grad|max {g0:.3g} (Newton's {g_end:.3g}), vs Newton {c['sklearn_vs_newton_max_rel']:.3g}, "
             f"objective - Newton's {c['objective_minus_newton']:.3g}, Σ intercepts {c['intercepts_sum']:.3g}, "
             f"max |Σ_k W_k| {c['coefficients_column_sums_max_abs']:.3g}, warnings {len(warns)}"]
    return obj, notes, d, m, proba, pred


# ---------------------------------------------------------------- cases: metrics

def cls_metrics(y_true, y_pred, labels):
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None, zero_division=0)
    out = {"accuracy": jfloat(accuracy_score(y_true, y_pred)),
           "precision": jlist(p), "recall": jlist(r), "f1": jlist(f), "support": jints(s)}
    for avg in ("macro", "weighted"):
        pa, ra, fa, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=avg,
                                                        zero_division=0)
        out[f"precision_{avg}"], out[f"recall_{avg}"], out[f"f1_{avg}"] = jfloat(pa), jfloat(ra), jfloat(fa)
    out["confusion_matrix"] = jints(confusion_matrix(y_true, y_pred, labels=labels))
    return out


def auc_mann_whitney(y01, score):
    """AUC as the Mann-Whitney statistic in exact arithmetic: P(score_pos > score_neg) + 1/2 P(equal)."""
    pos = sorted(float(s) for s, t in zip(score, y01) if t == 1)
    neg = sorted(float(s) for s, t in zip(score, y01) if t == 0)
    import bisect
    num = Fraction(0)
    for sp in pos:
        lo = bisect.bisect_left(neg, sp)
        hi = bisect.bisect_right(neg, sp)
        num += lo + Fraction(hi - lo, 2)
    return float(num / (len(pos) * len(neg)))


def case_metrics_binary(d, m, proba, pred, versions):
    from sklearn.metrics import log_loss, roc_auc_score
    classes = [int(c) for c in m.classes_]
    score = proba[:, 1]
    obj = {
        "case": "metrics-classification", "source": "model-logistic-binary-titanic training predictions",
        "sklearn": versions["sklearn"], "classes": classes,
        "labels_note": "precision/recall/f1/support are per class in `classes` order; confusion_matrix rows = "
                       "true class, columns = predicted class, both in `classes` order",
        **cls_metrics(d.y, pred, classes),
        "log_loss": jfloat(log_loss(d.y, proba, labels=classes)),
        "roc_auc": jfloat(roc_auc_score(d.y, score)),
        "y_true": jints(d.y), "y_pred": jints(pred), "y_score": jlist(score),
    }
    import numpy as np
    ties = len(score) - len(np.unique(score))
    mw = auc_mann_whitney(d.y, score)
    obj["checks"] = {"roc_auc_mann_whitney_exact": mw, "rows_sharing_a_score": int(ties)}
    return obj, [f"accuracy {obj['accuracy']:.6g}, auc {obj['roc_auc']!r} (Mann-Whitney exact {mw!r}), tied scores: "
                 f"{ties} rows share a score with an earlier row"]


def case_metrics_multi(d, m, proba, pred, versions):
    import numpy as np
    from sklearn.metrics import log_loss, roc_auc_score
    classes = list(m.classes_)
    per_class_auc = [float(roc_auc_score((d.y == c).astype(int), proba[:, i])) for i, c in enumerate(classes)]
    obj = {
        "case": "metrics-multiclass", "source": "model-logistic-multinomial-penguins training predictions",
        "sklearn": versions["sklearn"], "classes": jlabels(classes),
        "labels_note": "per-class lists in `classes` order; confusion_matrix rows = true, columns = predicted",
        **cls_metrics(d.y, pred, classes),
        "log_loss": jfloat(log_loss(d.y, proba, labels=classes)),
        "roc_auc_ovr_macro": jfloat(roc_auc_score(d.y, proba, multi_class="ovr", average="macro",
                                                  labels=classes)),
        "roc_auc_ovr_weighted": jfloat(roc_auc_score(d.y, proba, multi_class="ovr", average="weighted",
                                                     labels=classes)),
        "roc_auc_ovr_per_class": per_class_auc,
        "y_true": jlabels(d.y), "y_pred": jlabels(pred), "probabilities": jlist(proba),
    }
    mw = [auc_mann_whitney((d.y == c).astype(int), proba[:, i]) for i, c in enumerate(classes)]
    support = np.array([(d.y == c).sum() for c in classes], dtype=float)
    obj["checks"] = {"roc_auc_ovr_per_class_mann_whitney_exact": mw,
                     "macro_from_mann_whitney": float(np.mean(mw)),
                     "weighted_from_mann_whitney": float((np.array(mw) * support).sum() / support.sum())}
    return obj, [f"accuracy {obj['accuracy']:.6g}, auc macro {obj['roc_auc_ovr_macro']!r}, per class "
                 f"{per_class_auc}"]


def case_metrics_regression(d, res, versions):
    import numpy as np
    from sklearn.metrics import (mean_absolute_error, mean_absolute_percentage_error, r2_score,
                                 root_mean_squared_error)
    yp = np.asarray(res.fittedvalues)
    obj = {
        "case": "metrics-regression", "source": "model-linear-mtcars fitted values (statsmodels fittedvalues)",
        "sklearn": versions["sklearn"],
        "rmse": jfloat(root_mean_squared_error(d.y, yp)),
        "mae": jfloat(mean_absolute_error(d.y, yp)),
        "r2": jfloat(r2_score(d.y, yp)),
        "mape": jfloat(mean_absolute_percentage_error(d.y, yp)),
        "mape_formula": "mean(|y - yhat| / max(|y|, eps)), eps = 2.220446049250313e-16; a fraction, not percent",
        "y_true": jlist(d.y), "y_pred": jlist(yp),
    }
    return obj, [f"rmse {obj['rmse']!r}, mae {obj['mae']!r}, r2 {obj['r2']!r}, mape {obj['mape']!r}"]


# ---------------------------------------------------------------- cases: kmeans

def case_kmeans(name, dataset, d_X, rows, features, k, versions, survey=100):
    import numpy as np
    from sklearn.cluster import KMeans
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(d_X)
    C = km.cluster_centers_
    order = sorted(range(k), key=lambda i: tuple(C[i]))
    rank = {old: new for new, old in enumerate(order)}
    labels = np.array([rank[int(v)] for v in km.labels_])
    Cs = C[order]
    # fixed point: labels = nearest centre, centres = cluster means
    D2 = ((d_X[:, None, :] - Cs[None, :, :]) ** 2).sum(axis=2)
    means = np.array([d_X[labels == c].mean(axis=0) for c in range(k)])
    inertia_recomputed = float(((d_X - means[labels]) ** 2).sum())
    # survey of local optima from single k-means++ starts
    found = {}
    for s in range(survey):
        v = float(KMeans(n_clusters=k, n_init=1, random_state=s).fit(d_X).inertia_)
        key = next((f for f in found if abs(f - v) <= 1e-9 * f), v)
        found[key] = found.get(key, 0) + 1
    optima = sorted(found.items())
    # deterministic Lloyd run (no RNG): initial centres = the rows at positions i*n//k of the design
    pos = [i * len(d_X) // k for i in range(k)]
    det = KMeans(n_clusters=k, init=d_X[pos], n_init=1, tol=0.0, max_iter=300, algorithm="lloyd").fit(d_X)
    det_means = np.array([d_X[det.labels_ == c].mean(axis=0) for c in range(k)])
    det_D2 = ((d_X[:, None, :] - det.cluster_centers_[None, :, :]) ** 2).sum(axis=2)
    obj = {
        "case": name, "model": "KMeans", "params": {"n_clusters": k, "n_init": 10, "random_state": 0},
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "dataset": dataset, "features": features, "n": int(len(rows)), "rows_used": jints(rows),
        "inertia": jfloat(km.inertia_),
        "cluster_centers": jlist(Cs),
        "centers_order": "sorted ascending by first coordinate (ties: next coordinates); labels and sizes use "
                         "this order",
        "cluster_sizes": [int((labels == c).sum()) for c in range(k)],
        "n_iter": int(km.n_iter_),
        "labels": jints(labels),
        "deterministic": {
            "what": "KMeans(n_clusters=k, init=<the rows below>, n_init=1, tol=0, max_iter=300, algorithm='lloyd'): "
                    "plain Lloyd iterations from fixed centres, stopped when no label changes; no randomness, "
                    "so a reimplementation can match centres, labels and inertia exactly (centres in init order)",
            "init_positions": pos,
            "init_rows": jints(rows[pos]),
            "init_centers": jlist(d_X[pos]),
            "inertia": jfloat(det.inertia_),
            "n_iter": int(det.n_iter_),
            "cluster_centers": jlist(det.cluster_centers_),
            "cluster_sizes": [int((det.labels_ == c).sum()) for c in range(k)],
            "labels": jints(det.labels_),
            "labels_are_nearest_center": bool((det_D2.argmin(axis=1) == det.labels_).all()),
            "centers_minus_cluster_means_max_abs": float(np.abs(det_means - det.cluster_centers_).max()),
        },
        "checks": {
            "labels_are_nearest_center": bool((D2.argmin(axis=1) == labels).all()),
            "centers_minus_cluster_means_max_abs": float(np.abs(means - Cs).max()),
            "inertia_from_cluster_means": inertia_recomputed,
            "local_optima_survey": f"{survey} single k-means++ starts (n_init=1, random_state=0..{survey - 1})",
            "local_optima": [{"inertia": v, "count": c} for v, c in optima],
            "best_inertia_found": optima[0][0],
            "sklearn_is_best_found": bool(abs(optima[0][0] - km.inertia_) <= 1e-9 * km.inertia_),
        },
    }
    c = obj["checks"]
    notes = [f"inertia {km.inertia_!r}, n_iter {km.n_iter_}, fixed point: {c['labels_are_nearest_center']}, "
             f"|centres - means| {c['centers_minus_cluster_means_max_abs']:.3g}; {len(optima)} local optima in "
             f"{survey} starts, best {optima[0][0]!r} (x{optima[0][1]}), worst {optima[-1][0]!r}, sklearn's is best: "
             f"{c['sklearn_is_best_found']}",
             f"deterministic Lloyd from rows {obj['deterministic']['init_rows']}: inertia {det.inertia_!r}, "
             f"n_iter {det.n_iter_}, sizes {obj['deterministic']['cluster_sizes']}, fixed point "
             f"{obj['deterministic']['labels_are_nearest_center']}, |centres - means| "
             f"{obj['deterministic']['centers_minus_cluster_means_max_abs']:.3g}"]
    return obj, notes


# ---------------------------------------------------------------- cases: knn

def seq_sqdist(a, b):
    """Σ (a_j - b_j)² accumulated left to right in float64, as scikit-learn's KD-tree rdist does."""
    s = 0.0
    for x, y in zip(a, b):
        t = float(x) - float(y)
        s += t * t
    return s


def knn_analysis(Xtr, Xte, ind, k):
    """For every query: sklearn's neighbour set vs 'sort by (float rdist, training position)'; ties."""
    notes, records = [], []
    for qi in range(len(Xte)):
        rd = sorted((seq_sqdist(Xte[qi], Xtr[t]), t) for t in range(len(Xtr)))
        exact = sorted((sum((Fraction(float(a)) - Fraction(float(b))) ** 2 for a, b in zip(Xte[qi], Xtr[t])), t)
                       for t in range(len(Xtr)))
        rule = sorted(t for _, t in rd[:k])
        sk = sorted(int(i) for i in ind[qi])
        float_tie = rd[k - 1][0] == rd[k][0]
        exact_tie = exact[k - 1][0] == exact[k][0]
        tied = [t for dv, t in rd if dv == rd[k - 1][0]]
        records.append({"query": qi, "sklearn": sk, "rule": rule, "float_tie": float_tie,
                        "exact_tie": exact_tie, "tied_at_kth": tied})
    return records


def case_knn(iris, mtcars, versions):
    import numpy as np
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    di = Design(iris, IRIS, "Species")
    tr, te = np.arange(0, len(di.rows), 2), np.arange(1, len(di.rows), 2)
    clf = KNeighborsClassifier(n_neighbors=5).fit(di.X[tr], di.y[tr])
    dist_c, ind_c = clf.kneighbors(di.X[te])
    pred_c = clf.predict(di.X[te])
    proba_c = clf.predict_proba(di.X[te])
    classes = list(clf.classes_)
    recs_c = knn_analysis(di.X[tr], di.X[te], ind_c, 5)

    dm = Design(mtcars, MTCARS_X, "mpg")
    trm, tem = np.arange(0, len(dm.rows), 2), np.arange(1, len(dm.rows), 2)
    reg = KNeighborsRegressor(n_neighbors=5).fit(dm.X[trm], dm.y[trm])
    dist_r, ind_r = reg.kneighbors(dm.X[tem])
    pred_r = reg.predict(dm.X[tem])
    recs_r = knn_analysis(dm.X[trm], dm.X[tem], ind_r, 5)

    # vote ties: two classes with the same top count among the 5 neighbours
    counts = np.rint(proba_c * 5).astype(int)
    vote_ties = [int(di.rows[te[q]]) for q in range(len(te)) if (counts[q] == counts[q].max()).sum() > 1]

    def tie_report(recs, Xrows_tr, Xrows_te, ytr):
        out = []
        for r in recs:
            if r["float_tie"] or r["exact_tie"] or r["rule"] != r["sklearn"]:
                out.append({
                    "query_row": int(Xrows_te[r["query"]]),
                    "sklearn_neighbors": [int(Xrows_tr[t]) for t in r["sklearn"]],
                    "sorted_rule_neighbors": [int(Xrows_tr[t]) for t in r["rule"]],
                    "tied_at_kth_distance": [int(Xrows_tr[t]) for t in r["tied_at_kth"]],
                    "exact_tie": r["exact_tie"], "float_tie": r["float_tie"],
                    "same_targets": sorted(jlabels(ytr[r["sklearn"]])) == sorted(jlabels(ytr[r["rule"]])),
                })
        return out

    ties_c = tie_report(recs_c, di.rows[tr], di.rows[te], di.y[tr])
    ties_r = tie_report(recs_r, dm.rows[trm], dm.rows[tem], dm.y[trm])
    obj = {
        "case": "knn-iris", "model": "KNeighborsClassifier(n_neighbors=5) and KNeighborsRegressor(n_neighbors=5)",
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "split": "train = rows_used positions 0, 2, 4, ... (even), test = positions 1, 3, 5, ... (odd); "
                 "both data sets have no missing values, so positions = file rows",
        "classifier": {
            "dataset": "iris", "features": IRIS, "target": "Species",
            "algorithm_used": clf._fit_method,
            "classes": jlabels(classes),
            "train_rows": jints(di.rows[tr]), "test_rows": jints(di.rows[te]),
            "predictions": jlabels(pred_c),
            "predict_proba": jlist(proba_c),
            "neighbors": [[int(di.rows[tr][i]) for i in row] for row in ind_c],
            "neighbor_distances": jlist(dist_c),
            "vote_ties_at_test_rows": vote_ties,
            "distance_ties": ties_c,
        },
        "regressor": {
            "dataset": "mtcars", "features": MTCARS_X, "target": "mpg",
            "algorithm_used": reg._fit_method,
            "train_rows": jints(dm.rows[trm]), "test_rows": jints(dm.rows[tem]),
            "predictions": jlist(pred_r),
            "neighbors": [[int(dm.rows[trm][i]) for i in row] for row in ind_r],
            "neighbor_distances": jlist(dist_r),
            "distance_ties": ties_r,
        },
    }
    notes = [f"classifier {clf._fit_method}: {len(ties_c)} queries with a tie/other pick: "
             f"{json.dumps(ties_c)}; vote ties {vote_ties}",
             f"regressor {reg._fit_method}: {len(ties_r)} queries with a tie/other pick: {json.dumps(ties_r)}"]
    return obj, notes


# ---------------------------------------------------------------- cases: tree and naive Bayes

RAND_R_MAX = 2147483647


def rand_r(state):
    """scikit-learn's our_rand_r (xorshift on uint32); state is a 1-element list."""
    s = state[0] or 1
    s ^= (s << 13) & 0xFFFFFFFF
    s ^= s >> 17
    s ^= (s << 5) & 0xFFFFFFFF
    state[0] = s
    return s % (RAND_R_MAX + 1)


def replay_tree(X, yidx, n_classes, max_depth, seed):
    """Replays sklearn's DepthFirstTreeBuilder + BestSplitter (Gini, float32 features, Fisher-Yates feature
    visiting with our_rand_r) in plain Python. Split scores are computed exactly (Fractions) and ties are
    reported. Returns the node list in sklearn's (pre-order) numbering."""
    import numpy as np
    X32 = X.astype(np.float32)
    n_features = X.shape[1]
    features = list(range(n_features))
    constant_features = list(range(n_features))
    state = [seed]
    nodes = []
    eps = np.finfo(np.float64).eps

    def gini_counts(cnt, n):
        return 1.0 - float(sum(float(c) * float(c) for c in cnt)) / (float(n) * float(n))

    def build(idx, depth, n_const):
        node_id = len(nodes)
        cnt = np.bincount(yidx[idx], minlength=n_classes)
        n = len(idx)
        imp = gini_counts(cnt, n)
        rec = {"node": node_id, "n": n, "counts": [int(c) for c in cnt], "depth": depth}
        nodes.append(rec)
        if depth >= max_depth or n < 2 or imp <= eps:
            rec["leaf"] = True
            return
        # BestSplitter.node_split
        f_i = n_features
        n_visited = n_found = n_drawn = 0
        n_known = n_const
        n_total = n_known
        visit = []
        best = None  # (proxy_float, exact, feature, threshold, pos_value)
        all_cands = []
        while f_i > n_total and (n_visited < n_features or n_visited <= n_found + n_drawn):
            n_visited += 1
            f_j = n_drawn + rand_r(state) % ((f_i - n_found) - n_drawn)
            if f_j < n_known:
                features[n_drawn], features[f_j] = features[f_j], features[n_drawn]
                n_drawn += 1
                continue
            f_j += n_found
            f = features[f_j]
            v = X32[idx, f]
            order = np.argsort(v, kind="stable")
            vs, ys = v[order], yidx[idx][order]
            if vs[-1] <= vs[0] + np.float32(1e-7):
                features[f_j], features[n_total] = features[n_total], features[f_j]
                n_found += 1
                n_total += 1
                continue
            f_i -= 1
            features[f_i], features[f_j] = features[f_j], features[f_i]
            visit.append(int(f))
            for p in range(1, n):
                if vs[p] <= vs[p - 1] + np.float32(1e-7):
                    continue
                L = np.bincount(ys[:p], minlength=n_classes)
                R = np.bincount(ys[p:], minlength=n_classes)
                nl, nr = p, n - p
                proxy = -nr * gini_counts(R, nr) - nl * gini_counts(L, nl)
                exact = -(Fraction(nl) - Fraction(int((L.astype(np.int64) ** 2).sum()), nl)) \
                        - (Fraction(nr) - Fraction(int((R.astype(np.int64) ** 2).sum()), nr))
                thr = float(vs[p - 1]) / 2.0 + float(vs[p]) / 2.0
                all_cands.append((exact, proxy, int(f), thr))
                if best is None or proxy > best[0]:
                    best = (proxy, exact, int(f), thr)
        constant_features[n_known:n_known + n_found] = features[n_known:n_known + n_found]
        features[:n_known] = constant_features[:n_known]
        n_const_children = n_total
        if best is None:
            rec["leaf"] = True
            return
        top = max(c[0] for c in all_cands)
        ties = sorted({(c[2], c[3]) for c in all_cands if c[0] == top})
        rec.update({"leaf": False, "feature": best[2], "threshold": best[3], "visit_order": visit,
                    "exact_best_splits": [{"feature": f, "threshold": t} for f, t in ties]})
        f, thr = best[2], best[3]
        left = idx[X32[idx, f].astype(np.float64) <= thr]
        right = idx[X32[idx, f].astype(np.float64) > thr]
        build(left, depth + 1, n_const_children)
        build(right, depth + 1, n_const_children)

    build(np.arange(len(X)), 0, 0)
    return nodes


def case_tree(iris, versions):
    import numpy as np
    from sklearn.tree import DecisionTreeClassifier
    d = Design(iris, IRIS, "Species")
    m = DecisionTreeClassifier(random_state=0, max_depth=3).fit(d.X, d.y)
    t = m.tree_
    classes = list(m.classes_)
    yidx = np.array([classes.index(v) for v in d.y])
    seed = int(np.random.RandomState(0).randint(0, RAND_R_MAX))
    replay = replay_tree(d.X, yidx, len(classes), 3, seed)
    nodes = []
    for i in range(t.node_count):
        leaf = t.children_left[i] == -1
        nodes.append({
            "node": i, "depth": None, "leaf": bool(leaf),
            "feature": None if leaf else IRIS[int(t.feature[i])],
            "threshold": None if leaf else jfloat(t.threshold[i]),
            "left": None if leaf else int(t.children_left[i]),
            "right": None if leaf else int(t.children_right[i]),
            "n_samples": int(t.n_node_samples[i]),
            "class_counts": [int(round(v * t.n_node_samples[i])) for v in t.value[i][0]],
            "impurity": jfloat(t.impurity[i]),
        })
    # depth per node
    for nd in nodes:
        if nd["node"] == 0:
            nd["depth"] = 0
        if not nd["leaf"]:
            nodes[nd["left"]]["depth"] = nd["depth"] + 1
            nodes[nd["right"]]["depth"] = nd["depth"] + 1
    same = len(replay) == len(nodes) and all(
        r["n"] == nd["n_samples"] and r["counts"] == nd["class_counts"] and r["leaf"] == nd["leaf"]
        and (r["leaf"] or (IRIS[r["feature"]] == nd["feature"] and r["threshold"] == nd["threshold"]))
        for r, nd in zip(replay, nodes))
    for r, nd in zip(replay, nodes):
        if not r["leaf"]:
            nd["visit_order"] = [IRIS[f] for f in r["visit_order"]]
            nd["exact_best_splits"] = [{"feature": IRIS[s["feature"]], "threshold": s["threshold"]}
                                       for s in r["exact_best_splits"]]
    ties = [nd["node"] for nd in nodes if len(nd.get("exact_best_splits", [])) > 1]
    pred = m.predict(d.X)
    # the same tree with the root split on the other tied feature (for tests that break ties differently)
    alt = {}
    for rs in range(50):
        m2 = DecisionTreeClassifier(random_state=rs, max_depth=3).fit(d.X, d.y)
        if m2.tree_.feature[0] != t.feature[0]:
            alt = {"random_state": rs, "root_feature": IRIS[int(m2.tree_.feature[0])],
                   "root_threshold": jfloat(m2.tree_.threshold[0]),
                   "feature_importances": jlist(m2.feature_importances_),
                   "predictions_differ_at_rows": jints(np.flatnonzero(m2.predict(d.X) != pred)),
                   "depth": int(m2.get_depth()), "n_leaves": int(m2.get_n_leaves())}
            break
    obj = {
        "case": "tree-iris", "model": "DecisionTreeClassifier",
        "params": {"random_state": 0, "max_depth": 3, "criterion": "gini"},
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "dataset": "iris", **d.header(),
        "classes": jlabels(classes),
        "depth": int(m.get_depth()), "n_leaves": int(m.get_n_leaves()),
        "feature_importances": jlist(m.feature_importances_),
        "nodes": nodes,
        "predictions": jlabels(pred),
        "checks": {
            "replay_matches_sklearn": bool(same),
            "rand_r_seed": seed,
            "rand_r_seed_note": "numpy.random.RandomState(0).randint(0, 2147483647): the splitter's initial "
                                "our_rand_r state",
            "nodes_with_tied_best_split": ties,
            "tie_alternative": alt,
        },
    }
    notes = [f"replay of sklearn's builder matches: {same}; seed {seed}; nodes with exactly tied best splits: "
             f"{ties}; " + "; ".join(f"node {nd['node']}: visit {nd['visit_order']}, tied "
                                     f"{[(s['feature'], s['threshold']) for s in nd['exact_best_splits']]}"
                                     for nd in nodes if 'visit_order' in nd),
             f"alternative tie-break (random_state={alt.get('random_state')}): root {alt.get('root_feature')} "
             f"<= {alt.get('root_threshold')}, importances {alt.get('feature_importances')}, predictions differ "
             f"at {alt.get('predictions_differ_at_rows')}"]
    return obj, notes


def case_bayes(iris, versions):
    import numpy as np
    from scipy.special import logsumexp
    from sklearn.naive_bayes import GaussianNB
    d = Design(iris, IRIS, "Species")
    m = GaussianNB().fit(d.X, d.y)
    classes = list(m.classes_)
    proba = m.predict_proba(d.X)
    pred = m.predict(d.X)
    # independent recomputation
    eps = 1e-9 * float(np.var(d.X, axis=0).max())
    theta = np.array([d.X[d.y == c].mean(axis=0) for c in classes])
    var = np.array([d.X[d.y == c].var(axis=0) for c in classes]) + eps
    prior = np.array([(d.y == c).mean() for c in classes])
    jll = np.log(prior)[None, :] - 0.5 * np.log(2 * np.pi * var).sum(axis=1)[None, :] \
        - 0.5 * (((d.X[:, None, :] - theta[None]) ** 2) / var[None]).sum(axis=2)
    my_proba = np.exp(jll - logsumexp(jll, axis=1, keepdims=True))
    obj = {
        "case": "bayes-iris", "model": "GaussianNB", "params": {"var_smoothing": 1e-9},
        "sklearn": versions["sklearn"], "pandas": versions["pandas"], "numpy": versions["numpy"],
        "dataset": "iris", **d.header(),
        "classes": jlabels(classes),
        "class_count": jlist(m.class_count_),
        "class_prior": jlist(m.class_prior_),
        "theta": jlist(m.theta_),
        "var": jlist(m.var_),
        "epsilon": jfloat(m.epsilon_),
        "epsilon_formula": "var_smoothing * max over features of the population variance (ddof 0) of the "
                           "feature over all rows_used rows (all classes together); added to every var entry",
        "predictions": jlabels(pred),
        "predict_proba": jlist(proba),
        "checks": {
            "epsilon_recomputed": eps,
            "theta_max_rel": rel_diff(m.theta_, theta),
            "var_max_rel": rel_diff(m.var_, var),
            "proba_max_abs": float(np.abs(my_proba - proba).max()),
            "predictions_recomputed_equal": bool((np.array(classes, dtype=object)[jll.argmax(axis=1)] == pred).all()),
        },
    }
    c = obj["checks"]
    return obj, [f"epsilon {float(m.epsilon_)!r} (recomputed {eps!r}); theta {c['theta_max_rel']:.3g}, var "
                 f"{c['var_max_rel']:.3g}, proba {c['proba_max_abs']:.3g}; "
                 f"training accuracy {float((pred == d.y).mean())!r}"]


# ---------------------------------------------------------------- main

def main():
    ensure_venv()
    import numpy as np
    import pandas as pd
    import scipy
    import sklearn
    import statsmodels
    versions = {"sklearn": sklearn.__version__, "pandas": pd.__version__, "numpy": np.__version__,
                "statsmodels": statsmodels.__version__}
    OUT.mkdir(parents=True, exist_ok=True)
    frames = {s: pd.read_csv(DATA / f"{s}.csv") for s in ("mtcars", "diamonds", "titanic", "penguins", "iris")}
    results = []

    lin_m, notes, d_m, res_m = case_ols("linear-mtcars", frames["mtcars"], "mtcars", MTCARS_X, "mpg", versions)
    results.append((lin_m, notes))
    lin_d, notes, _, _ = case_ols("linear-diamonds", frames["diamonds"], "diamonds", DIAMONDS_X, "price", versions)
    results.append((lin_d, notes))
    results.append(case_ridge("ridge-mtcars", d_m, 1.0, versions))
    results.append(case_ridge("ridge-mtcars-10", d_m, 10.0, versions))
    results.append(case_enet("lasso-mtcars", d_m, 0.5, 1.0, versions))
    results.append(case_enet("elasticnet-mtcars", d_m, 0.5, 0.5, versions))
    lb, notes, d_t, m_t, proba_t, pred_t = case_logistic_binary(frames["titanic"], versions)
    results.append((lb, notes))
    lm, notes, d_p, m_p, proba_p, pred_p = case_logistic_multi(frames["penguins"], versions)
    results.append((lm, notes))
    di = Design(frames["iris"], IRIS, "Species")
    results.append(case_kmeans("kmeans-iris", "iris", di.X, di.rows, IRIS, 3, versions))
    dp = Design(frames["penguins"], PENG, "species", source_cols=PENG)
    results.append(case_kmeans("kmeans-penguins-8", "penguins", dp.X, dp.rows, PENG, 8, versions))
    results.append(case_metrics_binary(d_t, m_t, proba_t, pred_t, versions))
    results.append(case_metrics_multi(d_p, m_p, proba_p, pred_p, versions))
    results.append(case_metrics_regression(d_m, res_m, versions))
    results.append(case_knn(frames["iris"], frames["mtcars"], versions))
    results.append(case_tree(frames["iris"], versions))
    results.append(case_bayes(frames["iris"], versions))

    for obj, notes in results:
        out = OUT / f"model-{obj['case']}.json"
        dump(obj, out)
        print(f"wrote {out.relative_to(ROOT)}")
        for n in notes:
            print(f"  {n}")
    print(f"scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}, pandas {pd.__version__}, "
          f"numpy {np.__version__}, scipy {scipy.__version__}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
