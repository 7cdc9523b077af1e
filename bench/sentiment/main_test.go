package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/internal/testenv"
)

// labelled writes n templated tweets as a text,label CSV.
func labelled(t *testing.T, dir string, n int, seed uint64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	tpl := [][]string{
		{"$%s plunges after weak guidance", "$%s cut to sell at Goldman", "$%s shares slump on losses"},
		{"$%s soars on record revenue", "$%s upgraded to buy", "$%s rallies after strong quarter"},
		{"$%s to report results on Tuesday", "$%s annual meeting scheduled", "$%s files quarterly report"},
	}
	var b strings.Builder
	b.WriteString("text,label\n")
	for range n {
		k := rng.IntN(3)
		fmt.Fprintf(&b, "%q,%d\n", fmt.Sprintf(tpl[k][rng.IntN(3)], []string{"AAPL", "TSLA", "XOM"}[rng.IntN(3)]), k)
	}
	p := filepath.Join(dir, fmt.Sprintf("l%d.csv", seed))
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunTFIDF(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"-train", labelled(t, dir, 600, 1), "-test", labelled(t, dir, 200, 2), "-mode", "tfidf"}, &out, &errs)
	if err != nil {
		t.Fatal(err)
	}
	var acc, f1 float64
	if n, err := fmt.Sscanf(out.String(), "accuracy %f\nmacro_f1 %f\n", &acc, &f1); n != 2 || err != nil || acc < 0.99 || f1 < 0.99 {
		t.Errorf("output %q (%v): want accuracy and macro-F1 ≈ 1 on templates", out.String(), err)
	}
	if !strings.Contains(errs.String(), "bearish  precision") {
		t.Errorf("no per-class report: %s", errs.String())
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good := labelled(t, dir, 60, 1)
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	for _, c := range []struct {
		name string
		args []string
		msg  string
	}{
		{"missing column", []string{"-train", write("a.csv", "text,sentiment\nx,1\n"), "-test", good}, "a.csv: fin-sentiment: header"},
		{"bad label", []string{"-train", good, "-test", write("b.csv", "text,label\nx,1\ny,bull\n")}, "b.csv: fin-sentiment: line 3: label"},
		{"empty text", []string{"-train", write("c.csv", "text,label\n,1\n"), "-test", good}, "c.csv: fin-sentiment: line 2: empty text"},
		{"invalid UTF-8", []string{"-train", write("d.csv", "text,label\n\xfe,1\n"), "-test", good}, "d.csv: fin-sentiment: line 2: text is not valid UTF-8"},
		{"bad mode", []string{"-train", good, "-test", good, "-mode", "gpt"}, "mode \"gpt\""},
		{"missing flag", []string{"-train", good}, "usage"},
		{"save without fine-tuning", []string{"-train", good, "-test", good, "-mode", "tfidf", "-save", filepath.Join(dir, "m")}, "-save needs -mode finetune"},
	} {
		err := run(context.Background(), c.args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %q", c.name, err, c.msg)
		}
	}
}

// TestRealTFIDF trains the baseline on fin-sentiment: accuracy 0.823 and
// macro-F1 0.750 when measured; the test asks for at least 0.80 and 0.72.
func TestRealTFIDF(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on fin-sentiment")
	}
	d := filepath.Join(testenv.RequireData(t, "fin-sentiment"), "fin-sentiment")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-train", filepath.Join(d, "train.csv"), "-test", filepath.Join(d, "valid.csv"), "-mode", "tfidf"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var acc, f1 float64
	if _, err := fmt.Sscanf(out.String(), "accuracy %f\nmacro_f1 %f\n", &acc, &f1); err != nil || acc < 0.80 || f1 < 0.72 {
		t.Errorf("%q: %v", out.String(), err)
	}
}
