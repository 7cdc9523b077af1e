"""Writes golden.safetensors and golden.json with the reference implementation.

Run from the repository root:  .venv-ref/bin/python lib/safetensors/testdata/make_golden.py
The Go tests read both files and never need Python. Values are fixed (no
randomness) and include values that need rounding, subnormals, inf and nan.
"""
import json
import math
import os

import torch
from safetensors.torch import save_file

here = os.path.dirname(os.path.abspath(__file__))
floats = [0.0, -0.0, 1.0, -2.5, 3.14159265, 65504.0, 1e-5, 6e-8, 1e-40, 1e30,
          float("inf"), float("-inf"), 0.1, -0.3333333, 123456.789, 7.0]
ints = [0, 1, -1, 127, -128, 42, -7, 100]
tensors = {
    "f32": torch.tensor(floats, dtype=torch.float32).reshape(4, 4),
    "f16": torch.tensor(floats, dtype=torch.float32).to(torch.float16).reshape(2, 8),
    "bf16": torch.tensor(floats, dtype=torch.float32).to(torch.bfloat16).reshape(16),
    "f64": torch.tensor(floats, dtype=torch.float64).reshape(2, 2, 4),
    "i64": torch.tensor(ints + [2**40, -(2**40)], dtype=torch.int64),
    "i32": torch.tensor(ints, dtype=torch.int32).reshape(2, 4),
    "i8": torch.tensor(ints, dtype=torch.int8),
    "u8": torch.tensor([0, 1, 2, 128, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True], dtype=torch.bool),
    "scalar": torch.tensor(2.5, dtype=torch.float32),
    "empty": torch.zeros((0, 3), dtype=torch.float32),
    "bert.embeddings.word_embeddings.weight": torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8,
}
save_file(tensors, os.path.join(here, "golden.safetensors"), metadata={"format": "pt", "note": "golden"})


def enc(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


expected = {}
for name, t in tensors.items():
    expected[name] = {
        "shape": list(t.shape),
        # float32 values the reader must produce (what torch's .float() gives).
        "float32": [enc(float(x)) for x in t.float().reshape(-1).tolist()],
    }
with open(os.path.join(here, "golden.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
