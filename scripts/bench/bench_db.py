#!/usr/bin/env python3
"""Reading a PostgreSQL table, side by side: mlsh against pandas and polars, in the same run.

A throwaway server (scripts/pg-test-server, in a temporary folder, stopped and removed at the end)
holds the table `bench`: --rows rows (default 1,000,000) × 14 columns, x0..x9 and y double precision,
n bigint, cat5 and cat50 text (5 and 50 levels), filled by INSERT … SELECT from generate_series with
values from hashint8extended(row number, seed): deterministic, no random(). Then VACUUM ANALYZE and
one full read, so every reader finds the table in the page cache with its hint bits set.

Each reader reads the whole table, `select * from bench`, in a fresh process, --reps times (round
robin, so drift hits every tool alike); best of the runs:
  mlsh         mlsh FILE, FILE = `set timer on` / `load "URL" table=bench as b` / `quit`
  pandas       pd.read_sql("select * from bench", engine): SQLAlchemy, postgresql+psycopg (psycopg 3)
  polars       pl.read_database("select * from bench", connection=psycopg.connect(URL))
  polars-cx    pl.read_database_uri("select * from bench", URL, engine="connectorx")
  polars-adbc  pl.read_database_uri("select * from bench", URL, engine="adbc")
Figures: "read" is timed inside the process (Python: perf_counter around the call, connecting
included, imports excluded; mlsh: its load's `time:` line, when it prints one); "process wall" is
the whole process from the outside (interpreter start and imports included for the peers; nothing
is subtracted for mlsh); peak RSS is the kernel's ru_maxrss of that process alone (os.wait4; see
bench_data.run_measured). Ratios are mlsh/peer (lower = mlsh better). A peer whose package is not
installed (connectorx, adbc) or that fails says "n/a (reason)"; so does mlsh.

Normally started by `scripts/bench/run db [--rows N] [--reps N]`, which adds the pinned readers
(DB_PINS there) to the bench's venv. MLSH=/path/to/mlsh picks the binary.
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_data import (ANSI_RE, ROOT, fail_reason, last_line, mlsh_version, parse_mlsh, rel,  # noqa: E402
                        round_robin, run_measured, run_python, secs, table)

SERVER = ROOT / "scripts" / "pg-test-server"
QUERY = "select * from bench"
COLUMNS = 14

# Run inside each Python peer process: argv[1] = URL, argv[2] = query. Last stdout line = JSON result.
_COMMON = r'''
import sys, time, json, resource
url, query = sys.argv[1], sys.argv[2]
'''
_RESULT = r'''
print(json.dumps({"read": t1 - t0, "rows": df.shape[0], "cols": df.shape[1],
                  "rss_import_kb": rss_import, "version": version}))
'''
PEER_CODE = {
    "pandas": _COMMON + r'''
import pandas as pd, sqlalchemy, psycopg
version = f"pandas {pd.__version__}, SQLAlchemy {sqlalchemy.__version__}, psycopg {psycopg.__version__}"
engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter(); df = pd.read_sql(query, engine); t1 = time.perf_counter()
''' + _RESULT,
    "polars": _COMMON + r'''
import polars as pl, psycopg
version = f"polars {pl.__version__}, psycopg {psycopg.__version__}"
rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
with psycopg.connect(url) as conn:
    df = pl.read_database(query, connection=conn)
t1 = time.perf_counter()
''' + _RESULT,
    "polars-cx": _COMMON + r'''
import polars as pl, pyarrow, connectorx
version = f"polars {pl.__version__}, connectorx {connectorx.__version__}"
rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter(); df = pl.read_database_uri(query, url, engine="connectorx"); t1 = time.perf_counter()
''' + _RESULT,
    "polars-adbc": _COMMON + r'''
import importlib.metadata as md
import polars as pl, pyarrow, adbc_driver_postgresql.dbapi
version = f"polars {pl.__version__}, adbc-driver-postgresql {md.version('adbc-driver-postgresql')}"
rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter(); df = pl.read_database_uri(query, url, engine="adbc"); t1 = time.perf_counter()
''' + _RESULT,
}
PEERS = list(PEER_CODE)


def fill_sql(rows):
    """The table: 14 columns from hashint8extended(i, seed), a 64-bit hash of the row number;
    x0..x9 uniform in [-1, 1], y a linear mix of them plus noise, n in [0, 10^6), cat5 c0..c4,
    cat50 k00..k49."""
    def h(seed):
        return f"hashint8extended(i, {seed})"
    xs = ",\n         ".join(f"{h(k)}::float8 / 9223372036854775807.0 as x{k}" for k in range(10))
    return f"""
set client_min_messages = warning;
drop table if exists bench;
create table bench (x0 double precision, x1 double precision, x2 double precision, x3 double precision,
  x4 double precision, x5 double precision, x6 double precision, x7 double precision, x8 double precision,
  x9 double precision, y double precision, n bigint, cat5 text, cat50 text);
insert into bench
select x0, x1, x2, x3, x4, x5, x6, x7, x8, x9,
       1.5 * x0 - 2.0 * x1 + 0.5 * x2 + 0.25 * x3 * x4 + sin(3.0 * x5) + 0.1 * u as y, n, cat5, cat50
from (
  select i,
         {xs},
         {h(10)}::float8 / 9223372036854775807.0 as u,
         abs({h(11)} % 1000000) as n,
         'c' || abs({h(12)} % 5) as cat5,
         'k' || lpad(abs({h(13)} % 50)::text, 2, '0') as cat50
  from generate_series(1, {int(rows)}) as i
) s
order by i;
vacuum analyze bench;
"""


def psql(folder, url, sql, timeout=3600):
    """Runs SQL with the server's psql (not psycopg: this driver stays small, see
    bench_data.run_measured). pg-test-server writes the server's bin folder to FOLDER/.pg-test-server."""
    r = subprocess.run([str(Path((folder / ".pg-test-server").read_text().strip()) / "psql"), url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"], input=sql,
                       capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"psql failed: {r.stderr.strip()[-500:]}")
    return r.stdout.strip()


def run_peer(tool, url, timeout):
    return run_python(PEER_CODE[tool], [url, QUERY], tool, timeout)


LOADED_RE = re.compile(r"loaded \S+: ([0-9,]+) rows × ([0-9,]+) columns")


def run_mlsh(binary, script, timeout):
    if not binary.exists():
        return None, f"no binary at {rel(binary)}; scripts/bench/run builds it, or set MLSH=path"
    try:
        r = run_measured([str(binary), str(script)], None, timeout)
    except OSError as e:
        return None, f"cannot run {rel(binary)}: {e}"
    if r.rc != 0 or r.timed_out:
        # mlsh's message is its `error:` line (the lines after it are the source line and hints).
        err = next((l.strip() for l in ANSI_RE.sub("", r.err + r.out).splitlines() if "error:" in l), None)
        return None, f"mlsh exit {r.rc}: {err[:200]}" if err and not r.timed_out else fail_reason(r, "mlsh")
    out = ANSI_RE.sub("", r.out)
    m = LOADED_RE.search(out)
    read, _, _ = parse_mlsh(out)
    return {"read": read if m else None, "wall": r.wall, "rss": r.maxrss_mb,
            "rows": int(m.group(1).replace(",", "")) if m else None,
            "cols": int(m.group(2).replace(",", "")) if m else None,
            "version": f"mlsh {mlsh_version(binary)}"}, None


def best(xs):
    xs = [x for x in xs if x is not None]
    return min(xs) if xs else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows in the table (default 1,000,000)")
    ap.add_argument("--reps", type=int, default=3, help="processes per tool, best taken (default 3)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per process (default 600)")
    ap.add_argument("--tools", default="mlsh," + ",".join(PEERS), help="comma list (default all)")
    a = ap.parse_args()
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t != "mlsh" and t not in PEER_CODE]
    if unknown:
        sys.exit(f"bench: unknown tool(s) {', '.join(unknown)}; the tools are mlsh, {', '.join(PEERS)}")
    mlsh_bin = Path(os.environ.get("MLSH") or ROOT / ".build" / "release" / "mlsh")
    if not mlsh_bin.is_absolute():
        mlsh_bin = ROOT / mlsh_bin

    folder = Path(tempfile.mkdtemp(prefix="mlsh-bench-pg-"))
    try:
        t0 = time.perf_counter()
        r = subprocess.run([str(SERVER), "start", str(folder)], stdout=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit("bench: scripts/pg-test-server start failed (see above)")
        url = r.stdout.strip().splitlines()[-1]
        t_start = time.perf_counter() - t0
        print(f"bench: server up in {t_start:.2f} s at {url}; filling {a.rows:,} rows…", file=sys.stderr)
        t0 = time.perf_counter()
        psql(folder, url, fill_sql(a.rows))
        t_fill = time.perf_counter() - t0
        info = psql(folder, url, "select count(*), pg_size_pretty(pg_total_relation_size('bench')), "
                         "current_setting('server_version'), current_setting('shared_buffers') from bench")
        count, size, server_version, shared_buffers = info.split("|")
        psql(folder, url, "select sum(x0), sum(length(cat50)) from bench")  # warm: page cache, hint bits
        script = folder / "load.mlsh"
        script.write_text(f'set timer on\nload "{url}" table=bench as b\nquit\n')

        print(f"# mlsh database benchmark — {time.strftime('%Y-%m-%d %H:%M')}")
        print(f"table: bench, {int(count):,} rows × {COLUMNS} columns (11 double, 1 bigint, 2 text), {size} on disk; "
              f"filled in {t_fill:.1f} s")
        print(f"server: PostgreSQL {server_version} on 127.0.0.1 (scripts/pg-test-server, started in "
              f"{t_start:.2f} s; fsync off, shared_buffers {shared_buffers})")
        print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
              f"python {platform.python_version()}")
        print(f"method: `{QUERY}`, {a.reps} fresh process(es) per tool, round robin; best of them; "
              f"table in the page cache")
        print()

        results, failed = round_robin(
            tools, a.reps,
            lambda t: run_mlsh(mlsh_bin, script, a.timeout) if t == "mlsh" else run_peer(t, url, a.timeout),
            lambda res: f"read {secs(res['read'], ' s')}, wall {res['wall']:.2f} s, {res['rss']:.0f} MB")
    finally:
        # Also after a failed start: stop removes what start left (and only a folder that start made).
        if folder.exists() and subprocess.run([str(SERVER), "stop", str(folder)]).returncode != 0:
            print(f"bench: scripts/pg-test-server stop {folder} failed", file=sys.stderr)

    summary = {}
    for t in tools:
        rs = results[t]
        if not rs:
            continue
        summary[t] = {"read": best(r["read"] for r in rs), "wall": best(r["wall"] for r in rs),
                      "rss": max(r["rss"] for r in rs),
                      "rss_import": max((r.get("rss_import_kb", 0) for r in rs), default=0) * 1024 / 1e6,
                      "rows": rs[0].get("rows"), "cols": rs[0].get("cols"),
                      "version": rs[0].get("version", "?"), "runs": len(rs)}
    rows = []
    for t in tools:
        s = summary.get(t)
        if s is None:
            rows.append([t, "n/a", "n/a", "n/a", "n/a", "n/a", ""])
            continue
        shape = f"{s['rows']:,} × {s['cols']}" if s["rows"] is not None else "?"
        rows.append([t, secs(s["read"]), f"{s['wall']:.2f}", f"{s['rss']:.0f}",
                     f"{s['rss_import']:.0f}" if s["rss_import"] else "-", shape, s["version"]])
    print(table(["tool", "read (s)", "process wall (s)", "peak RSS (MB)", "RSS after import (MB)",
                 "rows × cols read", "version"], rows, right={1, 2, 3, 4, 5}))
    for t in tools:
        if t in failed and t not in summary:
            print(f"{t}: failed ({failed[t]})")
        elif t in failed:
            print(f"{t}: only {summary[t]['runs']} of {a.reps} runs worked ({failed[t]})")
        s = summary.get(t)
        if s and s["rows"] is not None and s["rows"] != int(count):
            print(f"{t}: read {s['rows']:,} rows, the table has {int(count):,}")
    print()

    m = summary.get("mlsh")
    peers = [t for t in tools if t != "mlsh"]
    ratio_rows = []
    for key, label in [("read", "read"), ("wall", "process wall"), ("rss", "peak RSS")]:
        r = [label]
        for p in peers:
            s = summary.get(p)
            r.append(f"{m[key] / s[key]:.2f}x" if m and s and m[key] is not None and s[key] else "n/a")
        ratio_rows.append(r)
    print(table(["ratio (lower = mlsh better)"] + [f"mlsh/{p}" for p in peers], ratio_rows))
    if "mlsh" not in tools:
        print("mlsh: n/a (not in --tools)")
    print()
    raw = int(count) * (12 * 8 + 2 * 4)
    print(f"raw column bytes (memory reference): {int(count):,} rows x (12 numeric x 8 B + 2 string codes x 4 B) "
          f"= {raw:,} B = {raw / 1e6:.1f} MB")
    print(json.dumps({"rows": int(count), "reps": a.reps, "results": summary}))


if __name__ == "__main__":
    main()
