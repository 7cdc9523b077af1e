#!/usr/bin/env python3
"""Writes lib/bert/tokenizer/testdata/unicode.txt.gz: how Hugging Face's BERT
normalizer and pre-tokenizer treat every Unicode code point.

Run from the repository root:  .venv-ref/bin/python scripts/golden-tokenizer-unicode.py

For each code point (surrogates excluded) the reference (the PyPI tokenizers
package) is asked:
  clean:  BertNormalizer(clean_text only) → removed (R), turned into a space (W), kept (K)
  cjk:    BertNormalizer(handle_chinese_chars only) → surrounded by spaces (C) or not (-)
  split:  BertPreTokenizer on "a" + c + "a" → punctuation (P), whitespace (S), neither (N)
  lower:  BertNormalizer(lowercase only) → the resulting code points
  strip:  BertNormalizer(strip_accents only) → the resulting code points
Lines: "R start end class" for runs of equal class (hex, inclusive), and
"L cp out..." / "S cp out..." where lowercasing / accent stripping changes cp.
TestUnicodeTables in lib/bert/tokenizer reads it.
"""
import gzip
import io
import os

import tokenizers
from tokenizers import normalizers, pre_tokenizers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "lib", "bert", "tokenizer", "testdata", "unicode.txt.gz")


def main():
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    cjk = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    low = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    pre = pre_tokenizers.BertPreTokenizer()
    raw = gzip.GzipFile(OUT + ".tmp", "wb", compresslevel=9, mtime=0)
    f = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    f.write("# tokenizers %s; see scripts/golden-tokenizer-unicode.py\n" % tokenizers.__version__)
    run_start, run_class, prev = None, None, None
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        a = clean.normalize_str(ch)
        cl = "R" if a == "" else ("W" if a == " " and ch != " " else "K")
        cl += "C" if cjk.normalize_str(ch) != ch else "-"
        n = len(pre.pre_tokenize_str("a" + ch + "a"))
        cl += {3: "P", 2: "S", 1: "N"}[n]
        if cl != run_class or prev != c - 1:
            if run_class is not None:
                f.write("R %x %x %s\n" % (run_start, prev, run_class))
            run_start, run_class = c, cl
        prev = c
        lo = low.normalize_str(ch)
        if lo != ch:
            f.write("L %x %s\n" % (c, " ".join("%x" % ord(x) for x in lo)))
        st = strip.normalize_str(ch)
        if st != ch:
            f.write("S %x %s\n" % (c, " ".join("%x" % ord(x) for x in st)))
    f.write("R %x %x %s\n" % (run_start, prev, run_class))
    f.close()
    os.replace(OUT + ".tmp", OUT)
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
