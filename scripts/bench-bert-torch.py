"""PyTorch reference for bench/bert: the same model, optimizer and data.

Randomly initialised BertForSequenceClassification (vocab 30522, 2 labels),
random token ids with a full attention mask, AdamW (lr 2e-5, weight decay 0.01
except biases and LayerNorm), gradient clipping at 1.0, dropout on.

Usage: python scripts/bench-bert-torch.py --layers 2 --hidden 128 --heads 2 --ffn 512 --batch 16 --seq 64 --steps 20 [--device cuda]
Prints `step_ms <median>` and `peak_rss_mb <peak resident memory>` (and
`samples_per_s` and, on CUDA, `peak_gpu_mb`).
"""
import argparse
import resource
import statistics
import time

import torch
from transformers import BertConfig, BertForSequenceClassification

p = argparse.ArgumentParser()
for name, default in [("layers", 2), ("hidden", 128), ("heads", 2), ("ffn", 512), ("batch", 16), ("seq", 64), ("steps", 20), ("warmup", 3)]:
    p.add_argument("--" + name, type=int, default=default)
p.add_argument("--device", default="cpu")
p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
a = p.parse_args()
if a.threads:
    torch.set_num_threads(a.threads)
torch.manual_seed(0)
cfg = BertConfig(vocab_size=30522, hidden_size=a.hidden, num_hidden_layers=a.layers, num_attention_heads=a.heads,
                 intermediate_size=a.ffn, num_labels=2)
model = BertForSequenceClassification(cfg).to(a.device).train()
no_decay = ["bias", "LayerNorm.weight"]
groups = [
    {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)], "weight_decay": 0.01},
    {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
]
opt = torch.optim.AdamW(groups, lr=2e-5)
times = []
for step in range(a.warmup + a.steps):
    ids = torch.randint(0, 30522, (a.batch, a.seq), device=a.device)
    labels = torch.randint(0, 2, (a.batch,), device=a.device)
    mask = torch.ones_like(ids)
    if a.device == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    opt.zero_grad()
    if a.device == "cuda":
        torch.cuda.synchronize()
    if step >= a.warmup:
        times.append((time.perf_counter() - t0) * 1000)
med = statistics.median(times)
print(f"step_ms {med:.1f}")
print(f"peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
print(f"samples_per_s {a.batch * 1000 / med:.1f}")
if a.device == "cuda":
    print(f"peak_gpu_mb {torch.cuda.max_memory_allocated() / 2**20:.0f}")
