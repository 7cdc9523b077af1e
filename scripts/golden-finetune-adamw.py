"""Golden AdamW trajectory for lib/bert/finetune, from PyTorch.

torch.optim.AdamW with transformers' parameter groups (no weight decay for
biases and LayerNorm weights), get_linear_schedule_with_warmup, and
clip_grad_norm_, on a small float64 problem.

Run: .venv-ref/bin/python scripts/golden-finetune-adamw.py > lib/bert/finetune/testdata/adamw.json
"""
import json

import torch
from transformers import get_linear_schedule_with_warmup

torch.manual_seed(7)
dt = torch.float64
params = {
    "dense.weight": torch.randn(3, 4, dtype=dt).requires_grad_(),
    "dense.bias": torch.randn(3, dtype=dt).requires_grad_(),
    "LayerNorm.weight": (1 + 0.1 * torch.randn(3, dtype=dt)).requires_grad_(),
}
init = {k: v.detach().clone().tolist() for k, v in params.items()}
x = torch.randn(4, dtype=dt)
y = torch.randn(3, dtype=dt)
cfg = dict(lr=0.1, weight_decay=0.1, warmup=2, total=8, max_grad_norm=0.5, steps=6)
no_decay = ["bias", "LayerNorm.weight"]
groups = [
    {"params": [p for n, p in params.items() if not any(nd in n for nd in no_decay)], "weight_decay": cfg["weight_decay"]},
    {"params": [p for n, p in params.items() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
]
opt = torch.optim.AdamW(groups, lr=cfg["lr"], betas=(0.9, 0.999), eps=1e-8)
sched = get_linear_schedule_with_warmup(opt, cfg["warmup"], cfg["total"])
traj = []
for step in range(cfg["steps"]):
    opt.zero_grad()
    out = torch.tanh(params["dense.weight"] @ x + params["dense.bias"]) * params["LayerNorm.weight"]
    loss = ((out - y) ** 2).sum()
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(list(params.values()), cfg["max_grad_norm"])
    lr = sched.get_last_lr()[0]
    opt.step()
    sched.step()
    traj.append({"loss": loss.item(), "grad_norm": norm.item(), "lr": lr,
                 "params": {k: v.detach().tolist() for k, v in params.items()}})
print(json.dumps({"config": cfg, "x": x.tolist(), "y": y.tolist(), "init": init, "steps": traj}, indent=1))
