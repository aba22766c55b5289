#!/usr/bin/env python3
"""Tables together, side by side: a 1M × 10k-row join (1,000,000 orders, each with one of 10,000
customers, an inner join on an integer key) and a 1M-row group with quantiles (per customer
segment: count, mean, median and the 90th percentile), mlsh against pandas and polars in the same
run. The files are read by each tool first and left out of the times; each command is timed as
it runs (mlsh's `set timer on`, time.perf_counter for the peers), best of --reps. Prints the
times, the ratios, and a check figure that must agree (the joined rows, the quantiles' sum).
Run through scripts/bench/run join [--reps N]."""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def data(folder):
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(7)
    n, k = 1_000_000, 10_000
    orders = pd.DataFrame({"customer": rng.integers(0, k, n), "amount": rng.gamma(2.0, 30.0, n).round(2),
                           "items": rng.integers(1, 9, n)})
    customers = pd.DataFrame({"customer": np.arange(k), "segment": rng.choice(["a", "b", "c", "d", "e"], k),
                              "since": rng.integers(2000, 2025, k)})
    orders.to_csv(folder / "orders.csv", index=False)
    customers.to_csv(folder / "customers.csv", index=False)


def best(f, reps):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    mlsh = os.environ.get("MLSH") or str(ROOT / ".build/release/mlsh")
    import pandas as pd
    import polars as pl
    folder = HERE / "data" / "join"
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "orders.csv").exists():
        data(folder)
    o, c = pd.read_csv(folder / "orders.csv"), pd.read_csv(folder / "customers.csv")
    po, pc = pl.read_csv(folder / "orders.csv"), pl.read_csv(folder / "customers.csv")
    results = {}
    results["pandas join"] = best(lambda: len(o.merge(c, on="customer", how="inner")), a.reps)
    results["polars join"] = best(lambda: po.join(pc, on="customer", how="inner").height, a.reps)
    joined, pjoined = o.merge(c, on="customer"), po.join(pc, on="customer")

    def pandas_group():
        g = joined.groupby("segment").amount
        r = pd.DataFrame({"n": g.size(), "mean": g.mean(), "median": g.median(), "q90": g.quantile(0.9)})
        return float(r.q90.sum())

    def polars_group():
        r = pjoined.group_by("segment").agg(pl.len().alias("n"), pl.col("amount").mean().alias("mean"),
                                            pl.col("amount").median().alias("median"),
                                            pl.col("amount").quantile(0.9, interpolation="linear").alias("q90"))
        return float(r["q90"].sum())
    results["pandas group"] = best(pandas_group, a.reps)
    results["polars group"] = best(polars_group, a.reps)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "tables.mlsh"
        lines = [f'load "{folder}/orders.csv" as orders', f'load "{folder}/customers.csv" as customers', "set timer on"]
        for _ in range(a.reps):
            lines += ["join orders customers on customer as joined",
                      "group joined by segment summarize n=count(), mean=mean(amount), median=median(amount), q90=quantile(amount, 0.9) as g"]
        lines += ["set timer off", "group g summarize total=sum(q90)"]
        script.write_text("\n".join(lines) + "\n")
        out = subprocess.run([mlsh, str(script)], capture_output=True, text=True, check=True).stdout
    times = [float(m.group(1)) / (1000 if m.group(2) == "ms" else 1) for m in re.finditer(r"time: ([0-9.]+) (ms|s)\b", out)]
    rows = re.search(r"joined: joined orders and customers \(inner\): ([0-9,]+) rows", out)
    total = re.findall(r"│\s*([0-9.]+)\s*│", out)
    results["mlsh join"] = (min(times[0::2]), int(rows.group(1).replace(",", "")))
    results["mlsh group"] = (min(times[1::2]), float(total[-1]))
    print(f"# tables: 1,000,000 orders × 10,000 customers; best of {a.reps}; {os.cpu_count()} cores; pandas {pd.__version__}, polars {pl.__version__}")
    print(f"{'step':14} {'mlsh (s)':>9} {'pandas (s)':>11} {'polars (s)':>11} {'mlsh/pandas':>12} {'mlsh/polars':>12}  check (mlsh, pandas, polars)")
    for step in ["join", "group"]:
        m, p, q = results[f"mlsh {step}"], results[f"pandas {step}"], results[f"polars {step}"]
        print(f"{step:14} {m[0]:9.3f} {p[0]:11.3f} {q[0]:11.3f} {m[0] / p[0]:11.2f}x {m[0] / q[0]:11.2f}x  {m[1]}, {p[1]}, {q[1]}")


if __name__ == "__main__":
    main()
