#!/usr/bin/env python3
"""Reference for bench/bertforward: transformers BertModel forward pass plus
mean pooling on all-MiniLM-L6-v2, on the same token ids as main.go (see its
inputs function), timed the same way. Prints one line like main.go.

  .venv-ref/bin/python bench/bertforward/torch_forward.py [-model DIR] [-batch 32] [-seq 32] [-warmup 2] [-iters 10] [-threads N]
"""
import argparse
import os
import time

import torch
from transformers import BertModel


def inputs(batch, seq):
    ids = torch.zeros(batch, seq, dtype=torch.int64)
    mask = torch.zeros(batch, seq, dtype=torch.int64)
    for i in range(batch):
        n = 8 + (7 * i) % (seq - 7)
        for j in range(n):
            mask[i, j] = 1
            ids[i, j] = 1000 + (131 * i + 17 * j) % 20000
        ids[i, 0], ids[i, n - 1] = 101, 102
    return ids, mask


def main():
    models = os.environ.get("FOUNDERLAB_MODELS", os.path.expanduser("~/.cache/founderlab/models"))
    ap = argparse.ArgumentParser()
    ap.add_argument("-model", default=os.path.join(models, "all-MiniLM-L6-v2"))
    ap.add_argument("-batch", type=int, default=32)
    ap.add_argument("-seq", type=int, default=32)
    ap.add_argument("-warmup", type=int, default=2)
    ap.add_argument("-iters", type=int, default=10)
    ap.add_argument("-threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    model = BertModel.from_pretrained(a.model).eval()
    ids, mask = inputs(a.batch, a.seq)

    def step():
        with torch.inference_mode():
            h = model(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.iters):
        step()
    elapsed = time.perf_counter() - start
    print(f"pytorch\ttorch={torch.__version__} threads={torch.get_num_threads()}\tbatch={a.batch}\tseq={a.seq}\t"
          f"iters={a.iters}\t{a.batch * a.iters / elapsed:.1f} sentences/s\t{elapsed * 1000 / a.iters:.1f} ms/batch")


if __name__ == "__main__":
    main()
