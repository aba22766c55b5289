#!/usr/bin/env python3
"""Writes scripts/bench/data/bench-1m.csv, the synthetic table the benchmarks load.

Deterministic (numpy default_rng(42), draws in the fixed order below):
  x0..x9  float, standard normal, written with 6 significant digits (%.6g); ~1% empty cells each
  n       int, uniform 0..999
  cat5    string, 5 levels alpha..epsilon (unequal frequencies)
  cat50   string, 50 levels level00..level49 (uniform)
  y       float, 2.5 + sum(w_i * x_i) + N(0, 0.5) noise, from the unrounded x (no missing), %.6g
Header row, comma separated, '\n' line ends, missing = empty field.

Usage: gen_data.py [--rows N] [--out PATH]
"""
import argparse
import os
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CAT5 = ["alpha", "beta", "gamma", "delta", "epsilon"]
CAT5_P = [0.35, 0.25, 0.2, 0.12, 0.08]
CAT50 = [f"level{i:02d}" for i in range(50)]
MISSING_RATE = 0.01
CHUNK = 100_000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=HERE / "data" / "bench-1m.csv")
    a = ap.parse_args()
    n_rows = a.rows
    t0 = time.perf_counter()

    rng = np.random.default_rng(42)
    x = rng.standard_normal((n_rows, 10))
    missing = rng.random((n_rows, 10)) < MISSING_RATE
    n = rng.integers(0, 1000, size=n_rows)
    cat5 = rng.choice(len(CAT5), size=n_rows, p=CAT5_P)
    cat50 = rng.integers(0, len(CAT50), size=n_rows)
    w = np.array([1.5, -2.0, 0.7, 0.0, 3.1, -0.4, 1.1, 0.25, -1.8, 0.9])
    # Column by column (no BLAS matmul) so y is bit-identical on every machine.
    y = np.full(n_rows, 2.5)
    for i in range(10):
        y += w[i] * x[:, i]
    y += rng.normal(0.0, 0.5, size=n_rows)

    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".csv.tmp")
    header = [f"x{i}" for i in range(10)] + ["n", "cat5", "cat50", "y"]
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for lo in range(0, n_rows, CHUNK):
            hi = min(lo + CHUNK, n_rows)
            cols = []
            for j in range(10):
                col = ["%.6g" % v for v in x[lo:hi, j].tolist()]
                for i in np.flatnonzero(missing[lo:hi, j]).tolist():
                    col[i] = ""
                cols.append(col)
            cols.append([str(v) for v in n[lo:hi].tolist()])
            cols.append([CAT5[v] for v in cat5[lo:hi].tolist()])
            cols.append([CAT50[v] for v in cat50[lo:hi].tolist()])
            cols.append(["%.6g" % v for v in y[lo:hi].tolist()])
            f.write("\n".join(",".join(r) for r in zip(*cols)))
            f.write("\n")
    os.replace(tmp, a.out)
    size = a.out.stat().st_size
    print(f"wrote {a.out} : {n_rows:,} rows x {len(header)} cols, {size:,} bytes "
          f"({size / 1e6:.1f} MB), {missing.sum():,} empty cells, {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
