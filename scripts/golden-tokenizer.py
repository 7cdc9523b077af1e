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

The data sets are never copied into the file: a text taken from one is
stored by reference (where it is and how it was edited), and the Go test
rebuilds it from $FOUNDERLAB_DATA. Synthetic texts are stored as they are.

Line 1 is a JSON header; "sources" maps each data set file used,
"dataset/file", to the sha256 of its bytes. Then one line per corpus text
(the corpus index counts these lines from 0), either
  {"t": text, "u": ENC, "c": ENC, "U": ENC or "=u", "C": ENC or "=c"}
for a synthetic text, or, for a real one,
  {"src": [dataset, file, row, column], "ins": [[i, s], ...], "case": "upper" or "swap",
   "cx": [[i, s], ...], "sha": H, "u": ..., ...}
where row counts the CSV data rows from 0 (header excluded) and the text is
that cell, with each s of "ins" inserted before code point i in turn, then,
with "case", every code point mapped by ASCII-only case mapping (a-z to A-Z,
and for "swap" also A-Z to a-z) except the code points i of "cx", which become
s ("ins", "case" and "cx" are absent when the text is the cell unchanged).
H is the first 16 hex digits of the sha256 of the rebuilt text's UTF-8.
("U" and "C" on every third text and the fixed edge cases at the end.)
ENC is "ids|offsets": the ids with [CLS] and [SEP], space separated, and
for the tokens between them, offsets in characters (code points), each
written "a,b" with a = start - previous end and b = end - start (small
numbers; a is negative when two tokens share one character). "=x" means
"same as variant x".

Then lines {"pair": ...} test pairs with truncation and padding settings
("a" and "b" are corpus indexes), {"batch": ...} batches with padding to the
longest ("texts": corpus indexes), {"added": ...} texts for the uncased
tokenizer with extra added tokens ("a": a string, or a list of corpus indexes
and strings to concatenate), and {"decode": ...} decoding with and without
special tokens: "skip" and "keep" hold the decoded strings when the ids come
from a synthetic text, and "skip_sha" and "keep_sha" (as H above) instead
when they come from a real one.
"""
import copy
import gzip
import hashlib
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


def short_sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    items = load_corpus_module().generate_items(DATA, cjk_vocab=os.path.join(CHINESE_DIR, "vocab.txt"))
    corpus = [it["text"] for it in items]
    real = ["src" in it for it in items]
    n = len(corpus)
    toks = tokenizers_variants()
    rng = random.Random(7)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + ".tmp"
    # mtime=0 makes the file reproducible byte for byte.
    raw = gzip.GzipFile(tmp, "wb", compresslevel=9, mtime=0)
    f = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    sources = sorted({"%s/%s" % (it["src"][0], it["src"][1]) for it in items if "src" in it})
    header = {"generator": "scripts/golden-tokenizer.py", "tokenizers": tokenizers.__version__,
              "transformers": transformers.__version__, "texts": n,
              "sources": {s: file_sha(os.path.join(DATA, s)) for s in sources},
              "variants": {"u": "bert-base-uncased/tokenizer.json", "U": "tokenizer.json lowercase=false",
                           "c": "bert-base-chinese do_lower_case=False", "C": "bert-base-chinese do_lower_case=True"}}
    f.write(json.dumps(header, ensure_ascii=False) + "\n")
    for i, it in enumerate(items):
        text = it["text"]
        if "src" in it:
            rec = {"src": it["src"]}
            if it["edit"]:
                rec.update(it["edit"])
            rec["sha"] = short_sha(text)
        else:
            rec = {"t": text}
        encs = {k: enc_string(t.encode(text)) for k, t in toks.items()}
        rec["u"], rec["c"] = encs["u"], encs["c"]
        if i % 3 == 0 or i >= n - 20:  # the flipped-case variants on a third, to keep the file small
            rec["U"] = "=u" if encs["U"] == encs["u"] else encs["U"]
            rec["C"] = "=c" if encs["C"] == encs["c"] else encs["C"]
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")

    # Pairs with truncation and padding.
    for i in range(400):
        a, b = rng.choice(range(n)), rng.choice(range(n))
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
            e = tok.encode(corpus[a]) if single else tok.encode(corpus[a], corpus[b])
            rec["want"] = full(e)
        except Exception as ex:  # truncation errors
            rec["error"] = str(ex)
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")

    # Batches padded to the longest.
    for i in range(40):
        variant = rng.choice(["u", "c"])
        tok = copy.deepcopy(toks[variant])
        tok.enable_padding(direction=rng.choice(["right", "left"]), pad_id=0, pad_token="[PAD]")
        idx = [rng.choice(range(n)) for _ in range(rng.randint(1, 9))]
        encs = tok.encode_batch([corpus[j] for j in idx])
        f.write(json.dumps({"batch": variant, "texts": idx, "padding_direction": tok.padding["direction"],
                            "want": [full(e) for e in encs]}, ensure_ascii=False) + "\n")

    # Added tokens, normalized (matched after normalization) and not.
    added = copy.deepcopy(toks["u"])
    added.add_tokens([AddedToken("COVID19", normalized=True), AddedToken("Hello World", normalized=True),
                      AddedToken("<ent>", normalized=False), AddedToken("\u00df", normalized=True)])
    extra = ["covid19 and COVID19 Hello   World hello world!", "x<ent>y <ENT> stra\u00dfe STRASSE", "covid19covid19",
             "H\u00e9llo World", "Hello\u200bWorld", "<ent><ent>"]
    cases = [(t, t) for t in extra]
    for _ in range(150):
        a, b = rng.choice(range(n)), rng.choice(range(n))
        cases.append(([a, " covid19 ", b], corpus[a] + " covid19 " + corpus[b]))
    for ref, text in cases:
        f.write(json.dumps({"added": "u", "a": ref, "want": full(added.encode(text))}, ensure_ascii=False) + "\n")

    # Decoding.
    for i in range(800):
        variant = rng.choice(["u", "c"])
        j = rng.choice(range(n))
        ids = toks[variant].encode(corpus[j]).ids
        if rng.random() < 0.2:
            ids = ids + [0, 103, 1, 2]  # padding, mask, and plain ids
        skip = toks[variant].decode(ids, skip_special_tokens=True)
        keep = toks[variant].decode(ids, skip_special_tokens=False)
        rec = {"decode": variant, "ids": ids}
        if real[j]:  # the decoded text would be the data set's sentence
            rec["skip_sha"], rec["keep_sha"] = short_sha(skip), short_sha(keep)
        else:
            rec["skip"], rec["keep"] = skip, keep
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    f.close()
    os.replace(tmp, OUT)
    print("wrote %s (%d bytes, %d texts)" % (OUT, os.path.getsize(OUT), n), file=sys.stderr)


if __name__ == "__main__":
    main()
