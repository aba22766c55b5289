#!/usr/bin/env python3
"""Reads an mlsh model file (.mlsm) without mlsh, and predicts with it.

This program is the proof that docs/model-file.md is complete: it was written from that page alone
(Python's standard library and numpy, nothing of mlsh's), and a test (Tests/MLShellTests/
ModelFileReaderTests.swift) checks that its predictions agree with mlsh's on files mlsh wrote.

    python3 scripts/read_mlsm.py MODEL.mlsm RAW.csv > predictions.csv

It checks the file (magic, version, lengths, SHA-256), reads the header and the payload (zlib or
none; not encrypted), decodes the tensors (f64 f32 f16 int8 i64), runs the recipe's column steps
(fill with fill values, one-hot, scale) on the raw rows of the CSV and predicts with a linear
(ridge, lasso, elastic net) or logistic model. It prints one line per input row: `prediction`, and
for classifiers `p_CLASS` per class; a row without a feature after the recipe has none (empty).
"""
import csv
import hashlib
import json
import struct
import sys
import zlib

import numpy as np

MAGIC = b"\x89MLSM\r\n\x1a"
DTYPES = {"f64": "<f8", "f32": "<f4", "f16": "<f2", "i64": "<i8", "int8": "i1"}
ROW_STEPS = {"filter", "dropMissing", "dropDuplicates", "dropOutliers", "sample", "sort"}
MISSING = ("", "NA")  # the CSV texts mlsh reads as missing


class ModelFileError(Exception):
    pass


def need(ok, what):
    if not ok:
        raise ModelFileError("the model file is damaged: " + what)


def read_model(path):
    """Returns (model object, {tensor name: numpy array}) of an unencrypted .mlsm file."""
    data = open(path, "rb").read()
    if data[:8] != MAGIC:
        raise ModelFileError("this is not an mlsh model file (it does not start with the model file's magic bytes)")
    if len(data) < 16:
        raise ModelFileError("the model file ends early: it is truncated")
    version, hlen = struct.unpack_from("<II", data, 8)
    if version != 1:
        raise ModelFileError(f"this model file has format version {version}; this reader reads version 1")
    need(2 <= hlen <= 1_048_576, f"header length {hlen} is out of range")
    if len(data) < 16 + hlen + 8:
        raise ModelFileError("the model file ends early (in the header): it is truncated")
    (blen,) = struct.unpack_from("<Q", data, 16 + hlen)
    end = 24 + hlen + blen  # the end of the body: the SHA-256 covers everything before it
    if len(data) < end + 33:
        raise ModelFileError("the model file ends early (in the body): it is truncated")
    need(hashlib.sha256(data[:end]).digest() == data[end:end + 32], "its SHA-256 checksum does not match its content")
    kind = data[end + 32]
    need(kind in (0, 1), f"unknown signature kind {kind}")
    if len(data) < end + 33 + 96 * kind:
        raise ModelFileError("the model file ends early (in the signature): it is truncated")
    need(len(data) == end + 33 + 96 * kind, "bytes follow its end")
    header = json.loads(data[16:16 + hlen].decode("utf-8"))
    if "encryption" in header:
        raise ModelFileError("the model file is encrypted: this reader reads unencrypted files only")
    body = data[24 + hlen:end]
    compression = header["payload"]["compression"]
    need(compression in ("zlib", "none"), f"unknown compression {compression!r}")
    try:
        payload = zlib.decompress(body) if compression == "zlib" else body
    except zlib.error as e:
        raise ModelFileError(f"the model file is damaged: its body does not inflate ({e})")
    need(len(payload) == header["payload"]["bytes"] and len(payload) >= 8, "the payload's length does not fit")
    (jlen,) = struct.unpack_from("<Q", payload, 0)
    need(8 + jlen <= len(payload), "the model JSON's length does not fit")
    doc = json.loads(payload[8:8 + jlen].decode("utf-8"))
    start = (8 + jlen + 7) // 8 * 8  # the tensor buffers start at the next multiple of 8
    tensors = {}
    for t in doc["tensors"]:
        dtype = np.dtype(DTYPES[t["dtype"]])
        count = int(np.prod(t["shape"], dtype=np.int64))
        offset, length = t["offset"], t["length"]
        need(offset % 8 == 0 and length == count * dtype.itemsize and start + offset + length <= len(payload),
             f"tensor {t['name']} does not fit")
        a = np.frombuffer(payload, dtype, count, start + offset).reshape(t["shape"])
        if t["dtype"] == "int8":  # (q - zero_point[c]) * scale[c], c along axis
            scales, zeros = np.array(t["scales"], float), np.array(t["zero_points"], float)
            shape = [1] * a.ndim
            if "axis" in t:
                shape[t["axis"]] = -1
            a = (a.astype(float) - zeros.reshape(shape)) * scales.reshape(shape)
        tensors[t["name"]] = a if t["dtype"] == "i64" else a.astype(np.float64)
    model = doc["model"]
    need(model["features"] == header["features"], "the header's features differ from the model's")
    return model, tensors


def read_rows(path, inputs):
    """The CSV's columns as lists of Python values by the model's input types (None = missing)."""
    def convert(text, kind):
        if text is None or text in MISSING:
            return None
        if kind in ("float64", "int64"):
            return float(text)
        if kind == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError(f"{text!r} is not true or false")
            return text.lower() == "true"
        return text  # string (and date: kept as text)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return len(rows), {i["name"]: [convert(r.get(i["name"]), i["type"]) for r in rows] for i in inputs}


def apply_recipe(recipe, cols):
    """Runs the recipe's column steps, in order, on the columns (a dict, changed in place)."""
    for entry in recipe["entries"]:
        (kind, step), = entry["step"].items()
        (state_kind, state), = entry["state"].items() if entry["state"] else [("none", None)]
        if kind in ROW_STEPS:
            continue
        if kind == "fill" and state_kind == "fillValues":
            for name, value in zip(step["columns"], state["_0"]):
                (vkind, v), = value.items()
                fill = float(v["_0"]) if vkind == "number" else v["_0"]
                cols[name] = [fill if x is None else x for x in cols[name]]
        elif kind == "oneHot" and state_kind == "categories":
            for name, categories in zip(step["columns"], state["_0"]):
                values = cols.pop(name)
                unseen = {x for x in values if x is not None} - set(categories)
                if unseen and step["unknown"] == "error":
                    raise ValueError(f"{name}: a value not seen when the model was fitted: {sorted(unseen)[0]!r}")
                for c in categories[1:] if step["dropFirst"] else categories:
                    cols[f"{name}_{c}"] = [x == c for x in values]
        elif kind == "scale" and state_kind == "affine":
            for name, center, scale in zip(step["columns"], state["centers"], state["scales"]):
                center, scale = float(center), float(scale)
                cols[name] = [None if x is None else (x - center) / scale for x in cols[name]]
        else:
            raise NotImplementedError(f"recipe step {kind!r} (state {state_kind!r}) is not implemented by this reader: "
                                      f"{entry['command']}")
    return cols


def predict(model, tensors, x):
    """Predictions for the rows of x (NaN rows are filtered by the caller): values, probabilities."""
    algorithm = model["algorithm"]
    if algorithm in ("linear", "ridge", "lasso", "elasticnet"):
        return tensors["intercept"][0] + x @ tensors["coefficients"], None
    if algorithm == "logistic":
        w, b = tensors["weights"], tensors["intercepts"]
        z = x @ w.T + b
        if w.shape[0] == 1:  # two classes: p(classes[1]) = sigmoid(w.x + b)
            p1 = 1 / (1 + np.exp(-z[:, 0]))
            p = np.column_stack([1 - p1, p1])
        else:  # softmax
            e = np.exp(z - z.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
        return p.argmax(axis=1), p
    raise NotImplementedError(f"algorithm {algorithm!r} is not implemented by this reader")


def main(model_path, csv_path, out=sys.stdout):
    model, tensors = read_model(model_path)
    n, cols = read_rows(csv_path, model["inputs"])
    cols = apply_recipe(model["recipe"], cols)
    features = model["features"]
    x = np.full((n, len(features)), np.nan)
    for j, f in enumerate(features):
        if f not in cols:
            raise ValueError(f"the rows lack the feature {f!r} after the recipe")
        for i, v in enumerate(cols[f]):
            if isinstance(v, str):
                raise ValueError(f"feature {f!r} is text ({v!r}) after the recipe")
            x[i, j] = np.nan if v is None else float(v)  # bools as 1 and 0
    ok = np.isfinite(x).all(axis=1)
    values, probabilities = predict(model, tensors, x[ok])
    classes = model.get("classes")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["prediction"] + [f"p_{c}" for c in classes or []])
    answers = iter(range(len(values)))
    for i in range(n):
        if not ok[i]:
            writer.writerow([""] * (1 + len(classes or [])))
            continue
        k = next(answers)
        if classes:
            writer.writerow([classes[values[k]]] + [repr(float(p)) for p in probabilities[k]])
        else:
            writer.writerow([repr(float(values[k]))])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: read_mlsm.py MODEL.mlsm RAW.csv")
    try:
        main(sys.argv[1], sys.argv[2])
    except (ModelFileError, NotImplementedError, ValueError) as e:
        sys.exit(f"read_mlsm.py: {e}")
