#!/usr/bin/env python3
"""Generates the seeded text corpus for tokenizer parity tests and benchmarks.

The corpus mixes real sentences from the shared datasets (banking77,
fin-sentiment, symptom2disease, netflix titles, cast lists and descriptions)
with synthetic stress cases: accents and combining marks, emoji (ZWJ
sequences, skin tones, flags, variation selectors), control characters,
zero-width characters, CJK text (Chinese characters drawn from the
bert-base-chinese vocabulary and from all CJK blocks, Japanese, Korean),
mixed scripts, very long words (around and over the 100-character WordPiece
limit), special-token look-alikes ([CLS], [mask], ##ing), U+2028 and other
line and paragraph separators, characters whose Unicode properties changed
between versions, and random code points from every plane.

Usage (from the repository root):
  .venv-ref/bin/python scripts/gen-corpus-tokenizer.py [--data DIR] [--seed N]
      [--real N] [--synthetic N] (--jsonl OUT | --lines OUT)

--jsonl writes one JSON string per line (texts may contain any character);
--lines writes one text per line, separated by "\\n" only, with "\\n" inside a
text replaced by a space (the input format of `go run ./bench/tokenize`).
The data directory defaults to $FOUNDERLAB_DATA or ../shared/datasets.
Only the standard library is needed. The same seed gives the same corpus.
"""
import argparse
import csv
import json
import os
import random
import sys

ACCENTED = ("café naïve résumé façade Ångström São Paulo Zürich Kraków Dvořák Ærøskøbing "
            "Tiếng Việt crème brûlée jalapeño piñata Bogotá Reykjavík Łódź Èze Ñandú "
            "İstanbul ıspanak straße Σίσυφος ΟΔΥΣΣΕΥΣ Ελληνικά ﬁnance ﬂower Ⅻ ℌ ＡＢＣ ｆｕｌｌ "
            "e\u0301clair n\u0303o a\u0308\u0301 o\u0323\u0302 Å Ω K").split()
EMOJI = ["😀", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🇫🇷", "🇯🇵", "❤️", "☺︎", "🥰", "🫠", "🧑🏿‍🚀", "1️⃣",
         "🏳️‍🌈", "✈️", "🤖", "💯", "🙏", "🔥", "\U0001F9D1\u200D\U0001F91D\u200D\U0001F9D1"]
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85",
           "\x9f", "\ufffd", "\u00ad", "\u061c", "\u180e", "\u200e", "\u200f", "\u202a", "\u202e",
           "\u2066", "\ue000", "\U000f0000", "\U00100000"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u034f", "\ufe0f", "\ufe0e"]
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u1680", "\u2000", "\u2003", "\u2009",
          "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["¡", "¿", "«", "»", "„", "“", "”", "‘", "’",
        "…", "–", "—", "·", "、", "。", "，", "！", "？", "「", "」", "『", "』", "《", "》", "€", "£",
        "¥", "©", "®", "™", "°", "±", "×", "÷", "§", "¶", "†", "‡", "•", "‰", "′", "″", "※", "⁂"]
SPECIAL = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "[mask]", "[cls]", "[ SEP ]", "[unused1]",
           "##ing", "##", "[CLS][SEP]", "[[MASK]]", "x[MASK]y", "[MASK"]
JAPANESE = ["こんにちは世界", "東京タワーに行きました。", "ｶﾀｶﾅ", "ひらがなとカタカナ", "日本語のテキスト"]
KOREAN = ["안녕하세요", "한국어 문장입니다.", "서울특별시", "ㄱㄴㄷ ㅏㅑㅓ"]
OTHER_SCRIPTS = ["Привет, мир!", "Ёлка и йогурт", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया",
                 "สวัสดีชาวโลก", "გამარჯობა", "Բարեւ", "ሰላም", "ᚠᚢᚦᚨᚱᚲ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝐁𝐨𝐥𝐝", "ⓐⓑⓒ",
                 "Ⅰ Ⅱ Ⅲ", "½ ¾ ²³", "Ꭰꭰ", "ǅungla", "ß ẞ"]
# Code points where Unicode versions disagree (category, case or decomposition
# changed, or newly assigned), so that table differences show up.
VERSION_SENSITIVE = [0x0890, 0x0891, 0x08E2, 0x110CD, 0x13430, 0x166D, 0x111C9, 0x061D, 0x2E43,
                     0x2E5D, 0x1C89, 0xA7CB, 0xA7DC, 0x10D50, 0x16EA0, 0x0AFA, 0x1734, 0x11938,
                     0x1DF6, 0x1E08F, 0x10EAB, 0x0C77, 0x1B7D, 0x0130, 0x03A3, 0x1E9E, 0x2126,
                     0x212A, 0x1F88, 0x0149, 0xFB00, 0x0344, 0x0F73, 0x2ADC]
CJK_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
              (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
              (0x30000, 0x3134F), (0x2E80, 0x2EFF), (0x3000, 0x303F)]
WORDS = ("the of and to in is was for on that with as by at from his her an were are which this "
         "be or has had not but their they one its new after first two been who also more than "
         "transfer payment card account refund exchange rate pending declined verify identity "
         "fever headache cough fatigue rash nausea stock market earnings revenue guidance").split()


# The real sources: (data set, file, column), read in this order.
SOURCES = [("banking77", "train.csv", "text"), ("banking77", "test.csv", "text"),
           ("fin-sentiment", "train.csv", "text"), ("fin-sentiment", "valid.csv", "text"),
           ("symptom2disease", "symptom2disease.csv", "text")] + [
    ("netflix", "netflix_titles.csv", col) for col in ("description", "title", "cast", "director", "listed_in")]


def read_csv(path, column):
    """Returns (row, value) for the non-empty values of column; row counts data rows from 0."""
    with open(path, newline="", encoding="utf-8") as f:
        return [(i, row[column]) for i, row in enumerate(csv.DictReader(f)) if row.get(column)]


def real_texts(data_dir):
    """Returns (source, text) pairs; source is [data set, file, row, column]."""
    out = []
    for ds, name, col in SOURCES:
        for row, text in read_csv(os.path.join(data_dir, ds, name), col):
            out.append(([ds, name, row, col], text))
    return out


def random_cjk(rng, n):
    out = []
    for _ in range(n):
        lo, hi = rng.choice(CJK_RANGES) if rng.random() < 0.3 else CJK_RANGES[0]
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def random_codepoint(rng):
    while True:
        plane = rng.choice([0, 0, 0, 1, 1, 2, 3, 14, 15, 16])
        c = plane * 0x10000 + rng.randint(0, 0xFFFF)
        if not 0xD800 <= c <= 0xDFFF:
            return chr(c)


def long_word(rng):
    n = rng.choice([98, 99, 100, 101, 102, 150, 300, rng.randint(50, 500)])
    kind = rng.random()
    if kind < 0.4:
        syllables = ["an", "ti", "dis", "es", "tab", "lish", "ment", "ar", "i", "an", "ism", "qu", "x", "zz"]
        s = "".join(rng.choice(syllables) for _ in range(n))[:n]
    elif kind < 0.6:
        s = ("supercalifragilistic" * 30)[:n]
    elif kind < 0.8:
        s = "".join(rng.choice("aé" + "ü" + "ß" + "ı") for _ in range(n))
    else:
        s = "".join(rng.choice(["a", "\u0301", "b", "e\u0301"]) for _ in range(n))
    return s


def ascii_case(c, mode):
    """The case mapping every rebuilder applies by default: ASCII letters only."""
    if "a" <= c <= "z":
        return c.upper()
    if mode == "swap" and "A" <= c <= "Z":
        return c.lower()
    return c


def case_exceptions(base, mode, want):
    """Lists [i, s] for the code points base[i] whose Python case mapping
    (str.upper or str.swapcase of the whole text, which is want) is not
    ascii_case(base[i]): applying ascii_case to every other code point and s
    at i rebuilds want exactly."""
    pieces, pos = [], 0
    for c in base:
        p = c.upper() if mode == "upper" else c.swapcase()
        if mode == "swap" and c == "\u03a3":  # lowercasing capital sigma depends on the context
            p = want[pos]
        pieces.append(p)
        pos += len(p)
    if "".join(pieces) != want:
        raise AssertionError("case exceptions do not rebuild %r" % want)
    return [[i, p] for i, (c, p) in enumerate(zip(base, pieces)) if p != ascii_case(c, mode)]


def mutate(rng, text):
    """Inserts a few stress characters into a real sentence, then maybe
    changes its case. Returns the new text and the edit that rebuilds it
    from text: {"ins": [[i, s], ...]} inserts s before code point i of the
    text edited so far, in order; "case" ("upper" or "swap") then maps every code point with
    ascii_case except those listed in "cx" as [i, s], which become s."""
    chars = list(text)
    ins = []
    for _ in range(rng.randint(1, 4)):
        pool = rng.choice([ACCENTED, EMOJI, CONTROL, ZERO_WIDTH, SPACES, PUNCT, SPECIAL])
        i = rng.randint(0, len(chars))
        c = rng.choice(pool)
        ins.append([sum(map(len, chars[:i])), c])  # chars holds earlier insertions whole
        chars.insert(i, c)
    base = "".join(chars)
    edit = {"ins": ins}
    r = rng.random()
    if r < 0.3:
        mode = "upper" if r < 0.2 else "swap"
        s = base.upper() if mode == "upper" else base.swapcase()
        edit["case"] = mode
        edit["cx"] = case_exceptions(base, mode, s)
        return s, edit
    return base, edit


def apply_edit(text, edit):
    """Rebuilds mutate's result from the original text and its edit, as the Go test does."""
    for i, c in edit["ins"]:
        text = text[:i] + c + text[i:]
    if "case" in edit:
        cx = dict(edit["cx"])
        text = "".join(cx[i] if i in cx else ascii_case(c, edit["case"]) for i, c in enumerate(text))
    return text


def synthetic(rng, vocab_cjk):
    kind = rng.randrange(14)
    parts = []
    n = rng.randint(1, 8)
    for i in range(n):
        if kind == 0:
            parts.append(rng.choice(ACCENTED))
        elif kind == 1:
            parts.append(rng.choice(WORDS) + rng.choice(EMOJI) * rng.randint(0, 2))
        elif kind == 2:
            parts.append(rng.choice(WORDS) + rng.choice(CONTROL) + rng.choice(WORDS))
        elif kind == 3:
            parts.append(rng.choice(ZERO_WIDTH).join(rng.sample(WORDS, 2)))
        elif kind == 4:
            parts.append("".join(rng.choice(vocab_cjk) for _ in range(rng.randint(1, 12))) if vocab_cjk
                         else random_cjk(rng, 5))
        elif kind == 5:
            parts.append(random_cjk(rng, rng.randint(1, 6)))
        elif kind == 6:
            parts.append(rng.choice(JAPANESE + KOREAN + OTHER_SCRIPTS))
        elif kind == 7:
            parts.append(long_word(rng) if i < 2 and rng.random() < 0.6 else rng.choice(WORDS))
        elif kind == 8:
            parts.append(rng.choice(SPECIAL) if rng.random() < 0.5 else rng.choice(WORDS))
        elif kind == 9:
            parts.append(rng.choice(WORDS) + rng.choice(PUNCT) * rng.randint(1, 3))
        elif kind == 10:
            parts.append("".join(random_codepoint(rng) for _ in range(rng.randint(1, 6))))
        elif kind == 11:
            parts.append(chr(rng.choice(VERSION_SENSITIVE)) + rng.choice(["", rng.choice(WORDS)]))
        elif kind == 12:  # mixed scripts inside one word
            parts.append(rng.choice(WORDS) + random_cjk(rng, 1) + rng.choice(ACCENTED) + rng.choice(OTHER_SCRIPTS))
        else:
            parts.append(rng.choice(["https://example.com/a?b=1&c=2", "user@example.org", "C++", "f(x)=x^2",
                                     "3.14159", "1,000,000", "$BYND", "#hashtag", "@user", "2024-01-31T12:00:00Z",
                                     "don't", "I'm", "you're", "it's", "O'Neill", "rock'n'roll", "e.g.", "U.S.A."]))
    seps = SPACES if rng.random() < 0.3 else [" "]
    return "".join(p + rng.choice(seps) for p in parts).rstrip(" ") if rng.random() < 0.9 else "".join(parts)


def generate_items(data_dir, seed=20240601, n_real=5000, n_synthetic=5000, cjk_vocab=None):
    """Returns the corpus as dicts: {"text": t} for synthetic texts, and
    {"text": t, "src": [data set, file, row, column], "edit": edit or None}
    for texts taken from a data set (see mutate for the edit)."""
    rng = random.Random(seed)
    reals = real_texts(data_dir)
    vocab_cjk = []
    if cjk_vocab and os.path.exists(cjk_vocab):
        with open(cjk_vocab, encoding="utf-8", newline="") as f:
            vocab_cjk = [t for t in f.read().split("\n") if len(t) == 1 and ord(t) >= 0x2E80]
    items = []
    for _ in range(n_real):
        src, t = rng.choice(reals)
        edit = None
        if rng.random() < 0.25:
            orig = t
            t, edit = mutate(rng, t)
            if apply_edit(orig, edit) != t:
                raise AssertionError("edit %r does not rebuild row %r" % (edit, src))
        items.append({"text": t, "src": src, "edit": edit})
    for _ in range(n_synthetic):
        items.append({"text": synthetic(rng, vocab_cjk)})
    # Fixed edge cases.
    items += [{"text": t} for t in ["", " ", "\u2028", "[CLS]", "a" * 100, "a" * 101, "é" * 100, "é" * 101,
                                     "\u00a0\u3000", "İ", "ΣΑΣ", "ﬃ", "\x00\x00", "##", "[UNK][UNK]",
                                     "中" * 150, "a\u0301" * 60]]
    return items


def generate(data_dir, seed=20240601, n_real=5000, n_synthetic=5000, cjk_vocab=None):
    """Returns the corpus texts (see generate_items)."""
    return [it["text"] for it in generate_items(data_dir, seed, n_real, n_synthetic, cjk_vocab)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("FOUNDERLAB_DATA", "../shared/datasets"))
    ap.add_argument("--cjk-vocab", default="../shared/vocab/bert-base-chinese/vocab.txt")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--real", type=int, default=5000)
    ap.add_argument("--synthetic", type=int, default=5000)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--jsonl")
    g.add_argument("--lines")
    a = ap.parse_args()
    texts = generate(a.data, a.seed, a.real, a.synthetic, a.cjk_vocab)
    if a.jsonl:
        with open(a.jsonl, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(json.dumps(t) + "\n")
    else:
        with open(a.lines, "w", encoding="utf-8", newline="") as f:
            for t in texts:
                f.write(t.replace("\n", " ") + "\n")
    print("wrote %d texts" % len(texts), file=sys.stderr)


if __name__ == "__main__":
    main()
