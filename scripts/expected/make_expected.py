#!/usr/bin/env python3
"""Writes the pandas reference values that the Swift tests compare mlsh against.

Run it with any Python 3 (3.9+): `python3 scripts/expected/make_expected.py`.
It makes (or reuses) the venv scripts/expected/.venv with the pinned pandas
below, re-runs itself inside it, reads every tutorials/data/*.csv with
`pandas.read_csv(path)` defaults and writes

  Tests/Fixtures/expected/describe-<stem>.json   one per data set
  Tests/Fixtures/expected/count-<stem>-<col>[-<col>...].json   a few frequency tables

See scripts/expected/README.md for the exact rules.
"""
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned_venv  # noqa: E402

PANDAS = "2.3.3"  # latest 2.x on PyPI when the files were made
NUMPY = "2.3.5"   # pinned too: pandas' std/quantile run on numpy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV = HERE / ".venv"
DATA = ROOT / "tutorials" / "data"
OUT = ROOT / "Tests" / "Fixtures" / "expected"

# Frequency tables: (data set stem, grouping columns).
COUNTS = [
    ("penguins", ["species"]),
    ("penguins", ["island", "sex"]),
    ("titanic", ["passengerClass"]),
    ("diamonds", ["cut"]),
]
TOP_N = 5


def ensure_venv():
    pinned_venv.ensure_venv(VENV, {"pandas": ("pandas", PANDAS), "numpy": ("numpy", NUMPY)}, __file__)


def num(x):
    """A pandas/numpy scalar as a JSON number (full precision; NaN -> null)."""
    f = float(x)
    return None if math.isnan(f) else f


def scalar(v):
    """A cell value as JSON: str stays str, numpy bool/int/float become Python ones, NaN -> null."""
    import pandas as pd
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    return v


def is_numeric(s):
    import pandas as pd
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def describe(stem, df):
    import pandas as pd
    cols = []
    for name in df.columns:
        s = df[name]
        c = {
            "name": str(name),
            "dtype": str(s.dtype),
            "count": int(s.count()),
            "missing": int(s.isna().sum()),
            "distinct": int(s.nunique()),
        }
        if is_numeric(s):
            q = s.quantile([0.25, 0.5, 0.75])  # linear interpolation, NaN skipped
            c.update({
                "mean": num(s.mean()),
                "std": num(s.std()),  # ddof=1
                "min": num(s.min()),
                "q25": num(q.loc[0.25]),
                "q50": num(q.loc[0.5]),
                "q75": num(q.loc[0.75]),
                "max": num(s.max()),
            })
        else:
            vc = s.value_counts()  # NaN excluded
            pairs = sorted(((scalar(v), int(n)) for v, n in vc.items()),
                           key=lambda p: (-p[1], p[0]))
            c["top"] = [[v, n] for v, n in pairs[:TOP_N]]
        cols.append(c)
    return {"dataset": stem, "rows": int(len(df)), "pandas": pd.__version__, "columns": cols}


def counts(stem, df, by):
    import pandas as pd
    size = df.groupby(by, dropna=False).size()
    rows = []
    for key, n in size.items():
        key = key if isinstance(key, tuple) else (key,)
        rows.append({"keys": [scalar(k) for k in key], "count": int(n)})

    def order(r):
        # count desc, then keys asc with nulls last (per key, left to right)
        return (-r["count"], [(k is None, "" if k is None else k) for k in r["keys"]])

    rows.sort(key=order)
    assert sum(r["count"] for r in rows) == len(df)
    return {"dataset": stem, "by": list(by), "rows": rows, "pandas": pd.__version__}


def dump(obj, path, list_key):
    """JSON with one list element per line: readable, diff-friendly, still plain JSON."""
    head = {k: v for k, v in obj.items() if k != list_key}
    parts = [f"{json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in head.items()]
    items = ",\n  ".join(json.dumps(x, ensure_ascii=False, allow_nan=False) for x in obj[list_key])
    text = "{" + ", ".join(parts) + f',\n "{list_key}": [\n  ' + items + "\n ]}\n"
    json.loads(text)  # sanity: still valid JSON
    path.write_text(text, encoding="utf-8")


def main():
    ensure_venv()
    import pandas as pd
    OUT.mkdir(parents=True, exist_ok=True)
    frames = {}
    for path in sorted(DATA.glob("*.csv")):
        df = pd.read_csv(path)
        frames[path.stem] = df
        out = OUT / f"describe-{path.stem}.json"
        dump(describe(path.stem, df), out, "columns")
        print(f"wrote {out.relative_to(ROOT)}  ({len(df)} rows x {df.shape[1]} cols)")
    for stem, by in COUNTS:
        out = OUT / f"count-{stem}-{'-'.join(by)}.json"
        dump(counts(stem, frames[stem], by), out, "rows")
        print(f"wrote {out.relative_to(ROOT)}")
    print(f"pandas {pd.__version__}, numpy {__import__('numpy').__version__}, "
          f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
