"""Round-trip check of a fine-tuned model exported by lib/bert/finetune.

Loads the exported directory with PyPI transformers (AutoModelForSequenceClassification,
AutoTokenizer), runs it on the token ids that Go ran, and compares the logits with Go's.

Usage: .venv-ref/bin/python scripts/golden-finetune-roundtrip.py EXPORT_DIR CASES.json
CASES.json: {"input_ids": [[...]], "attention_mask": [[...]], "logits": [[...]]}
Exits 1 if the largest absolute difference exceeds 1e-4.
"""
import json
import sys

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

export_dir, cases_path = sys.argv[1], sys.argv[2]
cases = json.load(open(cases_path))
model = AutoModelForSequenceClassification.from_pretrained(export_dir).eval()
tok = AutoTokenizer.from_pretrained(export_dir)
assert len(tok) == model.config.vocab_size, (len(tok), model.config.vocab_size)
with torch.no_grad():
    out = model(
        input_ids=torch.tensor(cases["input_ids"]),
        attention_mask=torch.tensor(cases["attention_mask"]),
    ).logits
diff = (out - torch.tensor(cases["logits"])).abs().max().item()
print(json.dumps({"max_abs_diff": diff, "labels": model.config.id2label, "n": len(cases["input_ids"])}))
sys.exit(0 if diff <= 1e-4 else 1)
