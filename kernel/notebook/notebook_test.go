package notebook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `{
 "cells": [
  {"cell_type": "markdown", "id": "m", "metadata": {}, "source": ["# Title\n", "text"]},
  {"cell_type": "code", "id": "c", "metadata": {"tags": ["parameters"]}, "execution_count": 3,
   "outputs": [
    {"output_type": "stream", "name": "stdout", "text": ["a\n", "b\n"]},
    {"output_type": "display_data", "data": {"text/html": ["<b>x</b>"], "application/json": {"k": 1}}, "metadata": {}},
    {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["t"]}
   ],
   "source": "%%\nfmt.Println(1)"}
 ],
 "metadata": {"kernelspec": {"name": "founderlab"}},
 "nbformat": 4, "nbformat_minor": 5
}`

func TestParseAndRoundTrip(t *testing.T) {
	nb, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	c := nb.Cells[1]
	if nb.Cells[0].Source != "# Title\ntext" || c.Source != "%%\nfmt.Println(1)" || !c.HasTag("parameters") || *c.ExecutionCount != 3 {
		t.Fatalf("parsed %+v", c)
	}
	if c.Outputs[0].Text != "a\nb\n" || c.Outputs[1].Data["text/html"] != "<b>x</b>" {
		t.Fatalf("outputs %+v %+v", c.Outputs[0], c.Outputs[1])
	}
	b, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(b)
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, b)
	}
	b2, _ := again.Marshal()
	if string(b) != string(b2) {
		t.Fatal("marshal is not stable")
	}
	if strings.Contains(string(b), `"outputs"`) && strings.Count(string(b), `"outputs"`) != 1 {
		t.Fatal("markdown cell got an outputs field")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax", "{\n\"cells\": [,]}", "invalid JSON at line 2, column 11"},
		{"v3", `{"nbformat": 3, "nbformat_minor": 0}`, "nbformat 3 is not supported"},
		{"no cells", `{"nbformat": 4, "nbformat_minor": 4}`, `no "cells" list`},
		{"no source", `{"nbformat": 4, "nbformat_minor": 4, "cells": [{"cell_type": "code"}]}`, `cell 1: missing "source"`},
		{"bad id", `{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": "", "id": "a b"}]}`, "invalid or missing cell id"},
		{"dup id", `{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "raw", "source": "", "id": "a"}, {"cell_type": "raw", "source": "", "id": "a"}]}`, `cell 2: id "a" already used by cell 1`},
		{"bad output", `{"nbformat": 4, "nbformat_minor": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "x"}]}]}`, `cell 1: output 1: unknown output_type "x"`},
		{"wrong type", `{"nbformat": 4, "nbformat_minor": 4, "cells": [{"cell_type": "code", "source": 7}]}`, "source: want a string or a list of strings"},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.src)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestReadNamesFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.ipynb")
	os.WriteFile(p, []byte("{"), 0o644)
	if _, err := Read(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("err = %v", err)
	}
}

func TestWriteAtomicKeepsModeAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "n.ipynb")
	os.WriteFile(p, []byte("old"), 0o600)
	nb, _ := Parse([]byte(sample))
	if err := Write(p, nb); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v", st.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if _, err := Read(p); err != nil {
		t.Fatal(err)
	}
	// A write into a missing directory fails and creates nothing.
	if err := Write(filepath.Join(dir, "missing", "x.ipynb"), nb); err == nil {
		t.Fatal("write into a missing directory succeeded")
	}
}

func TestWriteThroughSymlinkKeepsLinkAndMode(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.ipynb")
	link := filepath.Join(dir, "link.ipynb")
	os.WriteFile(target, []byte("old"), 0o640)
	if err := os.Symlink("real.ipynb", link); err != nil {
		t.Skip(err)
	}
	nb, _ := Parse([]byte(sample))
	if err := Write(link, nb); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a regular file")
	}
	st, _ := os.Stat(target)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("target mode = %v, want 0640", st.Mode().Perm())
	}
	if _, err := Read(target); err != nil {
		t.Errorf("target not rewritten: %v", err)
	}
}

func TestExportHTML(t *testing.T) {
	nb, _ := Parse([]byte(sample))
	b, err := ExportHTML(nb, "t<1>")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"<title>t&lt;1&gt;</title>", `<h1 id="title">Title</h1>`, "<b>x</b>", "a\nb\n", "fmt.Println(1)", "In [3]:", `class="error"`} {
		if !strings.Contains(page, want) {
			t.Errorf("export lacks %q", want)
		}
	}
}
