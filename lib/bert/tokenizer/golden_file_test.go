package tokenizer

// Reading the golden file (scripts/golden-tokenizer.py) and the tokenizers
// it was made with; the tests that compare with it are in golden_test.go.

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
