package tokenizer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var tinyTokens = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able",
	"hello", ",", "!", "world", "中", "文", "cafe", "##s", "a", "##a", "'", "t", "don"}

func tiny(t *testing.T, lower bool) *Tokenizer {
	t.Helper()
	tok, err := New(NewVocab(tinyTokens), DefaultConfig(lower))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestEncodeByHand(t *testing.T) {
	tok := tiny(t, true)
	tests := []struct {
		text string
		ids  []int
		offs []Offset // of the tokens between [CLS] and [SEP]
	}{
		{"Hello, World!", []int{8, 9, 11, 10}, []Offset{{0, 5}, {5, 6}, {7, 12}, {12, 13}}},
		{"unaffable", []int{5, 6, 7}, []Offset{{0, 2}, {2, 5}, {5, 9}}},
		{"Café", []int{14}, []Offset{{0, 5}}},
		{"Cafe\u0301s", []int{14, 15}, []Offset{{0, 4}, {6, 7}}}, // the separate mark U+0301 (bytes 4-6) is stripped
		{"中文", []int{12, 13}, []Offset{{0, 3}, {3, 6}}},
		{"xyz hello", []int{1, 8}, []Offset{{0, 3}, {4, 9}}},
		{"hello[MASK]world", []int{8, 4, 11}, []Offset{{0, 5}, {5, 11}, {11, 16}}},
		{"hello [mask]", []int{8, 1, 1, 1}, nil}, // lowercase [mask] is not the added token
		{"hel\u200blo", []int{8}, []Offset{{0, 8}}},
		{"a\xffa", []int{16, 17}, []Offset{{0, 1}, {2, 3}}},
		{"\t\u2028\u3000\x00", nil, nil},
		{"don't", []int{20, 18, 19}, []Offset{{0, 3}, {3, 4}, {4, 5}}},
		{strings.Repeat("a", 100), append([]int{16}, slices.Repeat([]int{17}, 99)...), nil},
		{strings.Repeat("a", 101), []int{1}, []Offset{{0, 101}}},
	}
	for _, tc := range tests {
		enc, err := tok.Encode(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		want := append(append([]int{2}, tc.ids...), 3)
		if !slices.Equal(enc.IDs, want) {
			t.Errorf("Encode(%+q) = %v %q, want %v", tc.text, enc.IDs, enc.Tokens, want)
			continue
		}
		if tc.offs != nil && !slices.Equal(enc.Offsets[1:len(enc.Offsets)-1], tc.offs) {
			t.Errorf("Encode(%+q) offsets %v, want %v", tc.text, enc.Offsets[1:len(enc.Offsets)-1], tc.offs)
		}
		if enc.Offsets[0] != (Offset{}) || enc.SpecialTokensMask[0] != 1 || enc.SequenceIDs[0] != -1 {
			t.Errorf("Encode(%+q): [CLS] has offset %v, special %d, sequence %d", tc.text, enc.Offsets[0], enc.SpecialTokensMask[0], enc.SequenceIDs[0])
		}
	}
	// Cased: "Hello" is not in the vocabulary, accents stay.
	enc, _ := tiny(t, false).Encode("Hello hello Café")
	if want := []int{2, 1, 8, 1, 3}; !slices.Equal(enc.IDs, want) {
		t.Errorf("cased: %v, want %v", enc.IDs, want)
	}
}

func TestPairTruncationPadding(t *testing.T) {
	tok := tiny(t, true)
	enc, err := tok.EncodePair("hello", "world, world")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 8, 3, 11, 9, 11, 3}; !slices.Equal(enc.IDs, want) {
		t.Errorf("pair ids %v, want %v", enc.IDs, want)
	}
	if want := []int{0, 0, 0, 1, 1, 1, 1}; !slices.Equal(enc.TypeIDs, want) {
		t.Errorf("type ids %v, want %v", enc.TypeIDs, want)
	}
	if want := []int{-1, 0, -1, 1, 1, 1, -1}; !slices.Equal(enc.SequenceIDs, want) {
		t.Errorf("sequence ids %v, want %v", enc.SequenceIDs, want)
	}
	if want := (Offset{7, 12}); enc.Offsets[5] != want {
		t.Errorf("offset of second world %v, want %v (in the pair text)", enc.Offsets[5], want)
	}
	tr, err := tok.WithTruncation(&Truncation{MaxLength: 5})
	if err != nil {
		t.Fatal(err)
	}
	enc, _ = tr.EncodePair("hello hello hello", "world , world")
	if want := []int{2, 8, 3, 11, 3}; !slices.Equal(enc.IDs, want) {
		t.Errorf("longest-first ids %v, want %v", enc.IDs, want)
	}
	left, _ := tok.WithTruncation(&Truncation{MaxLength: 4, Direction: Left})
	enc, _ = left.Encode("un hello world")
	if want := []int{2, 8, 11, 3}; !slices.Equal(enc.IDs, want) {
		t.Errorf("left truncation ids %v, want %v", enc.IDs, want)
	}
	second, _ := tok.WithTruncation(&Truncation{MaxLength: 5, Strategy: OnlySecond})
	if _, err := second.Encode("hello hello hello hello"); err == nil {
		t.Error("OnlySecond on a single text: no error")
	}
	if _, err := second.EncodePair("hello hello hello hello", "world"); err == nil || !strings.Contains(err.Error(), "second sequence") {
		t.Errorf("OnlySecond with a short second text: err = %v", err)
	}
	padded, _ := tok.WithPadding(&Padding{Length: 6, Token: "[PAD]", Direction: Left})
	enc, _ = padded.Encode("hello")
	if want := []int{0, 0, 0, 2, 8, 3}; !slices.Equal(enc.IDs, want) {
		t.Errorf("left padding ids %v, want %v", enc.IDs, want)
	}
	if want := []int{0, 0, 0, 1, 1, 1}; !slices.Equal(enc.AttentionMask, want) {
		t.Errorf("attention mask %v, want %v", enc.AttentionMask, want)
	}
	if enc.Tokens[0] != "[PAD]" || len(enc.Offsets) != 6 || len(enc.SpecialTokensMask) != 6 {
		t.Errorf("padding tokens %q", enc.Tokens)
	}
	batchTok, _ := tok.WithPadding(&Padding{MultipleOf: 4, Token: "[PAD]"})
	encs, err := batchTok.EncodeBatch(context.Background(), []string{"hello", "hello world , hello world"})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range encs {
		if e.Len() != 8 {
			t.Errorf("batch item %d has %d tokens, want 8 (longest 7 rounded to a multiple of 4)", i, e.Len())
		}
	}
}

func TestEncodeBatchMatchesEncode(t *testing.T) {
	tok := tiny(t, true)
	var texts []string
	for i := 0; i < 200; i++ {
		texts = append(texts, strings.Repeat("hello unaffable 中 ", i%7)+"world")
	}
	encs, err := tok.EncodeBatch(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		one, _ := tok.Encode(text)
		if !slices.Equal(one.IDs, encs[i].IDs) || !slices.Equal(one.Offsets, encs[i].Offsets) {
			t.Fatalf("batch item %d differs from Encode", i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tok.EncodeBatch(ctx, texts); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestDecode(t *testing.T) {
	tok := tiny(t, true)
	ids := []int{2, 5, 6, 7, 9, 8, 10, 20, 18, 19, 3, 0}
	// Cleanup runs per token, so " ' " never matches: Hugging Face gives "don ' t" too.
	if got, want := tok.Decode(ids, true), "unaffable, hello! don ' t"; got != want {
		t.Errorf("Decode(skip) = %q, want %q", got, want)
	}
	if got, want := tok.Decode(ids, false), "[CLS] unaffable, hello! don ' t [SEP] [PAD]"; got != want {
		t.Errorf("Decode(keep) = %q, want %q", got, want)
	}
	if got := tok.Decode([]int{8, 999, -1, 11}, true); got != "hello world" {
		t.Errorf("Decode with unknown ids = %q", got)
	}
}

func TestReadVocab(t *testing.T) {
	v, err := ReadVocab(strings.NewReader("a\nb\u2028c\r\nd\n\na\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Size() != 5 {
		t.Fatalf("size %d, want 5", v.Size())
	}
	for tok, want := range map[string]int{"b\u2028c": 1, "d": 2, "": 3, "a": 4} {
		if id, ok := v.ID(tok); !ok || id != want {
			t.Errorf("ID(%q) = %d, %v; want %d", tok, id, ok, want)
		}
	}
	if tok, _ := v.Token(0); tok != "a" {
		t.Errorf("Token(0) = %q", tok)
	}
	if _, err := ReadVocab(strings.NewReader("")); err == nil {
		t.Error("empty vocab: no error")
	}
}

func TestChineseVocabU2028(t *testing.T) {
	v, err := LoadVocab(sharedVocab(t, "bert-base-chinese/vocab.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Size() != 21128 {
		t.Errorf("size %d, want 21128", v.Size())
	}
	n := 0
	for id := 0; id < v.Size(); id++ {
		if tok, _ := v.Token(id); strings.Contains(tok, "\u2028") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d entries contain U+2028, want 2", n)
	}
	if id, _ := v.ID("[CLS]"); id != 101 {
		t.Errorf("[CLS] = %d, want 101", id)
	}
}

func TestLoadJSONErrors(t *testing.T) {
	base := `{"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"a":1}},"pre_tokenizer":{"type":"BertPreTokenizer"}%s}`
	tests := []struct{ extra, want string }{
		{`,"normalizer":{"type":"NFC"}`, `normalizer type "NFC"`},
		{`,"added_tokens":[{"id":0,"content":"[UNK]","lstrip":true}]`, "lstrip"},
		{`,"post_processor":{"type":"RobertaProcessing"}`, "RobertaProcessing"},
		{`,"decoder":{"type":"ByteLevel"}`, "ByteLevel"},
		{`,"truncation":{"max_length":8,"strategy":"Nope"}`, "Nope"},
		{`,"padding":{"strategy":"Sideways"}`, "padding strategy"},
	}
	for _, tc := range tests {
		_, err := ReadJSON(strings.NewReader(strings.Replace(base, "%s", tc.extra, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.extra, err, tc.want)
		}
	}
	if _, err := ReadJSON(strings.NewReader(`{"model":{"type":"BPE"}}`)); err == nil || !strings.Contains(err.Error(), "BPE") {
		t.Errorf("BPE model: err = %v", err)
	}
	if _, err := ReadJSON(strings.NewReader(`{"model":`)); err == nil {
		t.Error("truncated JSON: no error")
	}
	tok, err := ReadJSON(strings.NewReader(strings.Replace(base, "%s", "", 1)))
	if err != nil {
		t.Fatalf("minimal tokenizer.json: %v", err)
	}
	if enc, _ := tok.Encode("a b"); !slices.Equal(enc.IDs, []int{1, 0}) {
		t.Errorf("minimal tokenizer: %v, want [1 0] (no normalizer, no template)", enc.IDs)
	}
}

func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "vocab.txt"), []byte(strings.Join(tinyTokens, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tok, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !tok.Config().Normalizer.Lowercase {
		t.Error("directory without tokenizer_config.json: want lowercasing (Hugging Face's default)")
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(`{"do_lower_case": false}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if tok, err = Load(dir); err != nil || tok.Config().Normalizer.Lowercase {
		t.Errorf("do_lower_case false: err %v, lowercase %v", err, err == nil && tok.Config().Normalizer.Lowercase)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing path: no error")
	}
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "neither") {
		t.Errorf("empty directory: err = %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(NewVocab([]string{"a", "b"}), DefaultConfig(true)); err == nil || !strings.Contains(err.Error(), "[UNK]") {
		t.Errorf("vocabulary without [UNK]: err = %v", err)
	}
	// As in transformers' BertTokenizer, special tokens missing from the
	// vocabulary get new ids after it, in the order [SEP] [PAD] [CLS] [MASK].
	tok, err := New(NewVocab([]string{"a", "[UNK]"}), DefaultConfig(true))
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := tok.Encode("a c")
	if want := []int{4, 0, 1, 2}; !slices.Equal(enc.IDs, want) {
		t.Errorf("ids %v, want %v", enc.IDs, want)
	}
	if got := tok.Decode([]int{5, 0, 6, 1}, false); got != "[MASK] a [UNK]" {
		t.Errorf("Decode = %q", got)
	}
	cfg := DefaultConfig(true)
	cfg.Truncation = &Truncation{MaxLength: 0}
	if _, err := New(NewVocab(tinyTokens), cfg); err == nil {
		t.Error("max length 0: no error")
	}
}
