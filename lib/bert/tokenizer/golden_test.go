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

	"github.com/founderlab/founderlab/internal/testenv"
)

// sharedVocab returns the path of a file under the shared vocabulary
// directory: $FOUNDERLAB_VOCAB, else $FOUNDERLAB_DATA/../vocab, else
// ../shared/vocab beside the repository. The test is skipped, saying so,
// when the file is in none of them (testenv.MissingData).
func sharedVocab(t testing.TB, rel string) string {
	t.Helper()
	var dirs []string
	if d := os.Getenv("FOUNDERLAB_VOCAB"); d != "" {
		dirs = append(dirs, d)
	}
	if d := os.Getenv("FOUNDERLAB_DATA"); d != "" {
		dirs = append(dirs, filepath.Join(d, "..", "vocab"))
	}
	if d, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "shared", "vocab")); err == nil {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		p := filepath.Join(d, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	testenv.MissingData(t, fmt.Sprintf("needs vocabulary %s: not found in %v; set FOUNDERLAB_VOCAB to the shared vocab directory", rel, dirs))
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
	// Corpus texts: T for a synthetic text; for a real-derived one, Src,
	// the edit (Ins, Case, Cx) and SHA (see golden_data_test.go).
	T    *string         `json:"t"`
	Src  *goldenSource   `json:"src"`
	Ins  []indexedString `json:"ins"`
	Case string          `json:"case"`
	Cx   []indexedString `json:"cx"`
	SHA  string          `json:"sha"`
	// Encodings per variant (keys u, U, c, C: set by parseGolden).
	U, UNoLower, C, CLower string `json:"-"`
	// Pairs: A and B are corpus indexes. Added tokens: A is a string or a
	// list of corpus indexes and strings to concatenate.
	Pair       string          `json:"pair"`
	A          json.RawMessage `json:"a"`
	B          *int            `json:"b"`
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
	// Batches: corpus indexes.
	Batch            string `json:"batch"`
	Texts            []int  `json:"texts"`
	PaddingDirection string `json:"padding_direction"`
	// Extra added tokens.
	Added string `json:"added"`
	// Decoding: the decoded strings, or for ids of a real-derived text
	// their short sha256.
	Decode  string  `json:"decode"`
	IDs     []int   `json:"ids"`
	Skip    *string `json:"skip"`
	Keep    *string `json:"keep"`
	SkipSHA string  `json:"skip_sha"`
	KeepSHA string  `json:"keep_sha"`
}

// goldenData is the parsed golden file with its corpus texts resolved.
type goldenData struct {
	recs   []goldenRecord
	corpus []*goldenRecord // the corpus records, in order: their index is the corpus index
	texts  []string        // corpus texts; "" for real-derived ones when missing != nil
	// missing says why the real-derived texts could not be rebuilt (the
	// data sets are not there); nil when they were.
	missing error
}

// isReal reports whether corpus text i comes from a data set.
func (g *goldenData) isReal(i int) bool { return g.corpus[i].Src != nil }

// addedText resolves the text of an added-token case and reports whether
// it contains a real-derived text.
func (g *goldenData) addedText(raw json.RawMessage) (text string, real bool, err error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, false, nil
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", false, fmt.Errorf("added text %s: %v", raw, err)
	}
	var sb strings.Builder
	for _, p := range parts {
		var i int
		if json.Unmarshal(p, &i) == nil {
			if i < 0 || i >= len(g.texts) {
				return "", false, fmt.Errorf("added text %s: corpus index %d out of range", raw, i)
			}
			real = real || g.isReal(i)
			sb.WriteString(g.texts[i])
			continue
		}
		if err := json.Unmarshal(p, &s); err != nil {
			return "", false, fmt.Errorf("added text %s: %v", raw, err)
		}
		sb.WriteString(s)
	}
	return sb.String(), real, nil
}

var golden struct {
	once sync.Once
	data *goldenData
	err  error
}

// readGolden parses testdata/golden.jsonl.gz once for all golden tests and
// rebuilds its real-derived texts from the data sets when they are there.
func readGolden(t testing.TB) *goldenData {
	t.Helper()
	golden.once.Do(func() { golden.data, golden.err = parseGolden() })
	if golden.err != nil {
		t.Fatal(golden.err)
	}
	return golden.data
}

func parseGolden() (*goldenData, error) {
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
	var header struct {
		Texts   int               `json:"texts"`
		Sources map[string]string `json:"sources"`
	}
	g := &goldenData{}
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if err := json.Unmarshal(sc.Bytes(), &header); err != nil {
				return nil, fmt.Errorf("golden header: %v", err)
			}
			continue
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
		if (r.T != nil) == (r.Src != nil) && (r.T != nil || r.U != "") {
			return nil, fmt.Errorf("golden line %d: a corpus text needs exactly one of t and src", line)
		}
		g.recs = append(g.recs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for i := range g.recs {
		r := &g.recs[i]
		if r.T != nil || r.Src != nil {
			g.corpus = append(g.corpus, r)
			text := ""
			if r.T != nil {
				text = *r.T
			}
			g.texts = append(g.texts, text)
		}
	}
	if len(g.corpus) != header.Texts {
		return nil, fmt.Errorf("golden file: %d corpus texts, header says %d", len(g.corpus), header.Texts)
	}
	for i, r := range g.recs {
		idx := slices.Clone(r.Texts)
		if r.Pair != "" {
			var a int
			if err := json.Unmarshal(r.A, &a); err != nil {
				return nil, fmt.Errorf("golden pair %d: a: %v", i, err)
			}
			idx = append(idx, a)
			if r.B != nil {
				idx = append(idx, *r.B)
			}
		}
		for _, j := range idx {
			if j < 0 || j >= len(g.corpus) {
				return nil, fmt.Errorf("golden record %d: corpus index %d out of range", i, j)
			}
		}
	}
	if g.missing = fetchGoldenData(header.Sources); g.missing == nil {
		missing, err := rebuildRealTexts(header.Sources, g.corpus, g.texts)
		if err != nil {
			return nil, fmt.Errorf("golden file: %w", err)
		}
		g.missing = missing
	}
	return g, nil
}

// goldenParts splits every golden test in two: cases made only of
// synthetic texts always run; cases with a text from a data set need the
// data directory (requireGoldenData).
var goldenParts = []struct {
	name string
	real bool
}{{"synthetic", false}, {"real", true}}

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
// tokenizers on the 10,017-text corpus (5,017 synthetic texts, 5,000 from
// the data sets), for both vocabularies, with and without lowercasing.
func TestGoldenCorpus(t *testing.T) {
	toks := goldenTokenizers(t)
	g := readGolden(t)
	for _, part := range goldenParts {
		t.Run(part.name, func(t *testing.T) {
			if part.real {
				requireGoldenData(t, g.missing)
			}
			counts := map[string]int{}
			failures := 0
			for i, r := range g.corpus {
				if g.isReal(i) != part.real {
					continue
				}
				text := g.texts[i]
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
							t.Errorf("variant %s, corpus text %d %+q:\n got %s\nwant %s\ntokens %q", v.key, i, text, got, want, enc.Tokens)
						}
					}
					// Offsets are byte ranges on the input; specials have none.
					for j, o := range enc.Offsets {
						if enc.SequenceIDs[j] < 0 && o != (Offset{}) || o.Start > o.End || o.End > len(text) {
							t.Fatalf("variant %s, corpus text %d %+q: bad offset %v at %d", v.key, i, text, o, j)
						}
					}
				}
			}
			if failures > 0 {
				t.Errorf("%d mismatches", failures)
			}
			if counts["u"] < 5000 || counts["c"] < 5000 || counts["U"] < 1500 || counts["C"] < 1500 {
				t.Errorf("golden file covers too little: %v", counts)
			}
			t.Logf("texts compared per variant: %v", counts)
		})
	}
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
	g := readGolden(t)
	for _, part := range goldenParts {
		t.Run(part.name, func(t *testing.T) {
			if part.real {
				requireGoldenData(t, g.missing)
			}
			n, nErr := 0, 0
			for _, r := range g.recs {
				if r.Pair == "" {
					continue
				}
				var ai int
				if err := json.Unmarshal(r.A, &ai); err != nil {
					t.Fatal(err)
				}
				if (g.isReal(ai) || r.B != nil && g.isReal(*r.B)) != part.real {
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
				a, b := g.texts[ai], ""
				if r.B != nil {
					b = g.texts[*r.B]
					enc, err = tok.EncodePair(a, b)
				} else {
					enc, err = tok.Encode(a)
				}
				what := fmt.Sprintf("%s %+q / %+q truncation %+v padding %+v", r.Pair, a, b, cfg.Truncation, cfg.Padding)
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
				checkFull(t, what, enc, a, b, r.Want)
			}
			if n < 100 || nErr == 0 {
				t.Errorf("compared %d encodings (%d errors); golden file too small", n, nErr)
			}
			t.Logf("compared %d encodings (%d errors)", n, nErr)
		})
	}
}

// TestGoldenBatches compares EncodeBatch, padded to the longest text, with
// encode_batch.
func TestGoldenBatches(t *testing.T) {
	toks := goldenTokenizers(t)
	g := readGolden(t)
	for _, part := range goldenParts {
		t.Run(part.name, func(t *testing.T) {
			if part.real {
				requireGoldenData(t, g.missing)
			}
			n := 0
			for _, r := range g.recs {
				if r.Batch == "" || slices.ContainsFunc(r.Texts, g.isReal) != part.real {
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
				texts := make([]string, len(r.Texts))
				for i, j := range r.Texts {
					texts[i] = g.texts[j]
				}
				encs, err := tok.EncodeBatch(context.Background(), texts)
				if err != nil {
					t.Fatal(err)
				}
				var want []json.RawMessage
				if err := json.Unmarshal(r.Want, &want); err != nil {
					t.Fatal(err)
				}
				if len(encs) != len(want) {
					t.Fatalf("batch of %d: %d encodings, want %d", len(texts), len(encs), len(want))
				}
				for i := range encs {
					checkFull(t, fmt.Sprintf("batch %s item %d %+q", r.Batch, i, texts[i]), encs[i], texts[i], "", want[i])
				}
				n++
			}
			if n < 3 {
				t.Errorf("only %d batches", n)
			}
			t.Logf("compared %d batches", n)
		})
	}
}

// TestGoldenDecode compares Decode with the WordPiece decoder, with and
// without special tokens. The ids of real-derived texts are in the golden
// file and their decoded strings only as sha256, so every case runs
// without the data sets.
func TestGoldenDecode(t *testing.T) {
	toks := goldenTokenizers(t)
	n, nSHA := 0, 0
	for _, r := range readGolden(t).recs {
		if r.Decode == "" {
			continue
		}
		n++
		tok := toks[r.Decode]
		for _, c := range []struct {
			skip bool
			sha  string
			text *string
		}{{true, r.SkipSHA, r.Skip}, {false, r.KeepSHA, r.Keep}} {
			got := tok.Decode(r.IDs, c.skip)
			switch {
			case c.text != nil:
				if got != *c.text {
					t.Errorf("%s Decode(%v, skip=%v) = %+q, want %+q", r.Decode, r.IDs, c.skip, got, *c.text)
				}
			case c.sha != "":
				nSHA++
				if shortSHA(got) != c.sha {
					t.Errorf("%s Decode(%v, skip=%v) = %+q, sha256 %s..., want %s...", r.Decode, r.IDs, c.skip, got, shortSHA(got), c.sha)
				}
			default:
				t.Fatalf("decode case %v: no expected string or sha256", r.IDs)
			}
		}
	}
	if n < 500 || nSHA < 200 || 2*n-nSHA < 200 {
		t.Errorf("only %d decode cases (%d by sha256)", n, nSHA/2)
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
	if id, _ := tok.Encode("covid19"); id.IDs[1] != 30522 || id.Tokens[1] != "COVID19" {
		t.Errorf("new added token: id %d token %q, want 30522 COVID19", id.IDs[1], id.Tokens[1])
	}
	g := readGolden(t)
	for _, part := range goldenParts {
		t.Run(part.name, func(t *testing.T) {
			if part.real {
				requireGoldenData(t, g.missing)
			}
			n := 0
			for _, r := range g.recs {
				if r.Added == "" {
					continue
				}
				text, real, err := g.addedText(r.A)
				if err != nil {
					t.Fatal(err)
				}
				if real != part.real {
					continue
				}
				n++
				enc, err := tok.Encode(text)
				if err != nil {
					t.Fatal(err)
				}
				checkFull(t, fmt.Sprintf("added tokens, %+q", text), enc, text, "", r.Want)
			}
			if n < 5 {
				t.Errorf("only %d added-token cases", n)
			}
			t.Logf("compared %d added-token cases", n)
		})
	}
}
