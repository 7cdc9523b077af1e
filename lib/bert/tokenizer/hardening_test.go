package tokenizer

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// withChunks runs f with bounded tokenization cutting chunks of n bytes.
func withChunks(n int, f func()) {
	old := chunkBytes
	chunkBytes = func(int) int { return n }
	defer func() { chunkBytes = old }()
	f()
}

// extraAdded returns tok with added tokens that contain spaces,
// punctuation and letters, raw and normalized, so that cut points must
// avoid them.
func extraAdded(t testing.TB, tok *Tokenizer) *Tokenizer {
	t.Helper()
	cfg := tok.Config()
	cfg.AddedTokens = append(cfg.AddedTokens,
		AddedToken{ID: -1, Content: "hello world", Normalized: true},
		AddedToken{ID: -1, Content: "a.b"},
		AddedToken{ID: -1, Content: "ÉTÉ!", Normalized: true},
		AddedToken{ID: -1, Content: "x-y"})
	out, err := New(tok.Vocab(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var stressTexts = []string{
	"", " ", "hello world", "Hello World!hello  world", "a.b a.b.a.b", "été! ÉTÉ! x-y-x-y",
	"[CLS] un[MASK]aff [SEP][SEP]", "中文中文，好。", "a\xffb \xe2\x82 c\xe2\x82\xac", "e\u0301\u0323 \u200b x",
	strings.Repeat("word, ", 50), strings.Repeat("x", 300) + " " + strings.Repeat("y-", 40),
	"\t\n\r\v\f tabs\u00a0and\u2028lines\u3000", "don't stop-believing...!?", "İstanbul ǅemal ß",
}

// checkBounded checks tokenizeBounded against tokenize on text: with an
// unbounded need it returns every piece, in order, whatever the chunks;
// with needs set it also returns, for a few needs, at least that many
// pieces (or all) that are exactly the first (Right) or last (Left) pieces
// of the whole text, and the rest it reports holds the others, which
// compareLengths counts. With stream, every segment is streamed
// (tokenizeStream) and compared with the buffered path too.
func checkBounded(t *testing.T, tok *Tokenizer, what, text string, needs, stream bool) {
	st := new(state)
	whole := slices.Clone(tok.tokenize(st, text, 0, nil))
	if stream {
		old := streamBytes
		streamBytes = 0
		defer func() { streamBytes = old }()
		if got := tok.tokenize(st, text, 0, nil); !slices.Equal(got, whole) {
			t.Fatalf("%s %+q: streamed pieces\n%v\nbuffered\n%v", what, text, got, whole)
		}
	}
	for _, dir := range []Direction{Right, Left} {
		all, rest, _ := tok.tokenizeBounded(st, text, nil, 1<<30, dir)
		if !slices.Equal(all, whole) || rest != "" {
			t.Fatalf("%s %+q, %v: chunked pieces\n%v\nwhole text\n%v", what, text, dir, all, whole)
		}
		if !needs {
			continue
		}
		for _, k := range []int{1, 10} {
			got, rest, dropped := tok.tokenizeBounded(st, text, nil, k, dir)
			want := whole[:len(got)]
			if dir == Left {
				want = whole[len(whole)-len(got):]
			}
			if len(got) < min(k, len(whole)) || !slices.Equal(got, want) {
				t.Fatalf("%s %+q, %v, need %d: pieces %v, whole text %v", what, text, dir, k, got, whole)
			}
			known := len(got) + dropped
			if n := len(tok.tokenize(st, rest, 0, nil)); n != len(whole)-known {
				t.Fatalf("%s %+q, %v, need %d: rest %+q has %d pieces, want %d", what, text, dir, k, rest, n, len(whole)-known)
			}
			for _, other := range []int{len(whole) - 1, len(whole)} {
				if c := tok.compareLengths(st, known, rest, other, "", k); c != cmp.Compare(len(whole), other) {
					t.Fatalf("%s %+q: compareLengths with %d pieces = %d", what, text, other, c)
				}
			}
			if c := tok.compareLengths(st, 0, "", known, rest, k); c != cmp.Compare(0, len(whole)) {
				t.Fatalf("%s %+q: compareLengths with nothing = %d", what, text, c)
			}
		}
	}
}

// TestBoundedMatchesWhole checks that tokenizing in chunks cut at the
// cut points, and streaming long segments, gives exactly the pieces of
// the whole text, on the golden corpus and stress texts, for the four
// reference tokenizers with and without added tokens that contain spaces
// and punctuation: 1-byte chunks on every other text (every 40th with
// -short), and 5-byte chunks, partial tokenization and streaming on every
// fifth (every 80th).
func TestBoundedMatchesWhole(t *testing.T) {
	g := readGolden(t)
	toks := goldenTokenizers(t)
	step, needStep := 2, 5
	if testing.Short() {
		step, needStep = 40, 80
	}
	for _, name := range []string{"u", "U", "c", "C"} {
		for extra, tok := range []*Tokenizer{toks[name], extraAdded(t, toks[name])} {
			for _, n := range []int{1, 5} {
				withChunks(n, func() {
					what := fmt.Sprintf("tokenizer %s (extra added tokens %v), %d-byte chunks:", name, extra == 1, n)
					for _, s := range stressTexts {
						checkBounded(t, tok, what, s, n == 5, n == 5)
					}
					for i := range g.texts {
						if n == 1 && i%step == 0 {
							checkBounded(t, tok, what, g.texts[i], false, false)
						}
						if n == 5 && i%needStep == 0 {
							checkBounded(t, tok, what, g.texts[i], true, true)
						}
					}
				})
			}
		}
	}
}

// TestGoldenStreamed reruns the golden corpus and added-token tests
// against Hugging Face with every segment streamed (tokenizeStream).
func TestGoldenStreamed(t *testing.T) {
	old := streamBytes
	streamBytes = 0
	defer func() { streamBytes = old }()
	TestGoldenCorpus(t)
	TestGoldenAddedTokens(t)
}

// TestGoldenPairsTinyChunks reruns the golden truncation and padding tests
// against Hugging Face with 1-byte chunks, so that bounded tokenization
// decides every truncated encoding there.
func TestGoldenPairsTinyChunks(t *testing.T) {
	withChunks(1, func() { TestGoldenPairs(t) })
}

// TestTruncateCappedLengths checks the premise of need: truncate gives the
// same pieces, and an error in the same cases, when each sequence is
// known only up to maxLen+1 pieces.
func TestTruncateCappedLengths(t *testing.T) {
	pieces := func(n, base int) []piece {
		p := make([]piece, n)
		for i := range p {
			p[i].id = base + i
		}
		return p
	}
	for _, maxLen := range []int{1, 2, 3, 6} {
		for _, strategy := range []TruncationStrategy{LongestFirst, OnlyFirst, OnlySecond} {
			for _, dir := range []Direction{Right, Left} {
				tok := &Tokenizer{cfg: Config{Truncation: &Truncation{MaxLength: maxLen, Strategy: strategy, Direction: dir}}}
				need, _ := tok.need(true)
				for la := 0; la <= 3*maxLen+2; la++ {
					for lb := 0; lb <= 3*maxLen+2; lb++ {
						a, b := pieces(la, 0), pieces(lb, 1000)
						ca, cb := a[:min(la, need)], b[:min(lb, need)]
						if dir == Left {
							ca, cb = a[la-len(ca):], b[lb-len(cb):]
						}
						longer := cmp.Compare(la, lb)
						wa, wb, werr := tok.truncate(a, b, true, longer)
						ga, gb, gerr := tok.truncate(ca, cb, true, longer)
						if (werr == nil) != (gerr == nil) || !slices.Equal(wa, ga) || !slices.Equal(wb, gb) {
							t.Fatalf("max %d %v %v, lengths %d and %d: whole %v %v %v, capped %v %v %v", maxLen, strategy, dir, la, lb, wa, wb, werr, ga, gb, gerr)
						}
						if werr != nil && werr.Error() != gerr.Error() {
							t.Fatalf("max %d %v, lengths %d and %d: error %q, capped %q", maxLen, strategy, la, lb, werr, gerr)
						}
					}
				}
			}
		}
	}
}

// TestTruncationBoundsWork is the regression test for a 50 MB text that
// was tokenized whole (3.4–3.9 GB, 10 s) before truncation kept 512
// tokens: now the work and memory are bounded by the truncation length,
// and the result is that of the text's beginning (or end).
func TestTruncationBoundsWork(t *testing.T) {
	base := tiny(t, true)
	unit := "hello, world! un-affable cafes 中文. "
	big := strings.Repeat(unit, 50<<20/len(unit))
	head, tail := big[:20000], big[len(big)-20000:]
	for _, tc := range []struct {
		name string
		tr   Truncation
		pair bool
	}{
		{"right", Truncation{MaxLength: 512}, false},
		{"left", Truncation{MaxLength: 512, Direction: Left}, false},
		{"pair longest first", Truncation{MaxLength: 512}, true},
		{"pair only second", Truncation{MaxLength: 512, Strategy: OnlySecond}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := base.WithTruncation(&tc.tr)
			if err != nil {
				t.Fatal(err)
			}
			short := head
			if tc.tr.Direction == Left {
				short = tail
			}
			encode := func(s string) (Encoding, error) {
				if tc.pair {
					return tok.EncodePair("hello world", s)
				}
				return tok.Encode(s)
			}
			want, err := encode(short)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got, err := encode(big)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
				t.Errorf("encoding 50 MB allocated %d bytes; want it bounded by the 512 tokens kept", alloc)
			}
			if !slices.Equal(got.IDs, want.IDs) || got.Len() != 512 {
				t.Errorf("ids of 50 MB text (%d) differ from those of its %s 20 kB (%d)", got.Len(), tc.tr.Direction, want.Len())
			}
			if tc.tr.Direction == Left {
				shift := len(big) - len(tail)
				for i, o := range want.Offsets {
					if want.SequenceIDs[i] == 0 && !tc.pair {
						o.Start += shift
						o.End += shift
					}
					if got.Offsets[i] != o {
						t.Fatalf("token %d: offset %v, want %v", i, got.Offsets[i], o)
					}
				}
			}
		})
	}
	tok, _ := base.WithTruncation(&Truncation{MaxLength: 16})
	encs, err := tok.EncodeBatch(context.Background(), []string{big, "hello"})
	if err != nil || encs[0].Len() != 16 || encs[1].Len() != 3 {
		t.Fatalf("batch: %v, %v", encs, err)
	}
	// Texts without a cut point for megabytes: one 8 MB word (one [UNK]
	// spanning it), 8 MB of removed characters, 8 MB of "[" (which occurs in
	// the special tokens), 8 MB of special tokens. Memory stays bounded.
	const n = 8 << 20
	for _, tc := range []struct {
		text string
		want []string
		end  int // offset end of the first text token
	}{
		{strings.Repeat("a", n), []string{"[CLS]", "[UNK]", "[SEP]"}, n},
		{strings.Repeat("\x00", n) + "hello", []string{"[CLS]", "hello", "[SEP]"}, n + 5},
		{strings.Repeat("[", n), slices.Concat([]string{"[CLS]"}, slices.Repeat([]string{"[UNK]"}, 14), []string{"[SEP]"}), 1},
		{strings.Repeat("[MASK]", n/6), slices.Concat([]string{"[CLS]"}, slices.Repeat([]string{"[MASK]"}, 14), []string{"[SEP]"}), 6},
	} {
		for _, dir := range []Direction{Right, Left} {
			tok, _ := base.WithTruncation(&Truncation{MaxLength: 16, Direction: dir})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			enc, err := tok.Encode(tc.text)
			runtime.ReadMemStats(&after)
			if err != nil || !slices.Equal(enc.Tokens, tc.want) {
				t.Errorf("%.10q... %v: tokens %q, %v; want %q", tc.text, dir, enc.Tokens, err, tc.want)
				continue
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
				t.Errorf("%.10q... %v: allocated %d bytes for an %d-byte text", tc.text, dir, alloc, len(tc.text))
			}
			if dir == Right && enc.Offsets[1].End != tc.end {
				t.Errorf("%.10q...: first token ends at %d, want %d", tc.text, enc.Offsets[1].End, tc.end)
			}
		}
	}
}

// TestTruncationErrorsWithCappedCounts checks the OnlyFirst and OnlySecond
// errors, which no longer count every token of a long sequence.
func TestTruncationErrorsWithCappedCounts(t *testing.T) {
	tok := tiny(t, true)
	for _, tc := range []struct {
		strategy TruncationStrategy
		a, b     string
		want     string
	}{
		{OnlyFirst, "hello", strings.Repeat("world ", 100), "the second sequence has more than 5 tokens and at most 5 tokens of text fit: cutting the first sequence cannot"},
		{OnlyFirst, "hello", strings.Repeat("world ", 5), "the second sequence has 5 tokens"},
		{OnlySecond, strings.Repeat("hello ", 100), "world", "the first sequence has more than 5 tokens and at most 5 tokens of text fit: cutting the second sequence cannot"},
	} {
		tr, err := tok.WithTruncation(&Truncation{MaxLength: 8, Strategy: tc.strategy})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.EncodePair(tc.a, tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.strategy, err, tc.want)
		}
	}
}

// TestInvalidUTF8 pins the documented choice: each byte that is not part
// of valid UTF-8 is read as U+FFFD (as Go's range loop and encoding/json
// do), never an error; BertNormalizer's CleanText then removes it as
// Hugging Face removes U+FFFD, and without CleanText it is part of a word.
// Offsets point at the invalid bytes of the input.
func TestInvalidUTF8(t *testing.T) {
	for _, clean := range []bool{true, false} {
		cfg := DefaultConfig(true)
		cfg.Normalizer.CleanText = clean
		tok, err := New(NewVocab(append(slices.Clone(tinyTokens), "\ufffd", "##\ufffd")), cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ bad, good string }{
			{"hello\xffworld", "hello\ufffdworld"},
			{"a \xff\xfe b", "a \ufffd\ufffd b"},
			{"cafe\xe2\x82s", "cafe\ufffd\ufffds"}, // a truncated "€": two bytes, two U+FFFD
			{"\xc0\xaf,", "\ufffd\ufffd,"},         // an overlong "/"
		} {
			bad, err := tok.Encode(tc.bad)
			if err != nil {
				t.Fatalf("%+q: %v", tc.bad, err)
			}
			good, _ := tok.Encode(tc.good)
			if !slices.Equal(bad.IDs, good.IDs) {
				t.Errorf("clean text %v: %+q gives %v, %+q %v", clean, tc.bad, bad.Tokens, tc.good, good.Tokens)
			}
			for i, o := range bad.Offsets {
				if o.End > len(tc.bad) {
					t.Errorf("%+q: offset %v past the end", tc.bad, o)
				}
				_ = i
			}
		}
	}
	// With CleanText the invalid byte vanishes: "hello\xffworld" is one word.
	enc, _ := tiny(t, true).Encode("hello\xffworld")
	if want := []string{"[CLS]", "[UNK]", "[SEP]"}; !slices.Equal(enc.Tokens, want) {
		t.Errorf("tokens %q, want %q", enc.Tokens, want)
	}
}

// TestLoadJSONHardening covers tokenizer.json values that used to be
// accepted: a fixed padding that made every Encode allocate gigabytes, ids
// outside the vocabulary, and data after the JSON value.
func TestLoadJSONHardening(t *testing.T) {
	base := `{"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"a":1,"[CLS]":2,"[SEP]":3,"[PAD]":4}},"pre_tokenizer":{"type":"BertPreTokenizer"}%s}`
	tmpl := func(cls int) string {
		return fmt.Sprintf(`,"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"pair":[],"special_tokens":{"[CLS]":{"ids":[%d]}}}`, cls)
	}
	for _, tc := range []struct{ name, extra, want string }{
		{"fixed padding", `,"padding":{"strategy":{"Fixed":2000000000},"pad_id":4,"pad_token":"[PAD]"}`, "padding length 2000000000, multiple 0: more than MaxPadding (65536) tokens"},
		{"padding multiple", `,"padding":{"strategy":"BatchLongest","pad_to_multiple_of":1000000000,"pad_id":4}`, "more than MaxPadding"},
		{"pad id", `,"padding":{"strategy":"BatchLongest","pad_id":5,"pad_token":"[PAD]"}`, "padding id 5 is not an id of the tokenizer (0..4)"},
		{"negative pad id", `,"padding":{"strategy":"BatchLongest","pad_id":-1}`, "padding id -1"},
		{"pad type id", `,"padding":{"strategy":"BatchLongest","pad_id":4,"pad_type_id":-2}`, "padding type id -2"},
		{"added id", `,"added_tokens":[{"id":7,"content":"[MASK]"}]`, `added token "[MASK]" has id 7; added tokens take ids below 6`},
		{"negative added id", `,"added_tokens":[{"id":-1,"content":"[MASK]"}]`, `added token "[MASK]" has negative id -1`},
		{"template id", tmpl(99), `template token "[CLS]" has id 99, outside`},
		{"negative template id", tmpl(-1), `special token "[CLS]" has negative id -1`},
		{"bert processing id", `,"post_processor":{"type":"BertProcessing","sep":["[SEP]",3],"cls":["[CLS]",1000000]}`, `template token "[CLS]" has id 1000000`},
		{"trailing garbage", `}garbage{`, "data after the JSON value (from byte"},
		{"two values", `}{"model":{}`, "data after the JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			js := strings.Replace(base, "%s", tc.extra, 1)
			_, err := ReadJSON(strings.NewReader(js))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "tokenizer: tokenizer.json: ") {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	ok := strings.Replace(base, "%s", `,"padding":{"strategy":{"Fixed":65536},"pad_id":4,"pad_token":"[PAD]"}`+tmpl(2), 1) + " \n\t\n"
	tok, err := ReadJSON(strings.NewReader(ok))
	if err != nil {
		t.Fatalf("padding to MaxPadding with trailing white space: %v", err)
	}
	if enc, _ := tok.Encode("a"); enc.Len() != MaxPadding || enc.IDs[0] != 2 || enc.IDs[1] != 1 || enc.IDs[2] != 4 {
		t.Fatalf("encoding of %d tokens, starting %v", enc.Len(), enc.IDs[:3])
	}
	if tok.Size() != 5 {
		t.Errorf("Size() = %d, want 5", tok.Size())
	}
	for _, tc := range []struct {
		added []string
		want  int
	}{
		{nil, len(tinyTokens)},                             // the default special tokens are in the vocabulary
		{[]string{"[NEW]", "[NEW2]"}, len(tinyTokens) + 2}, // new ones extend it
	} {
		cfg := DefaultConfig(true)
		for _, a := range tc.added {
			cfg.AddedTokens = append(cfg.AddedTokens, AddedToken{ID: -1, Content: a})
		}
		if tok, err := New(NewVocab(tinyTokens), cfg); err != nil || tok.Size() != tc.want {
			t.Errorf("added %q: Size() = %d, %v; want %d", tc.added, tok.Size(), err, tc.want)
		}
	}
	// New applies the same checks to configurations built in Go.
	cfg := DefaultConfig(true)
	cfg.Padding = &Padding{Length: MaxPadding + 1}
	if _, err := New(NewVocab(tinyTokens), cfg); err == nil || !strings.Contains(err.Error(), "MaxPadding") {
		t.Errorf("New with padding length %d: %v", MaxPadding+1, err)
	}
	cfg = DefaultConfig(true)
	cfg.Template.SpecialIDs["[CLS]"] = []int{len(tinyTokens) + 5}
	if _, err := New(NewVocab(tinyTokens), cfg); err == nil || !strings.Contains(err.Error(), "outside the tokenizer's ids") {
		t.Errorf("New with a template id past the vocabulary: %v", err)
	}
}
