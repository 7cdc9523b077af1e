package tokenizer

import (
	"testing"
	"unicode/utf8"
)

// FuzzEncode checks invariants on arbitrary input, invalid UTF-8 included:
// no panic; offsets inside the text, on character boundaries and in order;
// ids in the vocabulary; Tokenize agreeing with Encode.
func FuzzEncode(f *testing.F) {
	for _, s := range []string{"Hello, World!", "unaffable 中文 [MASK]", "a\xffb\x00c", "İ\u0301ß\u2028",
		"[CLS][SEP]", "\U0001F469\u200D\U0001F4BB", "e\u0301\u0323", "한국어"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	toks := map[bool]*Tokenizer{}
	for _, lower := range []bool{true, false} {
		tok, err := New(NewVocab(append(tinyTokens, "한", "ᄒ", "##ᅡ", "##ᆫ", "i", "##\u0307")), DefaultConfig(lower))
		if err != nil {
			f.Fatal(err)
		}
		toks[lower] = tok
	}
	f.Fuzz(func(t *testing.T, text string, lower bool) {
		tok := toks[lower]
		enc, err := tok.Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		n := enc.Len()
		if n < 2 || enc.IDs[0] != 2 || enc.IDs[n-1] != 3 {
			t.Fatalf("ids %v lack [CLS] ... [SEP]", enc.IDs)
		}
		prevStart := 0
		for i := 1; i < n-1; i++ {
			o := enc.Offsets[i]
			if o.Start < 0 || o.Start >= o.End || o.End > len(text) {
				t.Fatalf("token %d offset %v outside %d-byte text %q", i, o, len(text), text)
			}
			if o.Start < prevStart {
				t.Fatalf("token %d offset %v before previous start %d", i, o, prevStart)
			}
			prevStart = o.Start
			if utf8.ValidString(text) && (!utf8.RuneStart(text[o.Start]) || o.End < len(text) && !utf8.RuneStart(text[o.End])) {
				t.Fatalf("token %d offset %v splits a character of %q", i, o, text)
			}
			if _, ok := tok.Vocab().Token(enc.IDs[i]); !ok {
				t.Fatalf("id %d not in vocabulary", enc.IDs[i])
			}
		}
		if got := tok.Tokenize(text); len(got) != n-2 {
			t.Fatalf("Tokenize gives %d tokens, Encode %d", len(got), n-2)
		}
	})
}
