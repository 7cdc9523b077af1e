#!/usr/bin/env python3
"""Writes the golden file for lib/bert/tokenizer from Hugging Face's fast tokenizers.

Run from the repository root (needs the reference venv, scripts/ref-venv.sh):
  FOUNDERLAB_DATA=../shared/datasets .venv-ref/bin/python scripts/golden-tokenizer.py

It generates the seeded corpus of scripts/gen-corpus-tokenizer.py (real
sentences from the shared datasets plus synthetic stress cases), encodes every
text with four reference tokenizers and writes
lib/bert/tokenizer/testdata/golden.jsonl.gz:

  u   ../shared/vocab/bert-base-uncased/tokenizer.json (lowercase, strip accents)
  U   the same tokenizer.json with "lowercase": false
  c   BertTokenizer.from_pretrained(../shared/vocab/bert-base-chinese, do_lower_case=False)
  C   the same with do_lower_case=True

Line 1 is a JSON header. Then one line per text:
  {"t": text, "u": ENC, "c": ENC, "U": ENC or "=u", "C": ENC or "=c"}
("U" and "C" on every third text and the fixed edge cases at the end.)
where ENC is "ids|offsets": the ids with [CLS] and [SEP], space separated, and
for the tokens between them, offsets in characters (code points), each
written "a,b" with a = start - previous end and b = end - start (small
numbers; a is negative when two tokens share one character). "=x" means
"same as variant x".

Then lines {"pair": ...} test pairs with truncation and padding settings,
{"batch": ...} batches with padding to the longest, {"added": ...} texts for
the uncased tokenizer with extra added tokens (normalized and not), and
{"decode": ...} decoding with and without special tokens.
"""
import copy
import gzip
import io
import importlib.util
import json
import os
import random
import sys

import tokenizers
import transformers
from tokenizers import AddedToken, Tokenizer
from transformers import BertTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
DATA = os.environ.get("FOUNDERLAB_DATA", os.path.join(SHARED, "datasets"))
UNCASED_JSON = os.path.join(SHARED, "vocab", "bert-base-uncased", "tokenizer.json")
CHINESE_DIR = os.path.join(SHARED, "vocab", "bert-base-chinese")
OUT = os.path.join(ROOT, "lib", "bert", "tokenizer", "testdata", "golden.jsonl.gz")


def load_corpus_module():
    spec = importlib.util.spec_from_file_location("gen_corpus", os.path.join(ROOT, "scripts", "gen-corpus-tokenizer.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def plain(tok):
    tok = copy.deepcopy(tok)
    tok.no_truncation()
    tok.no_padding()
    return tok


def tokenizers_variants():
    with open(UNCASED_JSON, encoding="utf-8") as f:
        spec = json.load(f)
    u = Tokenizer.from_str(json.dumps(spec))
    spec["normalizer"]["lowercase"] = False
    U = Tokenizer.from_str(json.dumps(spec))
    c = BertTokenizer.from_pretrained(CHINESE_DIR, do_lower_case=False).backend_tokenizer
    C = BertTokenizer.from_pretrained(CHINESE_DIR, do_lower_case=True).backend_tokenizer
    return {k: plain(t) for k, t in (("u", u), ("U", U), ("c", c), ("C", C))}


def enc_string(e):
    ids = " ".join(map(str, e.ids))
    offs = []
    prev = 0
    for (s, t) in e.offsets[1:-1]:
        offs.append("%d,%d" % (s - prev, t - s))
        prev = t
    return ids + "|" + " ".join(offs)


def full(e):
    return {"ids": e.ids, "type_ids": e.type_ids, "attention_mask": e.attention_mask,
            "special_tokens_mask": e.special_tokens_mask, "offsets": [list(o) for o in e.offsets],
            "sequence_ids": [-1 if s is None else s for s in e.sequence_ids]}


def main():
    corpus = load_corpus_module().generate(DATA, cjk_vocab=os.path.join(CHINESE_DIR, "vocab.txt"))
    toks = tokenizers_variants()
    rng = random.Random(7)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + ".tmp"
    # mtime=0 makes the file reproducible byte for byte.
    raw = gzip.GzipFile(tmp, "wb", compresslevel=9, mtime=0)
    f = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    header = {"generator": "scripts/golden-tokenizer.py", "tokenizers": tokenizers.__version__,
              "transformers": transformers.__version__, "texts": len(corpus),
              "variants": {"u": "bert-base-uncased/tokenizer.json", "U": "tokenizer.json lowercase=false",
                           "c": "bert-base-chinese do_lower_case=False", "C": "bert-base-chinese do_lower_case=True"}}
    f.write(json.dumps(header, ensure_ascii=False) + "\n")
    for i, text in enumerate(corpus):
        rec = {"t": text}
        encs = {k: enc_string(t.encode(text)) for k, t in toks.items()}
        rec["u"], rec["c"] = encs["u"], encs["c"]
        if i % 3 == 0 or i >= len(corpus) - 20:  # the flipped-case variants on a third, to keep the file small
            rec["U"] = "=u" if encs["U"] == encs["u"] else encs["U"]
            rec["C"] = "=c" if encs["C"] == encs["c"] else encs["C"]
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")

    # Pairs with truncation and padding.
    for i in range(400):
        a, b = rng.choice(corpus), rng.choice(corpus)
        variant = rng.choice(["u", "c"])
        tok = copy.deepcopy(toks[variant])
        trunc = None
        if rng.random() < 0.85:
            trunc = {"max_length": rng.choice([3, 5, 8, 13, 16, 32, 64]),
                     "strategy": rng.choice(["longest_first", "only_first", "only_second"]),
                     "direction": rng.choice(["right", "left"])}
            tok.enable_truncation(**trunc)
        pad = None
        if rng.random() < 0.6:
            pad = {"direction": rng.choice(["right", "left"]), "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]",
                   "length": rng.choice([None, 20, 48]), "pad_to_multiple_of": rng.choice([None, 8])}
            tok.enable_padding(**pad)
        single = rng.random() < 0.3
        rec = {"pair": variant, "a": a, "b": None if single else b, "truncation": trunc, "padding": pad}
        try:
            e = tok.encode(a) if single else tok.encode(a, b)
            rec["want"] = full(e)
        except Exception as ex:  # truncation errors
            rec["error"] = str(ex)
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")

    # Batches padded to the longest.
    for i in range(40):
        variant = rng.choice(["u", "c"])
        tok = copy.deepcopy(toks[variant])
        tok.enable_padding(direction=rng.choice(["right", "left"]), pad_id=0, pad_token="[PAD]")
        texts = [rng.choice(corpus) for _ in range(rng.randint(1, 9))]
        encs = tok.encode_batch(texts)
        f.write(json.dumps({"batch": variant, "texts": texts, "padding_direction": tok.padding["direction"],
                            "want": [full(e) for e in encs]}, ensure_ascii=False) + "\n")

    # Added tokens, normalized (matched after normalization) and not.
    added = copy.deepcopy(toks["u"])
    added.add_tokens([AddedToken("COVID19", normalized=True), AddedToken("Hello World", normalized=True),
                      AddedToken("<ent>", normalized=False), AddedToken("\u00df", normalized=True)])
    extra = ["covid19 and COVID19 Hello   World hello world!", "x<ent>y <ENT> stra\u00dfe STRASSE", "covid19covid19",
             "H\u00e9llo World", "Hello\u200bWorld", "<ent><ent>"]
    for text in extra + [rng.choice(corpus) + " covid19 " + rng.choice(corpus) for _ in range(150)]:
        f.write(json.dumps({"added": "u", "a": text, "want": full(added.encode(text))}, ensure_ascii=False) + "\n")

    # Decoding.
    for i in range(800):
        variant = rng.choice(["u", "c"])
        text = rng.choice(corpus)
        ids = toks[variant].encode(text).ids
        if rng.random() < 0.2:
            ids = ids + [0, 103, 1, 2]  # padding, mask, and plain ids
        f.write(json.dumps({"decode": variant, "ids": ids,
                            "skip": toks[variant].decode(ids, skip_special_tokens=True),
                            "keep": toks[variant].decode(ids, skip_special_tokens=False)}, ensure_ascii=False) + "\n")
    f.close()
    os.replace(tmp, OUT)
    print("wrote %s (%d bytes, %d texts)" % (OUT, os.path.getsize(OUT), len(corpus)), file=sys.stderr)


if __name__ == "__main__":
    main()
