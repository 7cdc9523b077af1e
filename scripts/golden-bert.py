#!/usr/bin/env python3
"""Makes the tiny random BERT fixture for lib/bert's parity tests.

Writes lib/bert/testdata/tiny/:
  config.json        a 2-layer BertConfig with 3 named labels
  model.safetensors  BertForSequenceClassification weights ("bert." prefix),
                     every weight random (LayerNorm gains and biases too, so a
                     mis-mapped name cannot go unnoticed)
  golden.safetensors inputs (input_ids, token_type_ids, attention_mask, with
                     padding) and transformers' outputs in eval mode:
                     last_hidden_state, pooler_output, logits,
                     mean_pooled (sentence-transformers mean pooling)

Run from the repository root with the reference venv:
  .venv-ref/bin/python scripts/golden-bert.py
The output is deterministic (seeded); Go tests never run Python.
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertForSequenceClassification

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib", "bert", "testdata", "tiny")


def main():
    torch.manual_seed(20261129)
    cfg = BertConfig(
        vocab_size=99,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=37,
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
        max_position_embeddings=64,
        type_vocab_size=2,
        initializer_range=0.02,
        layer_norm_eps=1e-12,
        pad_token_id=0,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2},
    )
    cfg._attn_implementation = "eager"
    model = BertForSequenceClassification(cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight"):
                p.copy_(1 + 0.2 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    model.eval()

    # Three sequences of length 9; rows 1 and 2 are padded.
    input_ids = torch.tensor([
        [2, 15, 47, 33, 8, 91, 60, 12, 3],
        [2, 7, 70, 21, 3, 0, 0, 0, 0],
        [2, 98, 3, 44, 54, 3, 0, 0, 0],
    ], dtype=torch.int64)
    attention_mask = (input_ids != 0).to(torch.int64)
    token_type_ids = torch.tensor([
        [0, 0, 0, 0, 0, 1, 1, 1, 1],
        [0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 1, 1, 1, 0, 0, 0],
    ], dtype=torch.int64)

    with torch.no_grad():
        out = model(input_ids=input_ids, attention_mask=attention_mask,
                    token_type_ids=token_type_ids, output_hidden_states=True)
        base = model.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        m = attention_mask.unsqueeze(-1).to(torch.float32)
        mean = (base.last_hidden_state * m).sum(1) / m.sum(1).clamp(min=1e-9)

    os.makedirs(OUT, exist_ok=True)
    cfg_dict = cfg.to_diff_dict()
    cfg_dict.pop("transformers_version", None)
    cfg_dict.pop("dtype", None)
    cfg_dict.pop("torch_dtype", None)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(cfg_dict, f, indent=2, sort_keys=True)
        f.write("\n")
    weights = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(weights, os.path.join(OUT, "model.safetensors"), metadata={"format": "pt"})
    golden = {
        "input_ids": input_ids.to(torch.int32),
        "token_type_ids": token_type_ids.to(torch.int32),
        "attention_mask": attention_mask.to(torch.int32),
        "last_hidden_state": base.last_hidden_state.contiguous(),
        "pooler_output": base.pooler_output.contiguous(),
        "logits": out.logits.contiguous(),
        "mean_pooled": mean.contiguous(),
    }
    save_file(golden, os.path.join(OUT, "golden.safetensors"),
              metadata={"transformers": __import__("transformers").__version__, "torch": torch.__version__})
    print("wrote", os.path.normpath(OUT), "logits", out.logits.tolist(), file=sys.stderr)


if __name__ == "__main__":
    main()
