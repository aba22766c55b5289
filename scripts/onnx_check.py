"""Checks ONNX files that mlsh exported against the answers mlsh gave, all cases in one Python start.

    py="$(scripts/onnx-venv)" && "$py" scripts/onnx_check.py [--tolerance 1e-9] MANIFEST.json

MANIFEST.json is a JSON list of cases:
    {"name": "mtcars-linear", "onnx": "/path/model.onnx", "rows": "/path/rows.jsonl",
     "expected": "/path/expected.jsonl"}
rows.jsonl holds one raw input row per line (column name -> number, string, bool, or null/absent for
missing); expected.jsonl one answer of mlsh per row, same count and order:
    {"answered": true|false, "value": number|string|bool|null, "probabilities": [numbers]|null}

Each case: onnx.checker.check_model(full_check=True), an onnxruntime CPU session, one run over all
rows, then the outputs by name (`answered` bool [N]; `prediction` double [N,1] for regression;
`label` [N] and `probabilities` double [N,k] for classification; `cluster` int64 [N] for clustering)
are compared with the expected answers. Every graph input is fed from the rows:
    tensor(double): number -> float, true/false -> 1/0, "YYYY-MM-DD" -> days since 1970-01-01, any
                    other string -> float(text) or NaN when it is not a number, null/absent -> NaN
    tensor(string): string as is, null/absent -> "", number -> its JSON text as written in rows.jsonl
                    (3 -> "3", 2.5 -> "2.5"), true/false -> "true"/"false"
A case passes when the row counts agree, `answered` equals the expected row by row, labels or clusters
are equal on answered rows (a differing label where mlsh's top two probabilities are within 1e-9 counts
as a near tie, not a failure) and the largest relative error |onnx-mlsh| / max(1, |mlsh|) of
predictions or probabilities is at most --tolerance.

Prints one JSON line per case; a case whose checker, session or run raises prints
{"name", "ok": false, "stage", "error"} and the next case goes on. Exits 0 when every case is ok, else 1.
"""
import argparse
import datetime
import json
import math
import re
import sys

import numpy as np
import onnx
import onnxruntime as ort

NEAR_TIE = 1e-9
MAX_MISMATCHES = 10
EPOCH = datetime.date(1970, 1, 1)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class JInt(int):
    """An int from JSON that keeps the text it was written as."""
    text = ""


class JFloat(float):
    """A float from JSON that keeps the text it was written as."""
    text = ""


def _jint(s):
    v = JInt(int(s))
    v.text = s
    return v


def _jfloat(s):
    v = JFloat(float(s))
    v.text = s
    return v


def read_jsonl(path, keep_text=False):
    hooks = {"parse_int": _jint, "parse_float": _jfloat} if keep_text else {}
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line, **hooks))
                except ValueError as e:
                    raise ValueError(f"{path}:{n}: {e}") from None
    return out


def to_double(v):
    if v is None:
        return math.nan
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        s = v.strip()
        if DATE.match(s):
            try:
                return float((datetime.date.fromisoformat(s) - EPOCH).days)
            except ValueError:
                return math.nan
        try:
            return float(s) if s else math.nan
        except ValueError:
            return math.nan
    raise TypeError(f"cannot feed {v!r} to a double input")


def to_string(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (JInt, JFloat)):
        return v.text
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        return v
    raise TypeError(f"cannot feed {v!r} to a string input")


def feeds_for(sess, rows):
    n = len(rows)
    feeds = {}
    for inp in sess.get_inputs():
        col = [row.get(inp.name) for row in rows]
        shape = (n,) if len(inp.shape) == 1 else (n, 1)
        if inp.type == "tensor(double)":
            feeds[inp.name] = np.array([to_double(v) for v in col], dtype=np.float64).reshape(shape)
        elif inp.type == "tensor(string)":
            feeds[inp.name] = np.array([to_string(v) for v in col], dtype=object).reshape(shape)
        else:
            raise TypeError(f"input {inp.name!r} has type {inp.type}, not tensor(double) or tensor(string)")
    return feeds


def plain(v):
    """A JSON-safe form of a value from numpy or JSON, for the mismatch details."""
    if isinstance(v, np.ndarray):
        return [plain(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    if isinstance(v, JInt):
        return int(v)
    if isinstance(v, float):
        return float(v) if math.isfinite(v) else repr(float(v))
    return v


def label_key(v):
    """Labels compare by kind (bool / number / string) and value: 1 and 1.0 agree, 1 and "1" do not."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bytes):
        v = v.decode("utf-8")
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, (int, float)):
        return ("number", float(v))
    if isinstance(v, str):
        return ("string", v)
    return ("other", repr(v))


def top_two_gap(probs):
    if probs is None or len(probs) < 2:
        return math.inf
    a, b = sorted((float(p) for p in probs), reverse=True)[:2]
    return a - b


class Case:
    def __init__(self, name, tolerance):
        self.name = name
        self.tolerance = tolerance
        self.max_abs = 0.0
        self.max_rel = 0.0
        self.nonfinite = 0
        self.mismatches = []
        self.mismatch_count = 0
        self.failed = False

    def mismatch(self, **detail):
        self.failed = True
        self.mismatch_count += 1
        if len(self.mismatches) < MAX_MISMATCHES:
            self.mismatches.append({k: plain(v) for k, v in detail.items()})

    def number(self, row, what, got, want):
        """Compares one number of ONNX (got) with mlsh's (want)."""
        if want is None or isinstance(want, (bool, str)):
            self.mismatch(row=row, what=what, onnx=got, expected=want, why="expected is not a number")
            return
        got, want = float(got), float(want)
        if not (math.isfinite(got) and math.isfinite(want)):
            if not (got == want or (math.isnan(got) and math.isnan(want))):
                self.nonfinite += 1
                self.mismatch(row=row, what=what, onnx=got, expected=want)
            return
        err = abs(got - want)
        rel = err / max(1.0, abs(want))
        self.max_abs = max(self.max_abs, err)
        self.max_rel = max(self.max_rel, rel)
        if rel > self.tolerance:
            self.mismatch(row=row, what=what, onnx=got, expected=want, abs=err, rel=rel)


def output_rows(outs, name, n, case, columns=False):
    """Output `name` as an array of n rows (n x k when columns), or None after noting a mismatch."""
    if name not in outs:
        case.mismatch(what="output", output=name, why="missing from the graph's outputs")
        return None
    a = np.asarray(outs[name])
    first = a.shape[0] if a.ndim else None
    if first != n:
        case.mismatch(what="length", output=name, shape=list(a.shape), rows=n)
        return None
    return a.reshape(n, -1) if columns else a.reshape(n)


def check_case(spec, tolerance):
    # A case may set its own bounds (a float32 graph: "tolerance": 1e-6, "near_tie": 1e-6).
    tolerance = spec.get("tolerance", tolerance)
    near_tie = spec.get("near_tie", NEAR_TIE)
    name = spec.get("name", spec.get("onnx"))
    result = {"name": name}
    stage = "read"
    try:
        path = spec["onnx"]
        rows = read_jsonl(spec["rows"], keep_text=True)
        expected = read_jsonl(spec["expected"])
        stage = "checker"
        onnx.checker.check_model(onnx.load(path), full_check=True)
        stage = "session"
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        stage = "run"
        names = [o.name for o in sess.get_outputs()]
        outs = dict(zip(names, sess.run(names, feeds_for(sess, rows))))
    except Exception as e:  # noqa: BLE001 -- any failure of this case is reported and the next goes on
        result.update(ok=False, stage=stage, error=f"{type(e).__name__}: {e}")
        return result

    n = len(rows)
    case = Case(name, tolerance)
    kind = ("classification" if "label" in outs else "regression" if "prediction" in outs
            else "clustering" if "cluster" in outs else None)
    labels_equal = None
    near_ties = 0
    n_answered = None
    if len(expected) != n:
        case.mismatch(what="length", rows=n, expected_rows=len(expected))
    elif kind is None:
        case.mismatch(what="output", outputs=names, why="none of prediction, label or cluster")
    else:
        answered = output_rows(outs, "answered", n, case)
        if answered is not None:
            answered = answered.astype(bool)
            n_answered = int(answered.sum())
            for i in range(n):
                want = expected[i].get("answered")
                if bool(answered[i]) != want:
                    case.mismatch(row=i, what="answered", onnx=bool(answered[i]), expected=want)
            both = [i for i in range(n) if answered[i] and expected[i].get("answered") is True]

            if kind == "regression":
                pred = output_rows(outs, "prediction", n, case, columns=True)
                if pred is not None:
                    if pred.shape[1] != 1:
                        case.mismatch(what="shape", output="prediction", shape=list(pred.shape))
                    else:
                        for i in both:
                            case.number(i, "prediction", pred[i, 0], expected[i].get("value"))

            elif kind == "classification":
                label = output_rows(outs, "label", n, case)
                probs = output_rows(outs, "probabilities", n, case, columns=True)
                if label is not None:
                    labels_equal = True
                    for i in both:
                        want = expected[i].get("value")
                        if label_key(label[i]) != label_key(want):
                            if top_two_gap(expected[i].get("probabilities")) < near_tie:
                                near_ties += 1
                            else:
                                labels_equal = False
                                case.mismatch(row=i, what="label", onnx=label[i], expected=want)
                if probs is not None:
                    for i in both:
                        want = expected[i].get("probabilities")
                        if not isinstance(want, list) or len(want) != probs.shape[1]:
                            case.mismatch(row=i, what="probabilities", onnx=probs[i], expected=want,
                                          why="count of classes differs")
                            continue
                        for j, w in enumerate(want):
                            case.number(i, f"probabilities[{j}]", probs[i, j], w)

            else:  # clustering
                cluster = output_rows(outs, "cluster", n, case)
                if cluster is not None:
                    labels_equal = True
                    for i in both:
                        want = expected[i].get("value")
                        ok = (isinstance(want, (int, float)) and not isinstance(want, bool)
                              and float(want) == float(cluster[i]))
                        if not ok:
                            labels_equal = False
                            case.mismatch(row=i, what="cluster", onnx=cluster[i], expected=want)

    result.update(
        kind=kind,
        rows=n,
        answered=n_answered,
        checker="ok",
        max_abs=case.max_abs,
        max_rel=case.max_rel,
        labels_equal=labels_equal,
        near_ties=near_ties,
        mismatches=case.mismatches,
    )
    if case.mismatch_count > len(case.mismatches):
        result["mismatch_count"] = case.mismatch_count
    if case.nonfinite:
        result["nonfinite"] = case.nonfinite
    result["ok"] = not case.failed and case.max_rel <= tolerance
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifest", help="JSON list of {name, onnx, rows, expected}")
    ap.add_argument("--tolerance", type=float, default=1e-9,
                    help="largest relative error |onnx-mlsh|/max(1,|mlsh|) allowed (default 1e-9)")
    args = ap.parse_args(argv)
    with open(args.manifest, encoding="utf-8") as f:
        cases = json.load(f)
    all_ok = True
    for spec in cases:
        result = check_case(spec, args.tolerance)
        all_ok = all_ok and result["ok"]
        print(json.dumps(result, allow_nan=False), flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
