#!/usr/bin/env python3
"""Side-by-side data benchmark: pandas vs polars vs mlsh on one CSV, in the same run.

For each tool, --reps fresh processes (round robin, so drift hits every tool alike); each process
loads the CSV once and describes it once, timing both from inside:
  pandas  pd.read_csv(path, engine="c");  df.describe(include="all")
  polars  pl.read_csv(path);              df.describe()
  mlsh    mlsh -c 'set timer on; load "PATH" as d; describe d'   (times from its `time:` lines)
Reported: medians of load, describe and whole-process wall time; peak RSS (max over the runs).
Peak RSS comes from os.wait4() on each child: the kernel's ru_maxrss of exactly that process tree.
(resource.getrusage(RUSAGE_CHILDREN) would be a high-water mark over *all* children reaped so far,
so a smaller process measured after a bigger one would be hidden.)

Normally started by scripts/bench/run, which sets up the venv, the data and the mlsh binary.
mlsh is optional: if its binary is missing or fails, its row says "mlsh: n/a (reason)".
"""
import argparse
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STRING_COLUMNS = {"cat5", "cat50"}  # the rest of bench-1m.csv is numeric (see gen_data.py)

# Run inside each Python peer process. argv[1] = CSV path. Last stdout line = JSON result.
PEER_CODE = {
    "pandas": r'''
import sys, time, json, resource
import pandas as pd
rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter(); df = pd.read_csv(sys.argv[1], engine="c")
t1 = time.perf_counter(); d = df.describe(include="all")
t2 = time.perf_counter()
import numpy, threadpoolctl
blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} x{i.get('num_threads')}"
        for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print(json.dumps({"load": t1 - t0, "describe": t2 - t1, "rows": df.shape[0], "cols": df.shape[1],
                  "rss_import_kb": rss_import, "version": pd.__version__,
                  "note": f"numpy {numpy.__version__}, BLAS: {'; '.join(blas) or '?'}"}))
''',
    "polars": r'''
import sys, time, json, resource
import polars as pl
rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter(); df = pl.read_csv(sys.argv[1])
t1 = time.perf_counter(); d = df.describe()
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "describe": t2 - t1, "rows": df.height, "cols": df.width,
                  "rss_import_kb": rss_import, "version": pl.__version__,
                  "note": f"{pl.thread_pool_size()} threads"}))
''',
}

TIME_RE = re.compile(r"^\s*time:\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(ns|µs|μs|us|ms|s)\s*$")
ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # mlsh dims its time lines when colour is on
UNIT = {"ns": 1e-9, "µs": 1e-6, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def peer_env():
    # This machine sets OPENBLAS_CORETYPE=Haswell and OPENBLAS_L2_SIZE=512 because older OpenBLAS
    # builds (such as the system libopenblas that mlsh links) compute wrong results or crash on its
    # CPU without them. The numpy wheel bundles a current OpenBLAS that detects the CPU correctly, and
    # the forced core type / cache size only slow it down; so the Python peers run without them.
    # mlsh keeps the environment as it is.
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    return env


class Run:
    def __init__(self, rc, out, err, wall, maxrss_kb, timed_out):
        self.rc, self.out, self.err, self.wall = rc, out, err, wall
        self.maxrss_mb = maxrss_kb * 1024 / 1e6  # Linux ru_maxrss is in KiB
        self.timed_out = timed_out


def round_robin(tools, reps, run, describe, prefix="", name=lambda t: t):
    """Each tool once per round, `reps` rounds, so that no tool gets the warmest cache: `run(tool)`
    gives (result, None) or (None, why); a tool that fails once is left out of later rounds.
    Progress goes to stderr: `prefix` + "run k/N tool: " + describe(result). Returns the results
    per tool and why each failed tool failed."""
    results = {t: [] for t in tools}
    failed = {}
    for rep in range(reps):
        for t in tools:
            if t in failed:
                continue
            res, why = run(t)
            if res is None:
                failed[t] = why
                print(f"  {prefix}run {rep + 1}/{reps} {name(t)}: n/a ({why})", file=sys.stderr)
            else:
                results[t].append(res)
                print(f"  {prefix}run {rep + 1}/{reps} {name(t)}: {describe(res)}", file=sys.stderr)
    return results, failed


def run_measured(argv, env, timeout):
    """Runs argv to completion; returns its output, wall time and the peak RSS of its process tree.

    Linux counts, in a child's ru_maxrss, the memory image it had before exec: a (v)forked child
    starts as a view of this process. So each reading is max(child's own peak, this driver's peak):
    this driver keeps itself small (~20 MB) and every tool measured is far above that.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        killed = []

        def kill():
            killed.append(True)
            p.kill()

        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=ROOT)
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Run(p.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), wall, ru.ru_maxrss, bool(killed))


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


def fail_reason(r, what):
    if r.timed_out:
        return f"{what} timed out"
    msg = last_line(r.err) or last_line(r.out) or "no output"
    return f"{what} exit {r.rc}: {msg[:160]}"


def run_python(code, args, name, timeout):
    """Runs a peer's Python code in a fresh process; its last output line is a JSON result."""
    r = run_measured([sys.executable, "-c", code] + [str(a) for a in args], peer_env(), timeout)
    if r.rc != 0:
        return None, fail_reason(r, name)
    try:
        res = json.loads(last_line(r.out))
    except ValueError:
        return None, f"{name}: unreadable result line {last_line(r.out)[:80]!r}"
    res.update(wall=r.wall, rss=r.maxrss_mb)
    return res, None


def run_peer(tool, data, timeout):
    return run_python(PEER_CODE[tool], [data], tool, timeout)


def parse_mlsh(out):
    """Load and describe seconds from mlsh's timer output.

    Anchored on load's one-line summary (a line starting with 'loaded'): the first `time:` line after
    it is load's, the next one describe's. Without such a line, the first two `time:` lines are taken.
    Returns (load, describe, note); a value that can't be found is None.
    """
    lines = ANSI_RE.sub("", out).splitlines()
    times = [(i, float(m.group(1)) * UNIT[m.group(2)])
             for i, l in enumerate(lines) if (m := TIME_RE.match(l))]
    anchor = next((i for i, l in enumerate(lines) if l.lstrip().lower().startswith("loaded")), None)
    note = None
    if anchor is not None:
        after = [t for i, t in times if i > anchor]
    else:
        after = [t for _, t in times]
        if after:
            note = "no 'loaded' line; took the first time: lines"
    load = after[0] if len(after) > 0 else None
    desc = after[1] if len(after) > 1 else None
    return load, desc, note


def run_mlsh(binary, data, timeout):
    if not binary.exists():
        return None, f"no binary at {rel(binary)}; scripts/bench/run builds it, or set MLSH=path"
    if not os.access(binary, os.X_OK):
        return None, f"{rel(binary)} is not executable"
    path = str(data).replace("\\", "\\\\").replace('"', '\\"')
    script = f'set timer on; load "{path}" as d; describe d'
    try:
        r = run_measured([str(binary), "-c", script], None, timeout)
    except OSError as e:
        return None, f"cannot run {rel(binary)}: {e}"
    load, desc, note = parse_mlsh(r.out)
    if load is None:
        if r.rc != 0 or r.timed_out:
            return None, fail_reason(r, "mlsh")
        return None, "no 'time:' line after load's 'loaded …' line in its output"
    res = {"load": load, "describe": desc, "wall": r.wall, "rss": r.maxrss_mb, "note": note or ""}
    if desc is None:
        res["note"] = "describe: " + (fail_reason(r, "mlsh") if r.rc else "no time: line")
    elif r.rc != 0:
        res["note"] = fail_reason(r, "mlsh")
    return res, None


def mlsh_version(binary):
    try:
        r = subprocess.run([str(binary), "--version"], stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=10)
        m = re.search(r"\d+\.\d+\S*", ANSI_RE.sub("", r.stdout)) if r.returncode == 0 else None
        return m.group(0)[:30] if m else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def rel(p):
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def secs(x, unit=""):
    """Seconds for a table: 3 decimals, or 3 significant digits below 10 ms."""
    if x is None:
        return "n/a"
    return (format(x, ".3f") if x >= 0.01 else format(x, ".3g")) + unit


def table(headers, rows, right=None):
    """Plain aligned text table; columns in `right` (indices) are right-aligned."""
    right = set(range(1, len(headers))) if right is None else set(right)
    cells = [list(map(str, headers))] + [[str(c) for c in r] for r in rows]
    w = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    def line(r):
        return "  ".join(c.rjust(w[i]) if i in right else c.ljust(w[i]) for i, c in enumerate(r)).rstrip()
    out = [line(cells[0]), "  ".join("-" * x for x in w)]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE / "data" / "bench-1m.csv")
    ap.add_argument("--reps", type=int, default=5, help="processes per tool (default 5)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per process (default 600)")
    ap.add_argument("--tools", default="pandas,polars,mlsh", help="comma list (default all three)")
    a = ap.parse_args()
    data = a.data.resolve()
    if not data.exists():
        sys.exit(f"bench: {data} is missing; run scripts/bench/gen_data.py (scripts/bench/run does)")
    mlsh_bin = Path(os.environ.get("MLSH") or ROOT / ".build" / "release" / "mlsh")
    if not mlsh_bin.is_absolute():
        mlsh_bin = ROOT / mlsh_bin
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]

    with open(data, "rb") as f:  # warm the page cache so the first timed load doesn't read the disk
        header = f.readline().decode().strip().split(",")
        while f.read(1 << 20):  # small reads: see run_measured on why this process stays small
            pass
    size = data.stat().st_size

    print(f"# mlsh data benchmark — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"data: {rel(data)}  {size:,} bytes ({size / 1e6:.1f} MB), {len(header)} columns")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
          f"python {platform.python_version()}")
    print(f"method: {a.reps} fresh process(es) per tool, round robin; medians; page cache warm; "
          f"peers run without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE")
    print()

    results, failed = round_robin(
        tools, a.reps,
        lambda t: run_mlsh(mlsh_bin, data, a.timeout) if t == "mlsh" else run_peer(t, data, a.timeout),
        lambda res: f"load {secs(res['load'], ' s')}, describe {secs(res['describe'], ' s')}, {res['rss']:.0f} MB")

    summary = {}
    for t in tools:
        rs = results[t]
        if not rs:
            continue
        summary[t] = {
            "load": med(r["load"] for r in rs),
            "describe": med(r["describe"] for r in rs),
            "wall": med(r["wall"] for r in rs),
            "rss": max(r["rss"] for r in rs),
            "rss_import": max((r.get("rss_import_kb", 0) for r in rs), default=0) * 1024 / 1e6,
            "version": rs[0].get("version") or (mlsh_version(mlsh_bin) if t == "mlsh" else "?"),
            "rows": rs[0].get("rows"),
            "note": next((r["note"] for r in rs if r.get("note")), ""),
            "runs": len(rs),
        }

    rows = []
    for t in tools:
        s = summary.get(t)
        if s is None:
            rows.append([t, "", "n/a", "n/a", "n/a", "n/a", "n/a"])
            continue
        rows.append([t, s["version"], secs(s["load"]), secs(s["describe"]),
                     fmt(s["wall"], ".2f"), f"{s['rss']:.0f}",
                     f"{s['rss_import']:.0f}" if s["rss_import"] else "-"])
    print(table(["tool", "version", "load (s)", "describe (s)", "process wall (s)", "peak RSS (MB)",
                 "RSS after import (MB)"], rows, right={2, 3, 4, 5, 6}))
    for t in tools:
        if t in failed and t not in summary:
            print(f"{t}: n/a ({failed[t]})")
        elif t in failed:
            print(f"{t}: only {summary[t]['runs']} of {a.reps} runs worked ({failed[t]})")
        if t in summary and summary[t]["note"]:
            print(f"{t}: {summary[t]['note']}")
    print()

    m = summary.get("mlsh")
    ratio_rows = []
    for key, label in [("load", "load"), ("describe", "describe"), ("wall", "process wall"),
                       ("rss", "peak RSS")]:
        r = [label]
        for peer in ("pandas", "polars"):
            p = summary.get(peer)
            if m and p and m[key] is not None and p[key]:
                r.append(f"{m[key] / p[key]:.2f}x")
            else:
                r.append("n/a")
        ratio_rows.append(r)
    print(table(["ratio (lower = mlsh better)", "mlsh/pandas", "mlsh/polars"], ratio_rows))
    if "mlsh" not in tools:
        print("mlsh: n/a (not in --tools)")
    print()

    n_rows = next((s["rows"] for s in summary.values() if s.get("rows")), None)
    if n_rows is None:  # no peer ran: count the lines
        with open(data, "rb") as f:
            n_rows = sum(1 for _ in f) - 1
    n_str = sum(1 for c in header if c in STRING_COLUMNS)
    n_num = len(header) - n_str
    raw = n_rows * (n_num * 8 + n_str * 4)
    print(f"raw column bytes (memory reference): {n_rows:,} rows x ({n_num} numeric x 8 B + "
          f"{n_str} string codes x 4 B) = {raw:,} B = {raw / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
