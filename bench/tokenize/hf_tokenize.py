#!/usr/bin/env python3
"""Reference for bench/tokenize: the same command with Hugging Face's fast tokenizer.

  .venv-ref/bin/python bench/tokenize/hf_tokenize.py (--tokenizer tokenizer.json | --vocab vocab.txt [--lower true|false]) < texts.txt

Reads one text per line (split on "\\n" only), writes one line of token ids per
text with [CLS]/[SEP] and no truncation or padding, and prints throughput to
stderr. --mode batch (default) times Tokenizer.encode_batch, which runs in Rust
without a Python call per text; --mode loop times a Python loop of encode().
Run with RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false for one core.
"""
import argparse
import os
import sys
import time

from tokenizers import Tokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer")
    ap.add_argument("--vocab")
    ap.add_argument("--lower", default="true", choices=["true", "false"])
    ap.add_argument("--mode", default="batch", choices=["batch", "loop"])
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    if (a.tokenizer is None) == (a.vocab is None):
        sys.exit("give exactly one of --tokenizer and --vocab")
    if a.tokenizer:
        tok = Tokenizer.from_file(a.tokenizer)
    else:
        from transformers import BertTokenizer
        from transformers.models.bert.tokenization_bert import load_vocab
        tok = BertTokenizer(vocab=load_vocab(a.vocab), do_lower_case=a.lower == "true").backend_tokenizer
    tok.no_truncation()
    tok.no_padding()
    data = sys.stdin.buffer.read()
    texts = [] if not data else data.decode("utf-8").removesuffix("\n").split("\n")
    start = time.perf_counter()
    for _ in range(max(a.repeat, 1)):
        if a.mode == "batch":
            encs = tok.encode_batch(texts)
        else:
            encs = [tok.encode(t) for t in texts]
    sec = (time.perf_counter() - start) / max(a.repeat, 1)
    out = sys.stdout
    ntok = 0
    for e in encs:
        ntok += len(e.ids)
        out.write(" ".join(map(str, e.ids)) + "\n")
    out.flush()
    threads = os.environ.get("RAYON_NUM_THREADS", "all")
    print("hf (%s, rayon threads %s): %d texts, %d tokens, %.1f MB in %.3f s: %.0f texts/s, %.0f tokens/s"
          % (a.mode, threads, len(texts), ntok, len(data) / 1e6, sec, len(texts) / sec, ntok / sec), file=sys.stderr)


if __name__ == "__main__":
    main()
