#!/usr/bin/env python3
"""Writes the Evidently data-drift reference values that the Swift drift tests compare mlsh against.

Run it with any Python 3 (3.9+):

    python3 scripts/expected/drift.py                      # makes/fills the venv, re-runs itself in it
    scripts/expected/.venv/bin/python scripts/expected/drift.py   # same, once the venv exists

The venv scripts/expected/.venv (git-ignored, shared with make_expected.py, which pins the same
pandas/numpy) gets exactly scripts/expected/requirements.txt: evidently 0.7.23, pandas 2.3.3,
numpy 2.3.5, scipy 1.17.1 and their resolved dependencies.

It writes, all under Tests/Fixtures/drift/:

  ref_small.csv / cur_small.csv   600 / 400 rows  (reference <= 1000 rows: p-value tests)
  ref_big.csv   / cur_big.csv     3000 / 2000 rows (reference > 1000 rows: distance tests)
  ref_same.csv  / cur_same.csv    rows 0..299 / 300..599 of ref_small (no drift expected)
  expected.json                   Evidently's default drift result for each pair, its PSI for each
                                  column, and a few scipy values that pin the low-level functions.

The rules Evidently applies (and that this script re-derives independently as a check) are in
scripts/expected/EVIDENTLY_NOTES.md. Output is deterministic: re-running gives identical files.
"""
import csv
import json
import math
import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV = HERE / ".venv"
REQUIREMENTS = HERE / "requirements.txt"
OUT = ROOT / "Tests" / "Fixtures" / "drift"

# The pins that decide the numbers (they must match requirements.txt; checked below).
PINS = {"evidently": "0.7.23", "pandas": "2.3.3", "numpy": "2.3.5", "scipy": "1.17.1"}

COLUMNS = ["steady", "shifted", "count", "level", "flag", "colour", "answer"]
MISSING_RATE = 0.03          # share of empty cells in `steady` and `colour`
COLOURS = ["red", "green", "blue", "black", "white"]

# (file stem, rows, seed, is_current). One numpy default_rng per file. ref_small's seed was picked
# (first of 20240601..20240639) so that its two halves, the "same" pair, have no drifted column
# under either the default tests or PSI: with 7 columns at p < 0.05 a chance false alarm is common.
FILES = [
    ("ref_small", 600, 20240639, False),
    ("cur_small", 400, 20240602, True),
    ("ref_big", 3000, 20240603, False),
    ("cur_big", 2000, 20240604, True),
]
PAIRS = [("small", "ref_small.csv", "cur_small.csv"),
         ("big", "ref_big.csv", "cur_big.csv"),
         ("same", "ref_same.csv", "cur_same.csv")]


# --------------------------------------------------------------------------------------------------
# venv bootstrap (like pinned_venv.py, but installs the whole requirements.txt)
# --------------------------------------------------------------------------------------------------
def ensure_venv():
    py = VENV / "bin" / "python"
    # PYTHONHASHSEED=0: Evidently orders categories by Python set iteration, which for strings depends on
    # the hash seed; the sums in chisquare / Jensen-Shannon / PSI then differ in the last bits between
    # runs. A fixed seed makes the output byte-identical on every run.
    if Path(sys.prefix).resolve() != VENV.resolve() or os.environ.get("PYTHONHASHSEED") != "0":
        if not py.exists():
            print(f"creating {VENV}", file=sys.stderr)
            venv.EnvBuilder(with_pip=True).create(VENV)
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(str(py), [str(py), str(Path(__file__).resolve())] + sys.argv[1:])
    # Inside the venv: install requirements.txt when any pinned version differs.
    pinned = {}
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pinned[name.lower()] = version
    for name, version in PINS.items():
        assert pinned.get(name) == version, f"requirements.txt pins {name}=={pinned.get(name)}, drift.py wants {version}"
    from importlib import metadata
    def have(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None
    if any(have(name) != version for name, version in PINS.items()):
        print(f"installing -r {REQUIREMENTS}", file=sys.stderr)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
                       check=True)
        os.execv(str(py), [str(py), str(Path(__file__).resolve())] + sys.argv[1:])


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------
def make_rows(n, seed, is_current):
    """One file's columns as Python lists (None = missing). Reference and current differ as documented."""
    import numpy as np
    rng = np.random.default_rng(seed)
    steady = rng.normal(0.0, 1.0, n)                                        # same in both
    shifted = rng.normal(0.5, 1.2, n) if is_current else rng.normal(0.0, 1.0, n)
    count = np.clip(rng.poisson(11.8 if is_current else 11.0, n), 0, 30)   # ints 0..30, mild shift
    level = rng.choice(4, size=n, p=[0.3, 0.3, 0.25, 0.15] if is_current else [0.4, 0.3, 0.2, 0.1])
    flag = (rng.random(n) < (0.45 if is_current else 0.3)).astype(int)
    colour_p = [0.2, 0.25, 0.2, 0.15, 0.2] if is_current else [0.3, 0.25, 0.2, 0.15, 0.1]
    colour = rng.choice(COLOURS, size=n, p=colour_p)
    answer = rng.choice(["yes", "no"], size=n, p=[0.6, 0.4])              # same in both
    steady_missing = rng.random(n) < MISSING_RATE
    colour_missing = rng.random(n) < MISSING_RATE
    return {
        "steady": [None if m else float(v) for v, m in zip(steady, steady_missing)],
        "shifted": [float(v) for v in shifted],
        "count": [int(v) for v in count],
        "level": [int(v) for v in level],
        "flag": [int(v) for v in flag],
        "colour": [None if m else str(v) for v, m in zip(colour, colour_missing)],
        "answer": [str(v) for v in answer],
    }


def cell(v):
    """CSV text of one value: empty for missing, Python repr for floats (shortest round-trip form)."""
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v)


def write_csv(path, cols, lo=0, hi=None):
    n = len(cols[COLUMNS[0]])
    hi = n if hi is None else hi
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for i in range(lo, hi):
            w.writerow([cell(cols[c][i]) for c in COLUMNS])


def read_exact(path, cols, lo=0, hi=None):
    """pandas.read_csv, checked cell by cell against the generated values.

    float_precision="round_trip": pandas' default C float parser ("high") is NOT correctly rounded and
    reads e.g. 0.9083014032879105 as 0.9083014032879104; the round-trip parser gives back exactly the
    doubles written (what a correctly rounded strtod, e.g. Swift's Double(String), gives)."""
    import pandas as pd
    df = pd.read_csv(path, float_precision="round_trip")
    n = len(cols[COLUMNS[0]])
    hi = n if hi is None else hi
    assert list(df.columns) == COLUMNS and len(df) == hi - lo, path
    for c in COLUMNS:
        for got, want in zip(df[c].tolist(), cols[c][lo:hi]):
            if want is None:
                assert pd.isna(got), (path, c, got)
            else:
                assert got == want and type(got) is type(want), (path, c, got, want)
    return df


# --------------------------------------------------------------------------------------------------
# Evidently
# --------------------------------------------------------------------------------------------------
def stattest_names():
    """display name (what an auto-resolved ValueDrift config shows) -> registered name ('ks', 'psi', ...)."""
    from evidently.legacy.calculations.stattests.registry import _registered_stat_tests
    out = {}
    for by_type in _registered_stat_tests.values():
        for st in by_type.values():
            out[st.display_name] = st.name
            out[st.name] = st.name  # a method given by name stays that name in the config
    return out


def run_preset(ref_df, cur_df, **preset_args):
    """Report([DataDriftPreset(**preset_args)]) with default type inference; per column and dataset results."""
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset
    ref = Dataset.from_pandas(ref_df, data_definition=DataDefinition())
    cur = Dataset.from_pandas(cur_df, data_definition=DataDefinition())
    snap = Report([DataDriftPreset(**preset_args)], include_tests=True).run(cur, ref)
    d = snap.dict()
    names = stattest_names()
    status = {t["metric_config"]["metric_id"]: t["status"] for t in d["tests"]}
    columns, summary = {}, None
    for m in d["metrics"]:
        cfg = m["config"]
        if cfg["type"] == "evidently:metric_v2:ValueDrift":
            columns[cfg["column"]] = {
                "stattest": names[cfg["method"]],
                "score": float(m["value"]),
                "threshold": float(cfg["threshold"]),
                "drifted": status[m["id"]] == "FAIL",
            }
        elif cfg["type"] == "evidently:metric_v2:DriftedColumnsCount":
            summary = {"drift_share": cfg["drift_share"], "count": m["value"]["count"],
                       "share": m["value"]["share"], "dataset_drift": status[m["id"]] == "FAIL"}

    def types(ds):
        dd = ds._data_definition
        return {c: ("num" if c in dd.numerical_columns else "cat" if c in dd.categorical_columns else "other")
                for c in COLUMNS}
    return columns, summary, types(cur), types(ref)


# --------------------------------------------------------------------------------------------------
# Independent re-derivation of Evidently's default rules (EVIDENTLY_NOTES.md), straight on scipy/numpy.
# Every score must agree with Evidently's (bit for bit, or to 1e-13 for sums over categories, see same()).
# --------------------------------------------------------------------------------------------------
def binned(ref, cur, ctype, fill_zeroes):
    """evidently.legacy.calculations.stattests.utils.get_binned_data (its n_bins argument is unused)."""
    import numpy as np
    if ctype == "num" and len(set(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, edges)[0] / len(ref)
        cp = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = sorted(set(ref) | set(cur))
        rp = np.array([sum(1 for v in ref if v == k) / len(ref) for k in keys])
        cp = np.array([sum(1 for v in cur if v == k) / len(cur) for k in keys])
    if fill_zeroes:
        for p in (rp, cp):
            m = p[p != 0].min()
            p[p == 0] = m / 10**6 if m <= 0.0001 else 0.0001
    return rp, cp


def my_drift(ref, cur, ctype, method=None):
    """(stattest, score, threshold, drifted) by the documented rules. ref/cur: lists without missing values."""
    import numpy as np
    from scipy import stats
    from scipy.spatial import distance
    n_values = len(set(ref) | set(cur))
    if method is None:
        if len(ref) <= 1000:
            if ctype == "num":
                method = "ks" if n_values > 5 else ("chisquare" if n_values > 2 else "z")
            else:
                method = "chisquare" if n_values > 2 else "z"
        else:
            if ctype == "num":
                method = "wasserstein" if n_values > 5 else "jensenshannon"
            else:
                method = "jensenshannon"
    if method == "ks":
        p = float(stats.ks_2samp(ref, cur)[1])
        return method, p, 0.05, p <= 0.05
    if method == "chisquare":
        keys = sorted(set(ref) | set(cur))
        k = len(cur) / len(ref)
        f_exp = [ref.count(key) * k for key in keys]
        f_obs = [cur.count(key) for key in keys]
        p = float(stats.chisquare(f_obs, f_exp)[1])
        return method, p, 0.05, p < 0.05
    if method == "z":
        keys = sorted(set(ref) | set(cur))
        if len(set(ref)) == 1 and len(set(cur)) == 1 and ref[0] == cur[0]:
            p = 1.0
        else:
            x1 = [0 if v == keys[0] else 1 for v in ref]
            x2 = [0 if v == keys[0] else 1 for v in cur]
            n1, n2 = len(x1), len(x2)
            p1, p2 = float(sum(x1)) / n1, float(sum(x2)) / n2
            pp = float(p1 * n1 + p2 * n2) / (n1 + n2)
            z = (p1 - p2) / np.sqrt(pp * (1 - pp) * (1.0 / n1 + 1.0 / n2))
            p = float(2 * (1 - stats.norm.cdf(np.abs(z))))
        return method, p, 0.05, p < 0.05
    if method == "wasserstein":
        d = float(stats.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001))
        return method, d, 0.1, d >= 0.1
    if method == "jensenshannon":
        rp, cp = binned(ref, cur, ctype, False)
        d = float(distance.jensenshannon(rp, cp, None))
        return method, d, 0.1, d >= 0.1
    if method == "psi":
        rp, cp = binned(ref, cur, ctype, True)
        d = float(np.sum((rp - cp) * np.log(rp / cp)))
        return method, d, 0.1, d >= 0.1
    raise ValueError(method)


def same(mine, theirs):
    """Equal test, threshold and decision; equal score, to 1e-13 relative where the score is a sum over
    categories (Evidently sums them in set order, this re-derivation in sorted order), else bit for bit."""
    if mine[0] != theirs[0] or mine[2:] != theirs[2:]:
        return False
    if mine[0] in ("chisquare", "jensenshannon", "psi"):
        return math.isclose(mine[1], theirs[1], rel_tol=1e-13, abs_tol=1e-300)
    return mine[1] == theirs[1]


def non_missing(series):
    return [v.item() if hasattr(v, "item") else v for v in series.dropna().tolist()]


# --------------------------------------------------------------------------------------------------
# scipy pins for the low-level functions
# --------------------------------------------------------------------------------------------------
def scipy_checks(frames):
    import numpy as np
    from scipy import stats
    from scipy.spatial import distance
    out = {}
    ref_s, cur_s = frames["small"][0]["shifted"].to_numpy(), frames["small"][1]["shifted"].to_numpy()

    def ks(a, b, method):
        r = stats.ks_2samp(a, b, method=method)
        return {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
    out["ks_small_shifted"] = {"pair": "small", "column": "shifted", "n1": len(ref_s), "n2": len(cur_s),
                               "auto": ks(ref_s, cur_s, "auto"), "exact": ks(ref_s, cur_s, "exact"),
                               "asymp": ks(ref_s, cur_s, "asymp"),
                               "note": "ks_2samp(reference, current); method 'auto' is 'exact' when max(n1, n2) <= 10000"}

    # Equal sizes n = m = 50: scipy's exact two-sided path for n == m. Values recorded in full.
    rng = np.random.default_rng(20240610)
    a = [float(v) for v in rng.normal(0.0, 1.0, 50)]
    b = [float(v) for v in rng.normal(0.4, 1.0, 50)]
    out["ks_equal_50"] = {"seed": 20240610, "a": a, "b": b, "note": "a ~ normal(0,1), b ~ normal(0.4,1), n = m = 50",
                          "auto": ks(a, b, "auto"), "exact": ks(a, b, "exact"), "asymp": ks(a, b, "asymp")}

    ref_b, cur_b = frames["big"][0]["shifted"].to_numpy(), frames["big"][1]["shifted"].to_numpy()
    wd = float(stats.wasserstein_distance(ref_b, cur_b))
    sd = float(np.std(ref_b))
    out["wasserstein_big_shifted"] = {"pair": "big", "column": "shifted", "wasserstein_distance": wd,
                                      "reference_std_ddof0": sd, "normed": wd / max(sd, 0.001)}

    # Sturges edges that get_binned_data uses for big/shifted (PSI and Jensen-Shannon binning).
    edges = np.histogram_bin_edges(np.concatenate([ref_b, cur_b]), bins="sturges")
    out["sturges_big_shifted"] = {"pair": "big", "column": "shifted", "n": len(ref_b) + len(cur_b),
                                  "edges": [float(e) for e in edges],
                                  "reference_counts": [int(c) for c in np.histogram(ref_b, edges)[0]],
                                  "current_counts": [int(c) for c in np.histogram(cur_b, edges)[0]]}

    p, q = [0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]
    out["jensenshannon"] = {"p": p, "q": q,
                            "base_e": float(distance.jensenshannon(p, q)),
                            "base_2": float(distance.jensenshannon(p, q, base=2)),
                            "note": "scipy.spatial.distance.jensenshannon: a distance (sqrt of the divergence); "
                                    "Evidently passes base=None, i.e. natural log"}

    r = stats.chisquare([10, 20, 30], [15, 15, 30])
    out["chisquare"] = {"f_obs": [10, 20, 30], "f_exp": [15, 15, 30],
                        "statistic": float(r.statistic), "pvalue": float(r.pvalue)}

    out["chi2_sf"] = [{"x": x, "df": df, "sf": float(stats.chi2.sf(x, df))}
                      for x, df in [(0.5, 1), (3.84, 1), (10, 3), (100, 10), (1e-3, 2), (50, 40)]]
    out["norm_sf"] = [{"x": x, "sf": float(stats.norm.sf(x)),
                       # what Evidently's z-test computes as two-sided p from |z| (note: 1 - cdf, not sf)
                       "evidently_two_sided": float(2 * (1 - stats.norm.cdf(abs(x))))}
                      for x in (0.1, 1.96, 5, 10)]
    return out


# --------------------------------------------------------------------------------------------------
def psi_deciles(ref_vals, cur_vals, ctype):
    """mlsh's PSI: over the reference's 10 quantile bins for a numeric column (numpy's linear
    quantiles at i/10, equal edges merged; bins [e_i, e_i+1), the last closed, values outside in
    the end bins), one bin per value of either side for a categorical one; a zero share filled as
    Evidently fills it (1e-4, or the side's smallest share / 1e6 when that is not above 1e-4)."""
    import numpy as np
    if ctype == "num":
        r = np.asarray(ref_vals, dtype=float)
        c = np.asarray(cur_vals, dtype=float)
        edges = np.unique(np.quantile(r, np.arange(11) / 10))
        if len(edges) == 1:
            edges = np.array([edges[0], edges[0]])

        def shares(v):
            idx = np.clip(np.searchsorted(edges, v, side="right") - 1, 0, len(edges) - 2)
            return np.bincount(idx, minlength=len(edges) - 1) / len(v)
        rp, cp = shares(r), shares(c)
    else:
        keys = sorted(set(ref_vals) | set(cur_vals), key=lambda k: (isinstance(k, str), k))
        rc = {k: 0 for k in keys}
        cc = {k: 0 for k in keys}
        for k in ref_vals:
            rc[k] += 1
        for k in cur_vals:
            cc[k] += 1
        rp = np.array([rc[k] for k in keys]) / len(ref_vals)
        cp = np.array([cc[k] for k in keys]) / len(cur_vals)

    def filled(p):
        smallest = p[p != 0].min()
        p = p.copy()
        p[p == 0] = smallest / 1e6 if smallest <= 1e-4 else 1e-4
        return p
    rp, cp = filled(rp), filled(cp)
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def main():
    ensure_venv()
    os.environ.setdefault("DO_NOT_TRACK", "1")
    import warnings
    warnings.filterwarnings("ignore")
    import evidently
    import numpy
    import pandas
    import scipy
    got = {"evidently": evidently.__version__, "pandas": pandas.__version__, "numpy": numpy.__version__,
           "scipy": scipy.__version__}
    assert got == PINS, f"venv has {got}, want {PINS}"

    OUT.mkdir(parents=True, exist_ok=True)
    generated = {}
    for stem, n, seed, is_current in FILES:
        generated[stem] = make_rows(n, seed, is_current)
        write_csv(OUT / f"{stem}.csv", generated[stem])
    # The "same" pair: two halves of ref_small.
    write_csv(OUT / "ref_same.csv", generated["ref_small"], 0, 300)
    write_csv(OUT / "cur_same.csv", generated["ref_small"], 300, 600)

    frames = {
        "small": (read_exact(OUT / "ref_small.csv", generated["ref_small"]),
                  read_exact(OUT / "cur_small.csv", generated["cur_small"])),
        "big": (read_exact(OUT / "ref_big.csv", generated["ref_big"]),
                read_exact(OUT / "cur_big.csv", generated["cur_big"])),
        "same": (read_exact(OUT / "ref_same.csv", generated["ref_small"], 0, 300),
                 read_exact(OUT / "cur_same.csv", generated["ref_small"], 300, 600)),
    }

    pairs = []
    for name, ref_file, cur_file in PAIRS:
        ref_df, cur_df = frames[name]
        default, summary, cur_types, ref_types = run_preset(ref_df, cur_df)
        psi, _, _, _ = run_preset(ref_df, cur_df, per_column_method={c: "psi" for c in COLUMNS})
        assert list(default) == COLUMNS, list(default)  # every column tested, in file order
        cols = []
        for c in COLUMNS:
            ref_vals, cur_vals = non_missing(ref_df[c]), non_missing(cur_df[c])
            ctype = cur_types[c]  # the Report types columns by the CURRENT dataset's inference
            entry = {"column": c, "type": ctype, "type_inferred_on_reference": ref_types[c],
                     "dtype": str(cur_df[c].dtype),
                     "n_reference": len(ref_vals), "n_current": len(cur_vals),
                     "n_unique_reference": len(set(ref_vals)), "n_unique_both": len(set(ref_vals) | set(cur_vals)),
                     **default[c],
                     "psi": psi[c]["score"], "psi_threshold": psi[c]["threshold"], "psi_drifted": psi[c]["drifted"]}
            assert psi[c]["stattest"] == "psi"
            # Independent re-derivation must agree bit for bit.
            mine = my_drift(ref_vals, cur_vals, ctype)
            theirs = (entry["stattest"], entry["score"], entry["threshold"], entry["drifted"])
            assert same(mine, theirs), (name, c, mine, theirs)
            mine_psi = my_drift(ref_vals, cur_vals, ctype, "psi")
            assert same(mine_psi, ("psi", entry["psi"], entry["psi_threshold"], entry["psi_drifted"])), (name, c, mine_psi)
            assert math.isfinite(entry["score"]) and math.isfinite(entry["psi"])
            entry["psi_deciles"] = psi_deciles(ref_vals, cur_vals, ctype)
            cols.append(entry)
        drifted = sum(1 for e in cols if e["drifted"])
        share = drifted / len(cols)
        assert drifted == summary["count"] and share == summary["share"], (summary, drifted, share)
        assert summary["dataset_drift"] == (share >= summary["drift_share"])
        pairs.append({"name": name, "reference": ref_file, "current": cur_file,
                      "reference_rows": len(ref_df), "current_rows": len(cur_df),
                      "drift_share": summary["drift_share"], "drifted_columns": drifted, "share": share,
                      "dataset_drift": summary["dataset_drift"], "columns": cols})

    result = {"evidently": got["evidently"], "pandas": got["pandas"], "numpy": got["numpy"], "scipy": got["scipy"],
              "generator": "scripts/expected/drift.py",
              "notes": "Report([DataDriftPreset()]) with DataDefinition() inference; psi from "
                       "DataDriftPreset(per_column_method={col: 'psi'}). type = the current dataset's inferred type "
                       "(what the Report uses). score is a p-value for ks/chisquare/z, a distance otherwise. "
                       "Rules: scripts/expected/EVIDENTLY_NOTES.md. psi_deciles is mlsh's PSI (numpy, "
                       "see psi_deciles() in drift.py): the reference's 10 quantile bins.",
              "pairs": pairs, "scipy": scipy_checks(frames)}
    (OUT / "expected.json").write_text(json.dumps(result, indent=1) + "\n")

    for p in pairs:
        print(f"{p['name']}: {p['drifted_columns']}/{len(p['columns'])} drifted, share {p['share']:.3f}, "
              f"dataset_drift={p['dataset_drift']}")
        for e in p["columns"]:
            print(f"  {e['column']:8} {e['type']} {e['stattest']:14} {e['score']:.6g} (thr {e['threshold']}) "
                  f"drift={e['drifted']}  psi={e['psi']:.4g} psi_drift={e['psi_drifted']}")
    print(f"wrote {OUT.relative_to(ROOT)}/expected.json")


if __name__ == "__main__":
    main()
