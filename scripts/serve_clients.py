"""Real clients against a running `mlsh serve` (tests: ServeClientTests).

usage: serve_clients.py URL EXPECTED.json

EXPECTED.json holds, for the classifier "pc" and the regression "m", raw rows and the answers the
model's own predict gave for them (computed by the Swift test, not by the server). Each client
sends the rows its own way; every answer must equal the expected one (classes exactly, numbers to
1e-12). Prints one line per check; exits 1 when any fails.
"""
import json
import sys

import numpy as np
import requests
import tritonclient.http as httpclient
from prometheus_client.parser import text_string_to_metric_families

url, expected_path = sys.argv[1], sys.argv[2]
host = url.split("://", 1)[1]
exp = json.load(open(expected_path))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def close(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= 1e-12))


pc, m = exp["pc"], exp["m"]

# --- Open Inference Protocol (KServe V2) through NVIDIA's tritonclient --------------------------
client = httpclient.InferenceServerClient(host)
check(client.is_server_live(), "tritonclient: server live")
check(client.is_server_ready(), "tritonclient: server ready")
check(client.is_model_ready("pc"), "tritonclient: model pc ready")
meta = client.get_model_metadata("pc")
check([(i["name"], i["datatype"]) for i in meta["inputs"]]
      == [("island", "BYTES"), ("bill_length_mm", "FP64"), ("bill_depth_mm", "FP64")], "tritonclient: pc's inputs and datatypes")
check([o["name"] for o in meta["outputs"]] == ["predict", "probabilities"], "tritonclient: pc's outputs")

rows = pc["complete_rows"]
n = len(rows)


def pc_inputs(binary):
    island = httpclient.InferInput("island", [n], "BYTES")
    island.set_data_from_numpy(np.array([r["island"] for r in rows], dtype=np.object_), binary_data=binary)
    length = httpclient.InferInput("bill_length_mm", [n], "FP64")
    length.set_data_from_numpy(np.array([r["bill_length_mm"] for r in rows], dtype=np.float64), binary_data=binary)
    depth = httpclient.InferInput("bill_depth_mm", [n, 1], "FP32")
    depth.set_data_from_numpy(np.array([[r["bill_depth_mm"]] for r in rows], dtype=np.float32), binary_data=binary)
    return [island, length, depth]


def classes_of(result):
    return [c.decode() if isinstance(c, bytes) else str(c) for c in result.as_numpy("predict").tolist()]


for binary in (False, True):
    outputs = [httpclient.InferRequestedOutput("predict", binary_data=binary),
               httpclient.InferRequestedOutput("probabilities", binary_data=binary)]
    result = client.infer("pc", pc_inputs(binary), outputs=outputs, request_id="r1")
    kind = "binary tensors" if binary else "JSON tensors"
    check(classes_of(result) == pc["complete_classes"], f"tritonclient ({kind}): classes equal predict's")
    # bill_depth_mm went as FP32: the expected answers were computed from the same float32 values.
    check(close(result.as_numpy("probabilities"), pc["complete_probabilities"]), f"tritonclient ({kind}): probabilities within 1e-12")
# Defaults: binary inputs, outputs not named.
result = client.infer("pc", pc_inputs(True))
check(classes_of(result) == pc["complete_classes"], "tritonclient (defaults): classes equal predict's")
try:
    client.infer("nope", pc_inputs(False))
    check(False, "tritonclient: an unknown model is refused")
except Exception as e:  # InferenceServerException
    check("no model 'nope' here" in str(e), "tritonclient: an unknown model is refused with its message")

x = httpclient.InferInput("wt", [len(m["rows"])], "FP64")
x.set_data_from_numpy(np.array([r["wt"] for r in m["rows"]], dtype=np.float64), binary_data=False)
hp = httpclient.InferInput("hp", [len(m["rows"])], "INT64")
hp.set_data_from_numpy(np.array([r["hp"] for r in m["rows"]], dtype=np.int64), binary_data=False)
result = client.infer("m", [x, hp], outputs=[httpclient.InferRequestedOutput("predict", binary_data=False)])
check(close(result.as_numpy("predict"), m["values"]), "tritonclient: regression values within 1e-12")

# --- KServe V1 and MLflow scoring through requests ----------------------------------------------
all_rows, classes = pc["rows"], pc["classes"]
columns = ["island", "bill_length_mm", "bill_depth_mm"]
r = requests.post(f"{url}/v1/models/pc:predict", json={"instances": all_rows})
check(r.status_code == 200 and r.json()["predictions"] == classes, "KServe V1 instances (records, nulls as missing)")
r = requests.post(f"{url}/v1/models/pc:predict", json={"instances": [[row[c] for c in columns] for row in all_rows]})
check(r.status_code == 200 and r.json()["predictions"] == classes, "KServe V1 instances (lists in the inputs' order)")

split = {"columns": columns, "index": list(range(len(all_rows))), "data": [[row[c] for c in columns] for row in all_rows]}
# MLflow's first model is pc (the first file served).
for name, body in [("dataframe_split", {"dataframe_split": split}),
                   ("dataframe_records", {"dataframe_records": all_rows}),
                   ("instances", {"instances": all_rows}),
                   ("inputs (columns)", {"inputs": {c: [row[c] for row in all_rows] for c in columns}})]:
    r = requests.post(f"{url}/invocations", json=body)
    check(r.status_code == 200 and r.json()["predictions"] == classes, f"MLflow {name}")
# pandas writes NaN for a missing value: json.dumps gives NaN, which the server takes as missing.
body = json.dumps({"dataframe_split": {"columns": columns, "data": [[row[c] if row[c] is not None else float("nan") for c in columns] for row in all_rows]}})
r = requests.post(f"{url}/invocations", data=body, headers={"Content-Type": "application/json"})
check(r.status_code == 200 and r.json()["predictions"] == classes, "MLflow dataframe_split with NaN for missing")
csv = ",".join(columns) + "\n" + "\n".join(",".join("" if row[c] is None else str(row[c]) for c in columns) for row in all_rows) + "\n"
r = requests.post(f"{url}/invocations", data=csv, headers={"Content-Type": "text/csv"})
check(r.status_code == 200 and r.json()["predictions"] == classes, "MLflow text/csv")
r = requests.post(f"{url}/invocations", data="x", headers={"Content-Type": "text/plain"})
check(r.status_code == 415 and "error" in r.json(), "MLflow: text/plain is 415")
r = requests.get(f"{url}/ping")
check(r.status_code == 200, "MLflow /ping")

# --- /metrics through prometheus_client's own parser ---------------------------------------------
text = requests.get(f"{url}/metrics").text
families = {f.name: f for f in text_string_to_metric_families(text)}
check("mlsh_requests" in families and families["mlsh_requests"].type == "counter", "metrics: mlsh_requests_total is a counter")
codes = {(s.labels["model"], s.labels["protocol"], s.labels["code"]) for s in families["mlsh_requests"].samples if s.name == "mlsh_requests_total"}
check(("pc", "v2", "200") in codes and ("pc", "mlflow", "200") in codes and ("", "mlflow", "415") in codes, "metrics: requests by model, protocol and code")
check(families["mlsh_request_duration_seconds"].type == "histogram", "metrics: request duration is a histogram in seconds")
predicted = {s.labels["class"]: s.value for s in families["mlsh_predictions"].samples if s.name == "mlsh_predictions_total" and s.labels["model"] == "pc"}
check(sum(predicted.values()) > 0 and set(predicted) <= {"Adelie", "Chinstrap", "Gentoo"}, "metrics: predictions by class")
check(families["mlsh_predicted_value"].type == "histogram", "metrics: the regression's predicted values as a histogram")
check(families["mlsh_model_load_seconds"].type == "gauge", "metrics: model load time")

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
