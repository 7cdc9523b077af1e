package tokenizer

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestUnicodeTables checks the character classes, lowercasing and accent
// stripping of every code point against testdata/unicode.txt.gz, written by
// scripts/golden-tokenizer-unicode.py from Hugging Face's tokenizers.
func TestUnicodeTables(t *testing.T) {
	f, err := os.Open("testdata/unicode.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	lower := map[rune]string{}
	strip := map[rune]string{}
	type run struct {
		lo, hi rune
		class  string
	}
	var runs []run
	sc := bufio.NewScanner(zr)
	hexRune := func(s string) rune {
		v, err := strconv.ParseUint(s, 16, 32)
		if err != nil {
			t.Fatalf("bad hex %q", s)
		}
		return rune(v)
	}
	for sc.Scan() {
		p := strings.Fields(sc.Text())
		if len(p) == 0 || p[0] == "#" {
			continue
		}
		switch p[0] {
		case "R":
			runs = append(runs, run{hexRune(p[1]), hexRune(p[2]), p[3]})
		case "L", "S":
			var sb strings.Builder
			for _, h := range p[2:] {
				sb.WriteRune(hexRune(h))
			}
			if p[0] == "L" {
				lower[hexRune(p[1])] = sb.String()
			} else {
				strip[hexRune(p[1])] = sb.String()
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(runs) < 100 || len(lower) < 1000 || len(strip) < 10000 {
		t.Fatalf("table too small: %d runs, %d lower, %d strip", len(runs), len(lower), len(strip))
	}
	lowerOnly := Normalizer{Lowercase: true}
	stripOnly := Normalizer{StripAccents: true}
	var bad []string
	checked := 0
	for _, rn := range runs {
		for r := rn.lo; r <= rn.hi; r++ {
			checked++
			got := ""
			switch {
			case isRemoved(r):
				got += "R"
			case isWhitespace(r) && r != ' ':
				got += "W"
			default:
				got += "K"
			}
			if isCJK(r) {
				got += "C"
			} else {
				got += "-"
			}
			switch {
			case isPunct(r):
				got += "P"
			case isWhitespace(r):
				got += "S"
			default:
				got += "N"
			}
			if got != rn.class {
				bad = append(bad, fmt.Sprintf("U+%04X class %s, want %s", r, got, rn.class))
			}
			s := string(r)
			wantL, ok := lower[r]
			if !ok {
				wantL = s
			}
			if g := lowerOnly.Normalize(s); g != wantL {
				bad = append(bad, fmt.Sprintf("U+%04X lowercase %+q, want %+q", r, g, wantL))
			}
			wantS, ok := strip[r]
			if !ok {
				wantS = s
			}
			if g := stripOnly.Normalize(s); g != wantS {
				bad = append(bad, fmt.Sprintf("U+%04X strip accents %+q, want %+q", r, g, wantS))
			}
			if len(bad) > 30 {
				t.Fatalf("mismatches:\n%s", strings.Join(bad, "\n"))
			}
		}
	}
	if len(bad) > 0 {
		t.Fatalf("mismatches:\n%s", strings.Join(bad, "\n"))
	}
	if checked != 0x110000-0x800 {
		t.Errorf("checked %d code points, want %d", checked, 0x110000-0x800)
	}
}
