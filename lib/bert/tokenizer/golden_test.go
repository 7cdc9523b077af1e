package tokenizer

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// sharedVocab returns the path of a file under the shared vocabulary
// directory: $FOUNDERLAB_VOCAB, else $FOUNDERLAB_DATA/../vocab, else
// ../shared/vocab beside the repository. The test is skipped, saying so,
// when the file is in none of them.
func sharedVocab(t testing.TB, rel string) string {
	t.Helper()
	var dirs []string
	if d := os.Getenv("FOUNDERLAB_VOCAB"); d != "" {
		dirs = append(dirs, d)
	}
	if d := os.Getenv("FOUNDERLAB_DATA"); d != "" {
		dirs = append(dirs, filepath.Join(d, "..", "vocab"))
	}
	dirs = append(dirs, filepath.Join("..", "..", "..", "..", "shared", "vocab"))
	for _, d := range dirs {
		p := filepath.Join(d, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("vocabulary %s not found in %v (set FOUNDERLAB_VOCAB to the shared vocab directory)", rel, dirs)
	return ""
}

// goldenTokenizers returns the four reference configurations of
// scripts/golden-tokenizer.py, without truncation or padding.
func goldenTokenizers(t testing.TB) map[string]*Tokenizer {
	t.Helper()
	u, err := LoadJSON(sharedVocab(t, "bert-base-uncased/tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := u.Config()
	cfg.Truncation, cfg.Padding = nil, nil
	if u, err = New(u.Vocab(), cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Normalizer.Lowercase = false
	cfg.Normalizer.StripAccents = false // tokenizer.json has strip_accents null: it follows lowercase
	U, err := New(u.Vocab(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	vocab, err := LoadVocab(sharedVocab(t, "bert-base-chinese/vocab.txt"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(vocab, DefaultConfig(false))
	if err != nil {
		t.Fatal(err)
	}
	C, err := New(vocab, DefaultConfig(true))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*Tokenizer{"u": u, "U": U, "c": c, "C": C}
}

type goldenEncoding struct {
	IDs               []int   `json:"ids"`
	TypeIDs           []int   `json:"type_ids"`
	AttentionMask     []int   `json:"attention_mask"`
	SpecialTokensMask []int   `json:"special_tokens_mask"`
	Offsets           [][]int `json:"offsets"`
	SequenceIDs       []int   `json:"sequence_ids"`
}

type goldenRecord struct {
	// Corpus texts.
	T                      *string `json:"t"`
	U, UNoLower, C, CLower string
	// Pairs.
	Pair       string  `json:"pair"`
	A          string  `json:"a"`
	B          *string `json:"b"`
	Truncation *struct {
		MaxLength int    `json:"max_length"`
		Strategy  string `json:"strategy"`
		Direction string `json:"direction"`
	} `json:"truncation"`
	Padding *struct {
		Direction  string `json:"direction"`
		Length     *int   `json:"length"`
		MultipleOf *int   `json:"pad_to_multiple_of"`
	} `json:"padding"`
	Want  json.RawMessage `json:"want"`
	Error string          `json:"error"`
	// Batches.
	Batch            string   `json:"batch"`
	Texts            []string `json:"texts"`
	PaddingDirection string   `json:"padding_direction"`
	// Extra added tokens.
	Added string `json:"added"`
	// Decoding.
	Decode string `json:"decode"`
	IDs    []int  `json:"ids"`
	Skip   string `json:"skip"`
	Keep   string `json:"keep"`
}

var golden struct {
	once sync.Once
	recs []goldenRecord
	err  error
}

// readGolden parses testdata/golden.jsonl.gz once for all golden tests.
func readGolden(t testing.TB) []goldenRecord {
	t.Helper()
	golden.once.Do(func() { golden.recs, golden.err = parseGolden() })
	if golden.err != nil {
		t.Fatal(golden.err)
	}
	return golden.recs
}

func parseGolden() ([]goldenRecord, error) {
	f, err := os.Open("testdata/golden.jsonl.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	var out []goldenRecord
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue // header
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			return nil, fmt.Errorf("golden line %d: %v", line, err)
		}
		var r goldenRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("golden line %d: %v", line, err)
		}
		// Variant keys differ only in case, which encoding/json ignores.
		for key, dst := range map[string]*string{"u": &r.U, "U": &r.UNoLower, "c": &r.C, "C": &r.CLower} {
			if v, ok := raw[key]; ok {
				if err := json.Unmarshal(v, dst); err != nil {
					return nil, fmt.Errorf("golden line %d key %s: %v", line, key, err)
				}
			}
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// compact renders ids and inner offsets (in code points) as
// scripts/golden-tokenizer.py does.
func compact(e Encoding, text string) string {
	var sb strings.Builder
	for i, id := range e.IDs {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(strconv.Itoa(id))
	}
	sb.WriteByte('|')
	offs := e.RuneOffsets(text, "")
	prev := 0
	for i := 1; i < len(offs)-1; i++ {
		if i > 1 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%d,%d", offs[i].Start-prev, offs[i].End-offs[i].Start)
		prev = offs[i].End
	}
	return sb.String()
}

// TestGoldenCorpus compares ids and offsets with Hugging Face's fast
// tokenizers on the 10,017-text corpus, for both vocabularies, with and
// without lowercasing.
func TestGoldenCorpus(t *testing.T) {
	toks := goldenTokenizers(t)
	recs := readGolden(t)
	counts := map[string]int{}
	failures := 0
	for _, r := range recs {
		if r.T == nil {
			continue
		}
		text := *r.T
		for _, v := range []struct{ key, want string }{{"u", r.U}, {"U", r.UNoLower}, {"c", r.C}, {"C", r.CLower}} {
			want := v.want
			switch want {
			case "":
				continue
			case "=u":
				want = r.U
			case "=c":
				want = r.C
			}
			enc, err := toks[v.key].Encode(text)
			if err != nil {
				t.Fatal(err)
			}
			counts[v.key]++
			if got := compact(enc, text); got != want {
				failures++
				if failures <= 10 {
					t.Errorf("variant %s, text %+q:\n got %s\nwant %s\ntokens %q", v.key, text, got, want, enc.Tokens)
				}
			}
			// Offsets are byte ranges on the input; specials have none.
			for i, o := range enc.Offsets {
				if enc.SequenceIDs[i] < 0 && o != (Offset{}) || o.Start > o.End || o.End > len(text) {
					t.Fatalf("variant %s, text %+q: bad offset %v at %d", v.key, text, o, i)
				}
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d mismatches", failures)
	}
	if counts["u"] < 10000 || counts["c"] < 10000 || counts["U"] < 3000 || counts["C"] < 3000 {
		t.Errorf("golden file covers too little: %v", counts)
	}
	t.Logf("texts compared per variant: %v", counts)
}

func checkFull(t *testing.T, what string, got Encoding, a, b string, wantRaw json.RawMessage) {
	t.Helper()
	var want goldenEncoding
	if err := json.Unmarshal(wantRaw, &want); err != nil {
		t.Fatal(err)
	}
	offs := got.RuneOffsets(a, b)
	gotOffs := make([][]int, len(offs))
	for i, o := range offs {
		gotOffs[i] = []int{o.Start, o.End}
	}
	if !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.TypeIDs, want.TypeIDs) ||
		!slices.Equal(got.AttentionMask, want.AttentionMask) ||
		!slices.Equal(got.SpecialTokensMask, want.SpecialTokensMask) ||
		!slices.Equal(got.SequenceIDs, want.SequenceIDs) ||
		!slices.EqualFunc(gotOffs, want.Offsets, slices.Equal[[]int]) {
		t.Errorf("%s:\n got ids %v types %v mask %v special %v seq %v offsets %v\nwant ids %v types %v mask %v special %v seq %v offsets %v",
			what, got.IDs, got.TypeIDs, got.AttentionMask, got.SpecialTokensMask, got.SequenceIDs, gotOffs,
			want.IDs, want.TypeIDs, want.AttentionMask, want.SpecialTokensMask, want.SequenceIDs, want.Offsets)
	}
}

// TestGoldenPairs compares single and pair encodings under truncation
// (every strategy and direction) and padding (fixed, to the longest, to a
// multiple; both sides), errors included.
func TestGoldenPairs(t *testing.T) {
	toks := goldenTokenizers(t)
	n, nErr := 0, 0
	for _, r := range readGolden(t) {
		if r.Pair == "" {
			continue
		}
		cfg := toks[r.Pair].Config()
		if tr := r.Truncation; tr != nil {
			c := &Truncation{MaxLength: tr.MaxLength}
			c.Strategy = map[string]TruncationStrategy{"longest_first": LongestFirst, "only_first": OnlyFirst, "only_second": OnlySecond}[tr.Strategy]
			if tr.Direction == "left" {
				c.Direction = Left
			}
			cfg.Truncation = c
		}
		if p := r.Padding; p != nil {
			c := &Padding{Token: "[PAD]"}
			if p.Length != nil {
				c.Length = *p.Length
			}
			if p.MultipleOf != nil {
				c.MultipleOf = *p.MultipleOf
			}
			if p.Direction == "left" {
				c.Direction = Left
			}
			cfg.Padding = c
		}
		tok, err := New(toks[r.Pair].Vocab(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var enc Encoding
		b := ""
		if r.B != nil {
			b = *r.B
			enc, err = tok.EncodePair(r.A, b)
		} else {
			enc, err = tok.Encode(r.A)
		}
		what := fmt.Sprintf("%s %+q / %+q truncation %+v padding %+v", r.Pair, r.A, b, cfg.Truncation, cfg.Padding)
		n++
		if r.Error != "" {
			nErr++
			if err == nil {
				t.Errorf("%s: no error, want %q", what, r.Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", what, err)
			continue
		}
		checkFull(t, what, enc, r.A, b, r.Want)
	}
	if n < 300 || nErr == 0 {
		t.Errorf("compared %d encodings (%d errors); golden file too small", n, nErr)
	}
}

// TestGoldenBatches compares EncodeBatch, padded to the longest text, with
// encode_batch.
func TestGoldenBatches(t *testing.T) {
	toks := goldenTokenizers(t)
	n := 0
	for _, r := range readGolden(t) {
		if r.Batch == "" {
			continue
		}
		p := &Padding{Token: "[PAD]"}
		if r.PaddingDirection == "Left" || r.PaddingDirection == "left" {
			p.Direction = Left
		}
		tok, err := toks[r.Batch].WithPadding(p)
		if err != nil {
			t.Fatal(err)
		}
		encs, err := tok.EncodeBatch(context.Background(), r.Texts)
		if err != nil {
			t.Fatal(err)
		}
		var want []json.RawMessage
		if err := json.Unmarshal(r.Want, &want); err != nil {
			t.Fatal(err)
		}
		if len(encs) != len(want) {
			t.Fatalf("batch of %d: %d encodings, want %d", len(r.Texts), len(encs), len(want))
		}
		for i := range encs {
			checkFull(t, fmt.Sprintf("batch %s item %d %+q", r.Batch, i, r.Texts[i]), encs[i], r.Texts[i], "", want[i])
		}
		n++
	}
	if n < 20 {
		t.Errorf("only %d batches", n)
	}
}

// TestGoldenDecode compares Decode with the WordPiece decoder, with and
// without special tokens.
func TestGoldenDecode(t *testing.T) {
	toks := goldenTokenizers(t)
	n := 0
	for _, r := range readGolden(t) {
		if r.Decode == "" {
			continue
		}
		n++
		tok := toks[r.Decode]
		if got := tok.Decode(r.IDs, true); got != r.Skip {
			t.Errorf("%s Decode(%v, skip) = %+q, want %+q", r.Decode, r.IDs, got, r.Skip)
		}
		if got := tok.Decode(r.IDs, false); got != r.Keep {
			t.Errorf("%s Decode(%v, keep) = %+q, want %+q", r.Decode, r.IDs, got, r.Keep)
		}
	}
	if n < 500 {
		t.Errorf("only %d decode cases", n)
	}
}

// TestGoldenAddedTokens compares encodings with extra added tokens, matched
// in the raw text (normalized false) or after normalization (true).
func TestGoldenAddedTokens(t *testing.T) {
	base := goldenTokenizers(t)["u"]
	cfg := base.Config()
	cfg.AddedTokens = append(cfg.AddedTokens,
		AddedToken{ID: -1, Content: "COVID19", Normalized: true},
		AddedToken{ID: -1, Content: "Hello World", Normalized: true},
		AddedToken{ID: -1, Content: "<ent>"},
		AddedToken{ID: -1, Content: "\u00df", Normalized: true})
	tok, err := New(base.Vocab(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range readGolden(t) {
		if r.Added == "" {
			continue
		}
		n++
		enc, err := tok.Encode(r.A)
		if err != nil {
			t.Fatal(err)
		}
		checkFull(t, fmt.Sprintf("added tokens, %+q", r.A), enc, r.A, "", r.Want)
	}
	if n < 100 {
		t.Errorf("only %d added-token cases", n)
	}
	if id, _ := tok.Encode("covid19"); id.IDs[1] != 30522 || id.Tokens[1] != "COVID19" {
		t.Errorf("new added token: id %d token %q, want 30522 COVID19", id.IDs[1], id.Tokens[1])
	}
}
