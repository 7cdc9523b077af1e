package tokenizer

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
)

// The golden file never holds data set text: a corpus text taken from a
// data set is stored as its source cell and the edit the generator applied
// (see scripts/golden-tokenizer.py), and rebuilt here from the data
// directory.

// goldenSource is a CSV cell: [data set, file, row, column] in the golden
// file, row counting data rows from 0.
type goldenSource struct {
	Dataset, File string
	Row           int
	Column        string
}

func (s *goldenSource) UnmarshalJSON(b []byte) error {
	var a []json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil || len(a) != 4 {
		return fmt.Errorf("source %s: want [dataset, file, row, column]", b)
	}
	for i, dst := range []any{&s.Dataset, &s.File, &s.Row, &s.Column} {
		if err := json.Unmarshal(a[i], dst); err != nil {
			return fmt.Errorf("source %s: %v", b, err)
		}
	}
	return nil
}

func (s goldenSource) String() string {
	return fmt.Sprintf("%s/%s row %d column %s", s.Dataset, s.File, s.Row, s.Column)
}

// indexedString is [i, s] in the golden file: a code point index and a string.
type indexedString struct {
	I int
	S string
}

func (x *indexedString) UnmarshalJSON(b []byte) error {
	var a []json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil || len(a) != 2 {
		return fmt.Errorf("edit %s: want [index, string]", b)
	}
	if err := json.Unmarshal(a[0], &x.I); err != nil {
		return fmt.Errorf("edit %s: %v", b, err)
	}
	return json.Unmarshal(a[1], &x.S)
}

// shortSHA is the first 16 hex digits of the sha256 of s, as the golden
// file records them.
func shortSHA(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// asciiCase maps a-z to A-Z, and for mode "swap" also A-Z to a-z.
func asciiCase(r rune, mode string) rune {
	switch {
	case 'a' <= r && r <= 'z':
		return r - 'a' + 'A'
	case mode == "swap" && 'A' <= r && r <= 'Z':
		return r - 'A' + 'a'
	}
	return r
}

// applyEdit rebuilds a real-derived corpus text from its source cell: the
// insertions in order, then the case mapping with its exceptions.
func applyEdit(cell string, r *goldenRecord) (string, error) {
	runes := []rune(cell)
	for _, in := range r.Ins {
		if in.I < 0 || in.I > len(runes) {
			return "", fmt.Errorf("insertion at %d outside the %d code points", in.I, len(runes))
		}
		runes = append(runes[:in.I], append([]rune(in.S), runes[in.I:]...)...)
	}
	if r.Case == "" {
		return string(runes), nil
	}
	if r.Case != "upper" && r.Case != "swap" {
		return "", fmt.Errorf("unknown case mapping %q", r.Case)
	}
	cx := make(map[int]string, len(r.Cx))
	for _, x := range r.Cx {
		cx[x.I] = x.S
	}
	var sb strings.Builder
	for i, c := range runes {
		if s, ok := cx[i]; ok {
			sb.WriteString(s)
		} else {
			sb.WriteRune(asciiCase(c, r.Case))
		}
	}
	return sb.String(), nil
}

// requireGoldenData skips the calling test, saying what is missing, when
// the data sets the golden file's real-derived texts come from could not be
// had (it fails under $FOUNDERLAB_REQUIRE_DATA=1; see testenv.MissingData).
func requireGoldenData(t *testing.T, missing error) {
	t.Helper()
	if missing != nil {
		testenv.MissingData(t, missing.Error())
	}
}

// fetchGoldenData makes sure the data sets named in the golden header's
// sources ("dataset/file" to sha256) are in the tests' data directory,
// downloading them when allowed (testenv.FetchData); the error is the
// reason they are not.
func fetchGoldenData(sources map[string]string) error {
	var names []string
	for name := range sources {
		ds, _, _ := strings.Cut(name, "/")
		names = append(names, ds)
	}
	slices.Sort(names)
	_, err := testenv.FetchData(slices.Compact(names)...)
	return err
}

// findGoldenSources returns the path of each data set file named in the
// header's sources ("dataset/file" to sha256) in the tests' data directory
// (testenv.DataStore: $FOUNDERLAB_DATA when set), or an error saying which
// files are missing where.
func findGoldenSources(sources map[string]string) (map[string]string, error) {
	s, err := testenv.DataStore()
	if err != nil {
		return nil, err
	}
	paths := map[string]string{}
	var missing []string
	for name := range sources {
		p := filepath.Join(s.Dir, filepath.FromSlash(name))
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, name)
			continue
		}
		paths[name] = p
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("data set files %v not found in %s", missing, s.Dir)
	}
	return paths, nil
}

// readSourceFile checks a data set file against the golden header's sha256
// and parses it as CSV with a header row.
func readSourceFile(path, wantSHA string) (header map[string]int, rows [][]string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != wantSHA {
		return nil, nil, fmt.Errorf("%s: sha256 %x, but the golden file was made from %s", path, sum, wantSHA)
	}
	cr := csv.NewReader(strings.NewReader(string(b)))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, nil, fmt.Errorf("%s: no header row", path)
	}
	header = map[string]int{}
	for i, name := range recs[0] {
		header[name] = i
	}
	return header, recs[1:], nil
}

// rebuildRealTexts fills texts[i] for every real-derived corpus record from
// the data set files. It returns missing when the files are not there (the
// caller skips), and err when they are but a text cannot be rebuilt exactly.
func rebuildRealTexts(sources map[string]string, recs []*goldenRecord, texts []string) (missing, err error) {
	paths, missing := findGoldenSources(sources)
	if missing != nil {
		return missing, nil
	}
	type table struct {
		header map[string]int
		rows   [][]string
	}
	tables := map[string]table{}
	for i, r := range recs {
		if r.Src == nil {
			continue
		}
		name := r.Src.Dataset + "/" + r.Src.File
		tb, ok := tables[name]
		if !ok {
			want, listed := sources[name]
			if !listed {
				return nil, fmt.Errorf("corpus text %d: source %s not in the golden header", i, name)
			}
			h, rows, err := readSourceFile(paths[name], want)
			if err != nil {
				return nil, fmt.Errorf("corpus text %d: %w", i, err)
			}
			tb = table{h, rows}
			tables[name] = tb
		}
		col, ok := tb.header[r.Src.Column]
		if !ok || r.Src.Row < 0 || r.Src.Row >= len(tb.rows) || col >= len(tb.rows[r.Src.Row]) {
			return nil, fmt.Errorf("corpus text %d: no cell %v in %s", i, *r.Src, paths[name])
		}
		text, err := applyEdit(tb.rows[r.Src.Row][col], r)
		if err != nil {
			return nil, fmt.Errorf("corpus text %d (%v): %w", i, *r.Src, err)
		}
		if got := shortSHA(text); got != r.SHA {
			return nil, fmt.Errorf("corpus text %d (%v): rebuilt text %+q has sha256 %s..., want %s...", i, *r.Src, text, got, r.SHA)
		}
		texts[i] = text
	}
	return nil, nil
}

// TestApplyEdit checks the edit rules on hand-made cases, including case
// exceptions, insertions at both ends, and multi-code-point insertions.
func TestApplyEdit(t *testing.T) {
	for _, c := range []struct {
		cell string
		rec  goldenRecord
		want string
	}{
		{"abc", goldenRecord{}, "abc"},
		{"abc", goldenRecord{Ins: []indexedString{{0, "é"}, {4, "!"}, {2, "[MASK]"}}}, "éa[MASK]bc!"},
		{"straße Σ", goldenRecord{Case: "upper", Cx: []indexedString{{4, "SS"}, {7, "Σ"}}}, "STRASSE Σ"},
		{"aB Kx", goldenRecord{Case: "swap", Cx: []indexedString{{3, "k"}}}, "Ab kX"},
		{"ab", goldenRecord{Ins: []indexedString{{1, "ü"}}, Case: "upper", Cx: []indexedString{{1, "Ü"}}}, "AÜB"},
	} {
		got, err := applyEdit(c.cell, &c.rec)
		if err != nil || got != c.want {
			t.Errorf("applyEdit(%q, ins %v case %q cx %v) = %q, %v; want %q", c.cell, c.rec.Ins, c.rec.Case, c.rec.Cx, got, err, c.want)
		}
	}
	if _, err := applyEdit("ab", &goldenRecord{Ins: []indexedString{{3, "x"}}}); err == nil {
		t.Error("insertion past the end: no error")
	}
	if _, err := applyEdit("ab", &goldenRecord{Case: "title"}); err == nil {
		t.Error("unknown case mapping: no error")
	}
}

// TestRebuildRealTexts rebuilds texts from a hand-written CSV (quoted
// fields, an empty cell, a missing column) and checks that a wrong text
// sha256, a changed file, a row out of range and a missing directory are
// each reported.
func TestRebuildRealTexts(t *testing.T) {
	dir := t.TempDir()
	csvText := "id,text,label\n0,\"hello, world\",a\n1,,b\n2,\"say \"\"hi\"\"\nthere\"\n"
	if err := os.MkdirAll(filepath.Join(dir, "toy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "toy", "t.csv"), []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(csvText))
	sources := map[string]string{"toy/t.csv": hex.EncodeToString(sum[:])}
	t.Setenv(datasets.EnvDataDir, dir)
	rec := func(row int, col, text string, edit goldenRecord) *goldenRecord {
		edit.Src = &goldenSource{"toy", "t.csv", row, col}
		edit.SHA = shortSHA(text)
		return &edit
	}
	good := []*goldenRecord{
		{T: new(string)},
		rec(0, "text", "hello, world", goldenRecord{}),
		rec(2, "text", "SAY \"HI\"\nTHERE!", goldenRecord{Ins: []indexedString{{14, "!"}}, Case: "upper"}),
		rec(1, "label", "b", goldenRecord{}),
	}
	texts := make([]string, len(good))
	missing, err := rebuildRealTexts(sources, good, texts)
	if missing != nil || err != nil {
		t.Fatalf("rebuildRealTexts: missing %v, err %v", missing, err)
	}
	if want := []string{"", "hello, world", "SAY \"HI\"\nTHERE!", "b"}; !slices.Equal(texts, want) {
		t.Errorf("texts %q, want %q", texts, want)
	}
	for _, bad := range []*goldenRecord{
		rec(0, "text", "hello world", goldenRecord{}), // sha of another text
		rec(3, "text", "x", goldenRecord{}),           // no such row
		rec(2, "label", "", goldenRecord{}),           // no such cell
	} {
		if _, err := rebuildRealTexts(sources, []*goldenRecord{bad}, make([]string, 1)); err == nil {
			t.Errorf("record %v: no error", *bad.Src)
		}
	}
	if _, err := rebuildRealTexts(map[string]string{"toy/t.csv": sources["toy/t.csv"][1:] + "0"}, good, texts); err == nil {
		t.Error("file with another sha256: no error")
	}
	t.Setenv(datasets.EnvDataDir, filepath.Join(dir, "nonexistent"))
	if missing, err := rebuildRealTexts(sources, good, texts); missing == nil || err != nil {
		t.Errorf("missing data directory: missing %v, err %v", missing, err)
	}
}
