#!/usr/bin/env python3
"""pandas' answers for join, concat and the group aggregates, on small fixture tables with
missing keys, repeated keys, a shared non-key column and mixed int/float columns. Writes
Tests/Fixtures/join/{left,right,more}.csv and expected.json (rows as lists, NaN as null).
Run: python3 scripts/expected/make_join_expected.py (in make_model_expected.py's venv)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_model_expected as models  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "Tests/Fixtures/join"


def rows(frame):
    out = []
    for rec in frame.itertuples(index=False):
        row = []
        for v in rec:
            if v is None or (isinstance(v, float) and v != v):
                row.append(None)
            elif hasattr(v, "item"):
                row.append(v.item())
            else:
                row.append(v)
        out.append(row)
    return out


def main():
    models.ensure_venv(__file__)
    import numpy as np
    import pandas as pd
    FOLDER.mkdir(parents=True, exist_ok=True)
    left = pd.DataFrame({
        "id": [1, 2, 2, 3, None, 5, 6],
        "code": ["a", "b", "b", "c", "d", None, "f"],
        "x": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5],
        "n": [10, 20, 30, 40, 50, 60, 70],
    })
    right = pd.DataFrame({
        "id": [2, 3, 3, None, 7, 1],
        "code": ["b", "c", "c", "d", "g", "z"],
        "label": ["two", "three", "three again", "missing", "seven", "one-z"],
        "x": [20.0, 30.0, 31.0, None, 70.0, 10.0],
    })
    more = pd.DataFrame({"id": [8, 9], "code": ["h", None], "x": [8.5, 9.5], "extra": ["p", "q"]})
    for name, frame in [("left", left), ("right", right), ("more", more)]:
        frame.to_csv(FOLDER / f"{name}.csv", index=False, float_format="%.17g")
    # Read back as mlsh reads them: ids with a gap are floats in pandas; mlsh reads them as int.
    left, right, more = (pd.read_csv(FOLDER / f"{n}.csv") for n in ["left", "right", "more"])
    out = {"pandas": pd.__version__, "cases": {}}
    for keys in [["id"], ["id", "code"]]:
        for how in ["inner", "left", "right", "outer"]:
            m = left.merge(right, on=keys, how=how, suffixes=("", "_right"))
            out["cases"][f"{how} on {','.join(keys)}"] = {"columns": list(m.columns), "rows": rows(m)}
        k = left.set_index(keys).index.isin(right.set_index(keys).index)
        out["cases"][f"semi on {','.join(keys)}"] = {"columns": list(left.columns), "rows": rows(left[k])}
        out["cases"][f"anti on {','.join(keys)}"] = {"columns": list(left.columns), "rows": rows(left[~k])}
    m = left.merge(right, left_on="n", right_on="x", how="inner", suffixes=("", "_right"))
    out["cases"]["inner on n = x"] = {"columns": list(m.columns), "rows": rows(m)}
    c = pd.concat([left, more], ignore_index=True)
    out["concat"] = {"columns": list(c.columns), "rows": rows(c)}
    g = left.groupby("code", dropna=False)
    agg = pd.DataFrame({
        "n": g.size(), "q": g.x.quantile(0.3), "med": g.x.median(), "v": g.x.var(), "s": g.x.std(),
        "nd": g.id.nunique(), "f": g.id.first(), "l": g.id.last(), "lo": g.n.min(), "hi": g.n.max(), "sum": g.n.sum(),
    }).reset_index()
    out["group"] = {"columns": list(agg.columns), "rows": rows(agg)}
    whole = {"n": len(left), "q": float(left.x.quantile(0.75)), "nd": int(left.code.nunique()), "v": float(left.n.var())}
    out["group_whole"] = whole
    out["pivot"] = {}
    for agg in ["mean", "sum", "count", "max"]:
        p = left.pivot_table(index="id", columns="code", values="x", aggfunc=agg).reset_index()
        p.columns.name = None
        out["pivot"][agg] = {"columns": [str(c) for c in p.columns], "rows": rows(p)}
    m = left.melt(id_vars=["code"], value_vars=["x", "n"])
    out["melt"] = {"columns": list(m.columns), "rows": rows(m)}
    (FOLDER / "expected.json").write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out)[:400])


if __name__ == "__main__":
    main()
