#!/usr/bin/env python3
"""Serving benchmark: `mlsh serve` against FastAPI + uvicorn, MLflow's `mlflow models serve` and nginx.

One model, a logistic regression on 20 features (data/serve-logistic-20k.csv: 20,000 rows, y 0/1),
served over HTTP on loopback by each server; wrk sends the same MLflow scoring request again and again:

  POST /invocations   Content-Type: application/json
  {"dataframe_split": {"columns": ["x0", …, "x19"], "data": [[…], …]}}   → {"predictions": [...]}

with a body of 1 row and one of 100 rows (the data set's first rows), at 16 and 64 connections.

Servers (--servers picks some; default all but mlflow):
  mlsh       mlsh serve F.mlsm --port P --host 127.0.0.1; the model fitted by mlsh on the same CSV
             (fit logistic y ~ . on d C=1 max_iter=1000; save m F.mlsm)
  fastapi1   FastAPI + uvicorn, 1 worker: an app written at run time into a temp dir, that loads the
             joblib-dumped scikit-learn LogisticRegression(C=1, max_iter=1000, tol=1e-8) fitted on
             the same CSV (the 20 columns as an array), validates the body with pydantic
             (dataframe_split: columns list[str], data list[list[float]]) in an `async def` route,
             and answers {"predictions": model.predict(X).tolist()}; GET /ping answers 200.
             uvicorn app:app --host 127.0.0.1 --port P --workers 1 --no-access-log --log-level warning
             (uvicorn[standard]: uvloop and httptools)
  fastapi2   the same with --workers 2
  mlflow     mlflow models serve -m DIR --env-manager local -w 1: the same scikit-learn model (the
             joblib file, loaded in MLflow's venv when its scikit-learn version is the same, refitted
             there otherwise), written by mlflow.sklearn.save_model with a signature. Only with
             --with-mlflow (or --servers …,mlflow): it lives in a venv of its own,
             scripts/bench/.venv-mlflow (pinned MLFLOW_PIN below, made on first use; ~850 MB). If it
             does not install or serve, its rows say why and the rest of the run goes on.
  nginx      nginx returning a static answer: `location = /invocations { return 200 '<answer>'; }`
             with the 1-row answer (the 100-row answer at /invocations-100); worker_processes 2,
             access log off. No model: it is the ceiling of HTTP on this machine.

Figures, per server, body and connection count:
  req/s     wrk -t2 -cC -dDs --latency -s post.lua URL (post.lua: method POST, the Content-Type
            header, the body read from a file), after a warm-up run of --warmup seconds at 16
            connections per server and body (not counted). Requests/sec, and the 50% and 99% lines
            of wrk's latency distribution. "Non-2xx or 3xx responses" and socket errors must be 0;
            a row with any says so.
  RSS       VmHWM (the peak resident set) of the server's processes from /proc/PID/status, read
            after its last wrk run; summed over the process tree (uvicorn's workers, nginx's
            workers, MLflow's CLI and its uvicorn), so shared pages are counted once per process.
  ready     spawn to the first 200 on GET /ping, polled every 5 ms (for mlsh: the model file
            loaded and its SHA-256 checked; for FastAPI: interpreter start, imports, joblib.load).
Ratios: req/s against nginx's and against FastAPI's with 1 worker, for the same body and
connection count.

Quality, before any timing: each server gets the 1-row, the 100-row and a --check-rows body (default
all 20,000 rows in one request); its predictions are compared with scikit-learn's for the same rows
(model.predict in the bench's venv) and with mlsh's answers. nginx's answer is scikit-learn's
1-row / 100-row answer, written into its configuration.

On this machine wrk runs on the same cores as the server: with 2 cores, wrk's 2 threads take a good
part of the CPU the server could use, for every server alike. The figures are for loopback and this
machine, not a network. Goal (issue): at 16 connections, mlsh at least 0.4x the nginx ceiling and
p99 at most 2 ms.

--reps runs every server --reps times (a fresh start each time, servers round robin); medians.
The Python peers run without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (see bench_data.peer_env); mlsh
keeps the environment as it is. Data: seeded (numpy default_rng(7)), written once under
scripts/bench/data/ when missing (`bench_serve.py --generate` rewrites it). Normally started by
`scripts/bench/run serve`, which adds the pinned FastAPI, uvicorn and joblib to the bench's venv and
installs nginx and wrk (apt-get) when missing.
"""
import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_data import ROOT, fail_reason, last_line, med, mlsh_version, peer_env, rel, run_measured, table  # noqa: E402
from bench_models import _floats, _write_csv, q  # noqa: E402

DATA = HERE / "data"
FILE = DATA / "serve-logistic-20k.csv"
ROWS, P, SEED = 20_000, 20, 7
FEATURES = [f"x{j}" for j in range(P)]
SERVERS = ["mlsh", "fastapi1", "fastapi2", "mlflow", "nginx"]
DEFAULT_SERVERS = ["mlsh", "fastapi1", "fastapi2", "nginx"]
LABEL = {"mlsh": "mlsh serve", "fastapi1": "FastAPI (1 worker)", "fastapi2": "FastAPI (2 workers)",
         "mlflow": "mlflow models serve", "nginx": "nginx (static)"}
MLSH_FIT = "fit logistic y ~ . on d C=1 max_iter=1000 as m"
SKLEARN_WHAT = "LogisticRegression(C=1, max_iter=1000, tol=1e-8)"
MLFLOW_PIN = "mlflow==3.17.2"  # 3.18.0 needs mlflow-tracing==3.18.0, not on PyPI when this was pinned
MLFLOW_VENV = HERE / ".venv-mlflow"
READY_POLL = 0.005
GOAL_NGINX, GOAL_P99 = 0.4, 0.002


# ----------------------------------------------------------------------------------------------
# Data (`bench_serve.py --generate` in a child process)

def generate(rows=None, out=None):
    """Writes the data set. Deterministic: numpy default_rng(7), the draws in this order:
    x0..x19 ~ N(0,1) (rows x 20); w_j ~ N(0, 0.5); y = 1 with probability sigmoid(-0.3 + sum w_j x_j)
    (one uniform draw per row), else 0. The sum is taken column by column (no BLAS), so y is
    bit-identical everywhere; x written %.6g."""
    import numpy as np
    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    n = rows or ROWS
    out = Path(out) if out else FILE
    x = rng.standard_normal((n, P))
    w = rng.normal(0.0, 0.5, P)
    z = np.full(n, -0.3)
    for j in range(P):
        z += w[j] * x[:, j]
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-z))).astype(np.int64)
    _write_csv(out, FEATURES + ["y"], [_floats(x[:, j]) for j in range(P)]
               + [lambda a, b: [str(v) for v in y[a:b].tolist()]], n)
    size = out.stat().st_size
    print(f"wrote {out} : {n:,} rows, {size:,} bytes ({size / 1e6:.1f} MB), {int(y.sum()):,} of class 1, "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)


def ensure_data():
    if not FILE.exists():
        print(f"bench: generating {rel(FILE)}", file=sys.stderr)
        subprocess.run([sys.executable, __file__, "--generate"], check=True, env=peer_env())


def read_rows(n):
    """The data set's first n rows as CSV text (the 20 features), and their header: nothing parsed."""
    with open(FILE, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        if header[:P] != FEATURES:
            raise SystemExit(f"bench: {rel(FILE)}: unexpected header {header[:P]}")
        rows = []
        for line in f:
            if len(rows) >= n:
                break
            rows.append(",".join(line.rstrip("\n").split(",")[:P]))
    return rows


def scoring_body(rows):
    """The MLflow scoring body for rows (CSV text, numbers written %.6g: valid JSON numbers)."""
    cols = ",".join(f'"{c}"' for c in FEATURES)
    return ('{"dataframe_split":{"columns":[' + cols + '],"data":[' + ",".join(f"[{r}]" for r in rows)
            + "]}}").encode()


# ----------------------------------------------------------------------------------------------
# The models

PREP_CODE = r'''
import sys, json, time
import numpy as np, pandas as pd, sklearn, joblib
from sklearn.linear_model import LogisticRegression
data, out, pred_out, n_check = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
df = pd.read_csv(data, engine="c")
X = df[[f"x{j}" for j in range(20)]].to_numpy(dtype=np.float64)
y = df["y"].to_numpy()
t0 = time.perf_counter()
model = LogisticRegression(C=1.0, max_iter=1000, tol=1e-8).fit(X, y)
fit = time.perf_counter() - t0
joblib.dump(model, out)
with open(pred_out, "w") as f:
    json.dump(model.predict(X[:n_check]).tolist(), f)
print(json.dumps({"fit": fit, "iterations": int(np.max(model.n_iter_)), "sklearn": sklearn.__version__,
                  "note": f"scikit-learn {sklearn.__version__}, joblib {joblib.__version__}, numpy {np.__version__}"}))
'''

APP_CODE = r'''"""FastAPI app of bench_serve.py: MLflow scoring (dataframe_split) with a joblib-dumped model."""
import os

import joblib
import numpy as np
from fastapi import FastAPI
from pydantic import BaseModel

model = joblib.load(os.environ["BENCH_MODEL"])
FEATURES = os.environ["BENCH_FEATURES"].split(",")
app = FastAPI()


class Split(BaseModel):
    columns: list[str]
    data: list[list[float]]


class Scoring(BaseModel):
    dataframe_split: Split


@app.get("/ping")
async def ping():
    return {}


@app.post("/invocations")
async def invocations(body: Scoring):
    s = body.dataframe_split
    X = np.asarray(s.data, dtype=np.float64)
    if s.columns != FEATURES:
        X = X[:, [s.columns.index(c) for c in FEATURES]]
    return {"predictions": model.predict(X).tolist()}
'''

MLFLOW_SAVE_CODE = r'''
import sys, json
import numpy as np, pandas as pd, sklearn, joblib, mlflow, mlflow.sklearn
from mlflow.models import infer_signature
from sklearn.linear_model import LogisticRegression
model_file, data, out, sk_version = sys.argv[1:5]
df = pd.read_csv(data, engine="c", nrows=None if sklearn.__version__ != sk_version else 5)
X = df[[f"x{j}" for j in range(20)]]
if sklearn.__version__ == sk_version:
    model, how = joblib.load(model_file), "the joblib file"
else:
    model = LogisticRegression(C=1.0, max_iter=1000, tol=1e-8).fit(X.to_numpy(dtype=np.float64), df["y"].to_numpy())
    how = f"refitted (scikit-learn {sklearn.__version__} here, {sk_version} in the bench's venv)"
sig = infer_signature(X.iloc[:5], model.predict(X.iloc[:5].to_numpy(dtype=np.float64)))
mlflow.sklearn.save_model(model, out, signature=sig, pip_requirements=[f"scikit-learn=={sklearn.__version__}"])
print(json.dumps({"how": how, "note": f"mlflow {mlflow.__version__}, scikit-learn {sklearn.__version__}"}))
'''


def mlsh_model(binary, tmp, timeout):
    f = tmp / "model.mlsm"
    try:
        r = run_measured([str(binary), "-c", f"load {q(FILE)} as d; {MLSH_FIT}; save m {q(f)}"], None, timeout)
    except OSError as e:
        return None, f"cannot run {rel(binary)}: {e}"
    if r.rc != 0 or not f.exists():
        return None, fail_reason(r, "mlsh")
    return f, None


def sklearn_model(tmp, n_check, timeout):
    r = run_measured([sys.executable, "-c", PREP_CODE, str(FILE), str(tmp / "model.joblib"),
                      str(tmp / "sklearn-pred.json"), str(n_check)], peer_env(), timeout)
    if r.rc != 0:
        return None, fail_reason(r, "scikit-learn")
    res = json.loads(last_line(r.out))
    res["pred"] = json.loads((tmp / "sklearn-pred.json").read_text())
    return res, None


def mlflow_python():
    return MLFLOW_VENV / "bin" / "python"


def mlflow_env():
    env = peer_env()
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = f"{MLFLOW_VENV / 'bin'}:{env.get('PATH', '')}"
    env.update(MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="1")  # no calls home from the benchmark
    return env


def ensure_mlflow(timeout):
    """MLflow's venv with MLFLOW_PIN; returns None when it is ready, else why not."""
    py = mlflow_python()
    stamp = MLFLOW_VENV / "pins"
    try:
        if stamp.exists() and stamp.read_text().strip() == MLFLOW_PIN and subprocess.run(
                [str(py), "-c", "import mlflow"], capture_output=True, timeout=120).returncode == 0:
            return None
        print(f"bench: setting up {rel(MLFLOW_VENV)} ({MLFLOW_PIN}; a few minutes, ~850 MB)", file=sys.stderr)
        t0 = time.perf_counter()
        if not py.exists():
            subprocess.run(["python3", "-m", "venv", str(MLFLOW_VENV)], check=True, capture_output=True, timeout=300)
        r = subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", MLFLOW_PIN],
                           capture_output=True, text=True, timeout=timeout, env=mlflow_env())
        if r.returncode != 0:
            return f"pip install {MLFLOW_PIN} failed: {last_line(r.stderr) or last_line(r.stdout)}"[:240]
        stamp.write_text(MLFLOW_PIN + "\n")
        print(f"bench: {MLFLOW_PIN} installed in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        return None
    except subprocess.TimeoutExpired:
        return f"installing {MLFLOW_PIN} took longer than {timeout:.0f} s"
    except (OSError, subprocess.CalledProcessError) as e:
        return f"cannot make {rel(MLFLOW_VENV)}: {e}"


def mlflow_model(tmp, sk_version, timeout):
    out = tmp / "mlflow-model"
    r = run_measured([str(mlflow_python()), "-c", MLFLOW_SAVE_CODE, str(tmp / "model.joblib"), str(FILE), str(out),
                      sk_version], mlflow_env(), timeout)
    if r.rc != 0:
        return None, fail_reason(r, "mlflow.sklearn.save_model")
    return json.loads(last_line(r.out)) | {"dir": out}, None


# ----------------------------------------------------------------------------------------------
# Servers

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NGINX_CONF = """daemon off;
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location = /ping {{ return 200 ''; }}
        location = /invocations {{ default_type application/json; return 200 '{answer1}'; }}
        location = /invocations-100 {{ default_type application/json; return 200 '{answer100}'; }}
    }}
}}
"""


class Server:
    def __init__(self, name, proc, port, log):
        self.name, self.proc, self.port, self.log = name, proc, port, log
        self.ready = None

    def path(self, rows):
        return "/invocations-100" if self.name == "nginx" and rows == 100 else "/invocations"

    def url(self, rows):
        return f"http://127.0.0.1:{self.port}{self.path(rows)}"

    def log_tail(self):
        try:
            return last_line(self.log.read_text(errors="replace")) or "no output"
        except OSError:
            return "no output"


def start(name, ctx, tmp):
    """Spawns a server; returns (Server, None) once GET /ping answers 200, or (None, why)."""
    port = free_port()
    d = tmp / name
    d.mkdir(exist_ok=True)
    log = d / "server.log"
    env, cwd = peer_env(), str(d)
    if name == "mlsh":
        argv = [str(ctx["mlsh_bin"]), "serve", str(ctx["mlsm"]), "--port", str(port), "--host", "127.0.0.1"]
        env = None
    elif name.startswith("fastapi"):
        (d / "app.py").write_text(APP_CODE)
        env.update(BENCH_MODEL=str(tmp / "model.joblib"), BENCH_FEATURES=",".join(FEATURES))
        argv = [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port),
                "--workers", name[-1], "--no-access-log", "--log-level", "warning"]
    elif name == "mlflow":
        env = mlflow_env()
        argv = [str(MLFLOW_VENV / "bin" / "mlflow"), "models", "serve", "-m", str(ctx["mlflow_dir"]),
                "--env-manager", "local", "-h", "127.0.0.1", "-p", str(port), "-w", "1"]
    else:
        (d / "nginx.conf").write_text(NGINX_CONF.format(dir=d, port=port, answer1=ctx["answers"][1],
                                                        answer100=ctx["answers"][100]))
        argv = ["nginx", "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "error.log")]
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    env=env, cwd=cwd, start_new_session=True)
        except OSError as e:
            return None, f"cannot start {argv[0]}: {e}"
    s = Server(name, proc, port, log)
    deadline = t0 + ctx["ready_timeout"]
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/ping")
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200:
                s.ready = time.perf_counter() - t0
                return s, None
        except OSError:
            pass
        if proc.poll() is not None:
            why = f"exit {proc.returncode} before it was ready: {s.log_tail()}"[:240]
            stop(s)
            return None, why
        if time.perf_counter() > deadline:
            stop(s)
            return None, f"not ready after {ctx['ready_timeout']:.0f} s: {s.log_tail()}"[:240]
        time.sleep(READY_POLL)


def stop(s):
    """SIGTERM to the server's process group (it was started in a session of its own), SIGKILL after
    15 s. Returns the exit code of the process started."""
    if s.proc.poll() is None:
        try:
            os.killpg(s.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            s.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(s.proc.pid, signal.SIGKILL)
            s.proc.wait()
    try:  # stragglers of the group (workers whose parent is gone)
        os.killpg(s.proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return s.proc.returncode


def process_tree(root):
    children = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(p.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def tree_hwm_mb(root):
    """VmHWM summed over root's process tree, in MB (1e6 bytes)."""
    kb = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    kb += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return kb * 1024 / 1e6 if kb else None


def post(port, path, body, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        r = c.getresponse()
        data = r.read()
    finally:
        c.close()
    if r.status != 200:
        raise ValueError(f"HTTP {r.status}: {data[:160].decode('utf-8', 'replace')}")
    preds = json.loads(data)["predictions"]
    return [norm(v) for v in preds]


def norm(v):
    """A class label as text: 1, 1.0 and true all read "1"."""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dict) and len(v) == 1:
        return norm(next(iter(v.values())))
    return str(v)


# ----------------------------------------------------------------------------------------------
# wrk

POST_LUA = """-- bench_serve.py: POST the body in the file $WRK_BODY as JSON
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = f:read("*a")
f:close()
"""
WRK_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
WRK_LAT_RE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([0-9.]+)(us|ms|s|m|h)\s*$")


def parse_wrk(out):
    res = {"non2xx": 0, "socket_errors": 0}
    for line in out.splitlines():
        if m := re.match(r"^Requests/sec:\s+([0-9.]+)", line.strip()):
            res["rps"] = float(m.group(1))
        elif m := WRK_LAT_RE.match(line):
            res["p" + m.group(1)] = float(m.group(2)) * WRK_UNIT[m.group(3)]
        elif m := re.match(r"^\s*Non-2xx or 3xx responses:\s+(\d+)", line):
            res["non2xx"] = int(m.group(1))
        elif m := re.match(r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", line):
            res["socket_errors"] = sum(int(g) for g in m.groups())
        elif m := re.match(r"^\s*(\d+) requests in ([0-9.]+)(\w+)", line):
            res["requests"] = int(m.group(1))
    return res


def wrk(url, body_file, conns, duration, lua):
    argv = ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency", "-s", str(lua), url]
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60,
                           env=dict(os.environ, WRK_BODY=str(body_file)))
    except subprocess.TimeoutExpired:
        return None, "wrk timed out"
    res = parse_wrk(r.stdout)
    if r.returncode != 0 or "rps" not in res:
        return None, f"wrk exit {r.returncode}: {last_line(r.stderr) or last_line(r.stdout) or 'no output'}"[:200]
    return res, None


# ----------------------------------------------------------------------------------------------
# Report

def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "n/a"


def ms(x):
    return "n/a" if x is None else format(x * 1e3, ".3g")


def body_name(rows):
    return "1 row" if rows == 1 else f"{rows} rows"


def versions():
    out = {}
    for pkg in ("fastapi", "uvicorn", "starlette", "pydantic", "uvloop", "httptools", "scikit-learn", "joblib",
                "numpy"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def tool_version(argv, pattern):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        m = re.search(pattern, r.stdout + r.stderr)
        return m.group(1) if m else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", help=f"comma list of {', '.join(SERVERS)} (default all but mlflow)")
    ap.add_argument("--with-mlflow", action="store_true", help="add mlflow (installs its venv on first use)")
    ap.add_argument("--reps", type=int, default=1, help="starts of each server, round robin (default 1)")
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    ap.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per server and body (default 2)")
    ap.add_argument("--conns", default="16,64", help="comma list of connection counts (default 16,64)")
    ap.add_argument("--bodies", default="1,100", help="comma list of rows per request (1 and/or 100)")
    ap.add_argument("--check-rows", type=int, default=ROWS, help=f"rows of the quality request (default {ROWS:,})")
    ap.add_argument("--ready-timeout", type=float, default=120, help="seconds a server may take to start")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per set-up process (default 900)")
    ap.add_argument("--generate", action="store_true", help="only write the data set")
    ap.add_argument("--rows", type=int, help="with --generate: rows (default 20,000)")
    ap.add_argument("--out", type=Path, help="with --generate: file (default scripts/bench/data/…)")
    a = ap.parse_args()
    if a.generate:
        generate(a.rows, a.out)
        return
    servers = [s.strip() for s in (a.servers or ",".join(DEFAULT_SERVERS)).split(",") if s.strip()]
    if a.with_mlflow and "mlflow" not in servers:
        servers.append("mlflow")
    if bad := [s for s in servers if s not in SERVERS]:
        sys.exit(f"bench: unknown server(s) {', '.join(bad)}; choose from {', '.join(SERVERS)}")
    servers = [s for s in SERVERS if s in servers]
    conns = [int(c) for c in a.conns.split(",") if c.strip()]
    bodies = [int(b) for b in a.bodies.split(",") if b.strip()]
    if bad := [b for b in bodies if b not in (1, 100)]:
        sys.exit(f"bench: --bodies takes 1 and/or 100, not {bad}")
    for tool in ("wrk",) + (("nginx",) if "nginx" in servers else ()):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is missing (scripts/bench/run serve installs it with apt-get)")
    ensure_data()
    n_check = max(min(a.check_rows, ROWS), max(bodies))
    mlsh_bin = Path(os.environ.get("MLSH") or ROOT / ".build" / "release" / "mlsh")
    if not mlsh_bin.is_absolute():
        mlsh_bin = ROOT / mlsh_bin

    v = versions()
    print(f"# mlsh serving benchmark — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
          f"python {platform.python_version()}, load average {os.getloadavg()[0]:.2f} at the start")
    print(f"mlsh: {rel(mlsh_bin)} {mlsh_version(mlsh_bin) if mlsh_bin.exists() else '(missing)'}"
          + ("  (a debug build: its figures are not representative)" if "debug" in mlsh_bin.parts else ""))
    print(f"model: logistic regression, {P} features, on {rel(FILE)}; requests: MLflow scoring JSON "
          f"(dataframe_split) of {' and '.join(body_name(b) for b in bodies)}")
    print(f"method: wrk {tool_version(['wrk', '-v'], r'wrk (?:debian/)?([0-9][^ ]*)')} -t2 -c{{{','.join(map(str, conns))}}} "
          f"-d{a.duration}s --latency on loopback, after {a.warmup} s of warm-up per server and body; "
          f"{a.reps} start(s) of each server, round robin; medians")
    print(f"note: wrk runs on the same {os.cpu_count()} cores as the server: its 2 threads compete with the "
          "server for the CPU (every server alike)")
    print()

    tmp = Path(tempfile.mkdtemp(prefix="mlsh-bench-serve-"))
    failed, notes = {}, []
    try:
        def fail(s, why):
            failed.setdefault(s, why)
            print(f"  {s}: n/a ({why})", file=sys.stderr)

        # the models and the bodies
        sk, why = sklearn_model(tmp, n_check, a.timeout)
        if sk is None:
            sys.exit(f"bench: the scikit-learn model failed: {why}")
        notes.append(f"scikit-learn model: {SKLEARN_WHAT}, {sk['iterations']} lbfgs iterations; {sk['note']}")
        ctx = {"mlsh_bin": mlsh_bin, "ready_timeout": a.ready_timeout,
               "answers": {n: json.dumps({"predictions": sk["pred"][:n]}, separators=(",", ":")) for n in (1, 100)}}
        if "mlsh" in servers:
            if not mlsh_bin.exists():
                fail("mlsh", f"no binary at {rel(mlsh_bin)}; scripts/bench/run builds it, or set MLSH=path")
            else:
                ctx["mlsm"], why = mlsh_model(mlsh_bin, tmp, a.timeout)
                if why:
                    fail("mlsh", why)
        if "mlflow" in servers:
            why = ensure_mlflow(a.timeout)
            if not why:
                mf, why = mlflow_model(tmp, sk["sklearn"], a.timeout)
            if why:
                fail("mlflow", why)
            else:
                ctx["mlflow_dir"] = mf["dir"]
                notes.append(f"mlflow: {MLFLOW_PIN} in {rel(MLFLOW_VENV)}, the model: {mf['how']}; {mf['note']}")
        rows = read_rows(n_check)
        body_files = {}
        for n in sorted(set(bodies) | {1, 100, n_check}):
            body_files[n] = tmp / f"body-{n}.json"
            body_files[n].write_bytes(scoring_body(rows[:n]))
        lua = tmp / "post.lua"
        lua.write_text(POST_LUA)
        ref = sk["pred"]

        results = {}  # (server, rows, conns) -> [wrk result]
        rss, ready, quality, exits = {}, {}, {}, {}
        for rep in range(a.reps):
            for s_name in servers:
                if s_name in failed:
                    continue
                srv, why = start(s_name, ctx, tmp)
                if srv is None:
                    fail(s_name, why)
                    continue
                try:
                    ready.setdefault(s_name, []).append(srv.ready)
                    print(f"  rep {rep + 1}/{a.reps} {s_name}: ready in {srv.ready * 1e3:.0f} ms", file=sys.stderr)
                    if rep == 0 and s_name != "nginx":  # quality, before any timing
                        quality[s_name] = {}
                        for n in sorted({1, 100, n_check}):
                            try:
                                quality[s_name][n] = post(srv.port, srv.path(n), body_files[n].read_bytes())
                            except (OSError, ValueError, KeyError, TypeError) as e:
                                quality[s_name][n] = f"{type(e).__name__}: {e}"[:160]
                    for n in bodies:
                        if a.warmup > 0:
                            _, why = wrk(srv.url(n), body_files[n], 16, a.warmup, lua)
                            if why:
                                print(f"  {s_name} warm-up {body_name(n)}: {why}", file=sys.stderr)
                        for c in conns:
                            res, why = wrk(srv.url(n), body_files[n], c, a.duration, lua)
                            if res is None:
                                print(f"  rep {rep + 1}/{a.reps} {s_name} {body_name(n)} c{c}: {why}", file=sys.stderr)
                                continue
                            results.setdefault((s_name, n, c), []).append(res)
                            print(f"  rep {rep + 1}/{a.reps} {s_name} {body_name(n)} c{c}: {res['rps']:,.0f} req/s, "
                                  f"p50 {ms(res.get('p50'))} ms, p99 {ms(res.get('p99'))} ms"
                                  + (f", {res['non2xx']} non-2xx" if res["non2xx"] else "")
                                  + (f", {res['socket_errors']} socket errors" if res["socket_errors"] else ""),
                                  file=sys.stderr)
                    rss.setdefault(s_name, []).append(tree_hwm_mb(srv.proc.pid))
                finally:
                    exits.setdefault(s_name, []).append(stop(srv))

        # quality
        qrows = []
        for s_name in servers:
            if s_name == "nginx" and s_name not in failed:
                qrows.append([LABEL[s_name], "static: scikit-learn's 1-row / 100-row answers", ""])
                continue
            if s_name not in quality:
                continue
            cells = {"sk": [], "mlsh": []}
            for n, got in sorted(quality[s_name].items()):
                for key, want in (("sk", ref[:n]), ("mlsh", quality.get("mlsh", {}).get(n))):
                    if isinstance(got, str):
                        cells[key].append(f"{n:,} rows: {got}")
                    elif not isinstance(want, list):
                        cells[key].append("n/a")
                    elif len(got) != n:
                        cells[key].append(f"{len(got):,} answers to {n:,} rows")
                    else:
                        same = sum(x == str(y) for x, y in zip(got, want))
                        cells[key].append(f"{same:,}/{n:,}" + (f" ({same / n:.4%})" if same != n else ""))
            qrows.append([LABEL[s_name], " · ".join(cells["sk"]),
                          "-" if s_name == "mlsh" else " · ".join(cells["mlsh"])])
        sizes = " / ".join(f"{n:,}" for n in sorted({1, 100, n_check}))
        print(f"## Quality: predictions before timing ({sizes} rows, the data set's first)")
        print(table(["server", "same class as scikit-learn", "same class as mlsh serve"], qrows, right=set()))
        print()

        # throughput
        trows = []
        summary = {}
        for (s_name, n, c), rs in results.items():
            summary[(s_name, n, c)] = {k: med(r.get(k) for r in rs) for k in ("rps", "p50", "p99")}
            summary[(s_name, n, c)]["bad"] = sum(r["non2xx"] + r["socket_errors"] for r in rs)
        for s_name in servers:
            for n in bodies:
                for c in conns:
                    m = summary.get((s_name, n, c))
                    if m is None:
                        if s_name in failed:
                            trows.append([LABEL[s_name], body_name(n), c, f"n/a ({failed[s_name]})"[:110]]
                                         + [""] * 6)
                        continue
                    ng = summary.get(("nginx", n, c), {}).get("rps")
                    fa = summary.get(("fastapi1", n, c), {}).get("rps")
                    bad = f"  ({m['bad']} non-2xx/socket errors!)" if m["bad"] else ""
                    trows.append([LABEL[s_name], body_name(n), c, f"{m['rps']:,.0f}{bad}", ratio(m["rps"], ng),
                                  ratio(m["rps"], fa), ms(m["p50"]), ms(m["p99"]),
                                  f"{med(rss.get(s_name, [])):.1f}" if med(rss.get(s_name, [])) else "n/a",
                                  f"{med(ready[s_name]) * 1e3:.0f}" if ready.get(s_name) else "n/a"])
        print(f"## Throughput: wrk -t2, {a.duration} s per row, loopback")
        print(table(["server", "body", "conns", "req/s", "/ nginx", "/ FastAPI 1w", "p50 (ms)", "p99 (ms)",
                     "RSS (MB)", "ready (ms)"], trows, right={2, 3, 4, 5, 6, 7, 8, 9}))
        print("RSS: VmHWM summed over the server's process tree; ready: spawn to the first 200 on GET /ping")
        for s_name in servers:
            if s_name in failed and any(k[0] == s_name for k in summary):
                print(f"{s_name}: some runs failed ({failed[s_name]})")
            codes = [e for e in exits.get(s_name, []) if e not in (0, None, -signal.SIGTERM)]
            if s_name == "mlsh" and codes:
                print(f"mlsh serve: exit {codes[0]} after SIGTERM (expected 0)")
        # the goal
        if "mlsh" in servers and "nginx" in servers and 16 in conns:
            parts = []
            for n in bodies:
                m, ng = summary.get(("mlsh", n, 16)), summary.get(("nginx", n, 16))
                if not m or not ng:
                    continue
                r, fa = m["rps"] / ng["rps"], summary.get(("fastapi1", n, 16), {}).get("rps")
                ok = r >= GOAL_NGINX and m["p99"] is not None and m["p99"] <= GOAL_P99
                parts.append(f"{body_name(n)}: {r:.2f}x nginx, p99 {ms(m['p99'])} ms"
                             + (f", {m['rps'] / fa:.1f}x FastAPI" if fa else "") + (" — met" if ok else " — not met"))
            if parts:
                print(f"goal (16 connections: >= {GOAL_NGINX}x nginx, p99 <= {GOAL_P99 * 1e3:.0f} ms): "
                      + "; ".join(parts))
        print()
        peers = [f"fastapi {v['fastapi']}, starlette {v['starlette']}, pydantic {v['pydantic']}, "
                 f"uvicorn {v['uvicorn']} (uvloop {v['uvloop'] or 'missing'}, httptools {v['httptools'] or 'missing'})"
                 ] if any(s.startswith("fastapi") for s in servers) else []
        if "nginx" in servers:
            peers.append(f"nginx {tool_version(['nginx', '-v'], r'nginx/([0-9.]+)')}, worker_processes 2")
        print("peers: " + "\n       ".join(peers + notes))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
