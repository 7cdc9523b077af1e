"""Round trip of LoRA adapters between lib/bert and PyPI peft.

check: loads a base model directory written by lib/bert (bert.Save) and a LoRA
adapter written by lib/bert (bert.SaveLoRAAdapter / finetune's ExportAdapter)
with transformers + peft (PeftModel.from_pretrained), runs the token ids that
Go ran and compares the logits with Go's, before and after merge_and_unload;
it also compares peft's count of trainable parameters with Go's.

write: makes a LoRA adapter with peft itself (get_peft_model, task_type SEQ_CLS,
r=2, lora_alpha=5, target_modules query, key and intermediate.dense; random
lora_B and classifier from a fixed seed), saves it with save_pretrained in
OUT_DIR and writes OUT_DIR/logits.json with the adapted model's logits on the
cases' token ids, for Go to load and compare.

Usage:
  .venv-ref/bin/python scripts/golden-finetune-peft.py check BASE_DIR ADAPTER_DIR CASES.json
  .venv-ref/bin/python scripts/golden-finetune-peft.py write BASE_DIR OUT_DIR CASES.json
CASES.json: {"input_ids": [[...]], "attention_mask": [[...]], "logits": [[...]],
             "trainable_params": N}   (logits and trainable_params: check only)
check exits 1 if a logit differs by more than 1e-4, if the adapter changes the
base model's logits by less than 1e-3, ten times the tolerance (too little for
the comparison to mean anything), or if the counts differ.
"""
import json
import os
import sys

import torch
from peft import LoraConfig, PeftModel, TaskType, get_peft_model
from transformers import BertForSequenceClassification

mode, base_dir, adapter_dir, cases_path = sys.argv[1:5]
cases = json.load(open(cases_path))
inputs = dict(input_ids=torch.tensor(cases["input_ids"]), attention_mask=torch.tensor(cases["attention_mask"]))
base = BertForSequenceClassification.from_pretrained(base_dir)

if mode == "write":
    torch.manual_seed(11)
    cfg = LoraConfig(task_type=TaskType.SEQ_CLS, r=2, lora_alpha=5, lora_dropout=0.1,
                     target_modules=["query", "key", "intermediate.dense"])
    model = get_peft_model(base, cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.requires_grad:
                p.normal_(0, 0.3)
    model.eval()
    with torch.no_grad():
        logits = model(**inputs).logits
    model.save_pretrained(adapter_dir)
    json.dump({"logits": logits.tolist()}, open(os.path.join(adapter_dir, "logits.json"), "w"))
    print(json.dumps({"wrote": sorted(os.listdir(adapter_dir))}))
    sys.exit(0)

trainable = PeftModel.from_pretrained(BertForSequenceClassification.from_pretrained(base_dir), adapter_dir, is_trainable=True)
n_trainable = sum(p.numel() for p in trainable.parameters() if p.requires_grad)
want = torch.tensor(cases["logits"])
with torch.no_grad():
    effect = (base.eval()(**inputs).logits - want).abs().max().item()
model = PeftModel.from_pretrained(base, adapter_dir).eval()
with torch.no_grad():
    diff = (model(**inputs).logits - want).abs().max().item()
    merged = model.merge_and_unload().eval()
    diff_merged = (merged(**inputs).logits - want).abs().max().item()
print(json.dumps({"adapter_effect": effect, "max_abs_diff": diff, "max_abs_diff_merged": diff_merged,
                  "trainable_params": n_trainable, "go_trainable_params": cases["trainable_params"]}))
ok = effect > 1e-3 and diff <= 1e-4 and diff_merged <= 1e-4 and n_trainable == cases["trainable_params"]
sys.exit(0 if ok else 1)
