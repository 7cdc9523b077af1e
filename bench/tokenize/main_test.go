package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	vocab := filepath.Join(t.TempDir(), "vocab.txt")
	if err := os.WriteFile(vocab, []byte("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Three texts: U+2028 and "\r" stay inside a text; only "\n" separates.
	in := "Hello, world\nhello\u2028world\r\n\n"
	for _, parallel := range []bool{false, true} {
		var out, errOut bytes.Buffer
		if err := run("", vocab, true, parallel, 2, strings.NewReader(in), &out, &errOut); err != nil {
			t.Fatal(err)
		}
		want := "2 5 7 6 3\n2 5 6 3\n2 3\n"
		if out.String() != want {
			t.Errorf("parallel=%v: output %q, want %q", parallel, out.String(), want)
		}
		if !strings.Contains(errOut.String(), "3 texts, 11 tokens") || !strings.Contains(errOut.String(), "tokens/s") {
			t.Errorf("stderr %q", errOut.String())
		}
	}
	var out bytes.Buffer
	if err := run("", vocab, false, false, 1, strings.NewReader("Hello\n"), &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "2 1 3\n" {
		t.Errorf("cased: %q, want [CLS] [UNK] [SEP]", out.String())
	}
	if err := run("", "", true, false, 1, strings.NewReader(""), &out, &out); err == nil {
		t.Error("no tokenizer given: no error")
	}
	out.Reset()
	if err := run("", vocab, true, false, 1, strings.NewReader(""), &out, &bytes.Buffer{}); err != nil || out.Len() != 0 {
		t.Errorf("empty input: %q, %v", out.String(), err)
	}
}
