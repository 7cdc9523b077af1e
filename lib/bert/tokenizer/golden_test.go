package tokenizer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

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
