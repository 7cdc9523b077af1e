package tokenizer

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzEncode checks invariants on arbitrary input, invalid UTF-8 included:
// no panic; offsets inside the text, on character boundaries and in order;
// ids in the vocabulary; Tokenize agreeing with Encode, streamed or not.
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
		got := tok.Tokenize(text)
		if len(got) != n-2 {
			t.Fatalf("Tokenize gives %d tokens, Encode %d", len(got), n-2)
		}
		// Streaming the text (as long texts are) gives the same tokens.
		old := streamBytes
		streamBytes = 0
		streamed := tok.Tokenize(text)
		streamBytes = old
		if !slices.Equal(streamed, got) {
			t.Fatalf("streamed tokens %q, buffered %q", streamed, got)
		}
	})
}

// FuzzTruncation checks bounded tokenization end to end: with chunks of a
// few bytes, and segments streamed or not, Encode and EncodePair under
// truncation give what tokenizing the whole texts (buffered) and
// truncating gives, errors included, for every strategy and direction.
func FuzzTruncation(f *testing.F) {
	f.Add("hello world, unaffable 中文!", "[CLS] cafes don't", uint8(5), uint8(0))
	f.Add("a\xffb a.b hello world", "", uint8(3), uint8(7))
	f.Add("x y z w v u t s r q p o n m", "hello", uint8(4), uint8(2))
	f.Add("hello hello hello", "world world world world", uint8(6), uint8(1))
	old := chunkBytes
	chunkBytes = func(int) int { return 3 }
	f.Cleanup(func() { chunkBytes = old })
	base, err := New(NewVocab(append(tinyTokens, "x", "y", "z")), DefaultConfig(true))
	if err != nil {
		f.Fatal(err)
	}
	base = extraAdded(f, base)
	f.Fuzz(func(t *testing.T, text, pair string, maxLen, mode uint8) {
		tr := &Truncation{MaxLength: 1 + int(maxLen)%24, Strategy: TruncationStrategy(mode % 3), Direction: Direction(mode / 3 % 2)}
		tok, err := base.WithTruncation(tr)
		if err != nil {
			t.Fatal(err)
		}
		isPair := mode/6%2 == 1
		oldStream := streamBytes
		if mode/12%2 == 1 {
			streamBytes = 0
		}
		var got Encoding
		if isPair {
			got, err = tok.EncodePair(text, pair)
		} else {
			got, err = tok.Encode(text)
		}
		streamBytes = oldStream
		st := new(state)
		a := slices.Clone(tok.tokenize(st, text, 0, nil))
		var b []piece
		if isPair {
			b = tok.tokenize(st, pair, 0, nil)
		}
		wa, wb, werr := tok.truncate(a, b, isPair, cmp.Compare(len(a), len(b)))
		if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
			t.Fatalf("%+v pair %v: error %v, whole texts give %v", tr, isPair, err, werr)
		}
		if err != nil {
			return
		}
		want := tok.postProcess(wa, wb, isPair)
		if !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.Offsets, want.Offsets) || !slices.Equal(got.TypeIDs, want.TypeIDs) {
			t.Fatalf("%+v pair %v: ids %v offsets %v, whole texts give %v %v", tr, isPair, got.IDs, got.Offsets, want.IDs, want.Offsets)
		}
	})
}

// FuzzReadJSON checks the tokenizer.json loader on arbitrary bytes: it
// never panics; what it rejects is an error naming tokenizer.json; what it
// accepts encodes text with ids in 0..Size()-1 and at most MaxPadding
// tokens past the text (no huge allocation).
func FuzzReadJSON(f *testing.F) {
	model := `"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"a":1,"[CLS]":2,"[SEP]":3,"[PAD]":4,"##a":5}},"pre_tokenizer":{"type":"BertPreTokenizer"}`
	for _, extra := range []string{
		``,
		`,"normalizer":{"type":"BertNormalizer","lowercase":false,"strip_accents":null}`,
		`,"padding":{"strategy":{"Fixed":8},"pad_id":4,"pad_token":"[PAD]","direction":"Left"}`,
		`,"padding":{"strategy":"BatchLongest","pad_to_multiple_of":4,"pad_id":4}`,
		`,"padding":{"strategy":{"Fixed":2000000000},"pad_id":4}`,
		`,"truncation":{"max_length":4,"strategy":"OnlyFirst","direction":"Left","stride":0}`,
		`,"added_tokens":[{"id":2,"content":"[CLS]","special":true},{"id":6,"content":"<x y>","normalized":true}]`,
		`,"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"pair":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":1}}],"special_tokens":{"[CLS]":{"ids":[2]}}}`,
		`,"post_processor":{"type":"BertProcessing","sep":["[SEP]",3],"cls":["[CLS]",2]}`,
		`,"decoder":{"type":"WordPiece","prefix":"##","cleanup":true}`,
	} {
		f.Add([]byte("{" + model + extra + "}"))
	}
	f.Add([]byte(`{"model":{"type":"WordPiece","vocab":{"a":9999999}}}`))
	f.Add([]byte("{" + model + "} trailing"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "tokenizer: tokenizer.json: ") {
				t.Fatalf("error does not name tokenizer.json: %v", err)
			}
			return
		}
		for _, text := range []string{"a aa [CLS] <x y>", ""} {
			enc, err := tok.Encode(text)
			if err != nil {
				continue // truncation settings that cannot be met
			}
			if enc.Len() > len(text)+MaxPadding+16 {
				t.Fatalf("%d tokens for %q", enc.Len(), text)
			}
			for _, id := range enc.IDs {
				if id < 0 || id >= tok.Size() {
					t.Fatalf("id %d outside 0..%d", id, tok.Size()-1)
				}
			}
		}
	})
}
