package datasets

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDownload serves downloads from a local server: a body that does not
// match the card's sha256, and a missing file, are errors that leave
// nothing behind. (A good download, which needs the real file's bytes, is
// TestDownloadRealFile.)
func TestDownload(t *testing.T) {
	tests := []struct {
		name    string
		body    []byte
		status  int
		wantErr string
	}{
		{name: "tampered", body: []byte("Channel,Region\n1,3\n"), status: 200, wantErr: "sha256"},
		{name: "not found", status: 404, wantErr: "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked = r.URL.Path
				w.WriteHeader(tt.status)
				w.Write(tt.body)
			}))
			defer srv.Close()
			dir := t.TempDir()
			s := &Store{Dir: dir, URL: func(dataset string, f File) string { return srv.URL + "/" + dataset + "/" + f.Name }}
			_, err := s.Path(context.Background(), "wholesale", "wholesale_customers.csv")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if asked != "/wholesale/wholesale_customers.csv" {
				t.Errorf("server was asked for %q, want the address Store.URL gave", asked)
			}
			entries, _ := os.ReadDir(filepath.Join(dir, "wholesale"))
			if len(entries) != 0 {
				t.Fatalf("failed download left files: %v", entries)
			}
		})
	}
}

func TestOfflineMissing(t *testing.T) {
	s := &Store{Dir: t.TempDir(), Offline: true}
	_, err := s.Path(context.Background(), "netflix", "netflix_titles.csv")
	if err == nil || !strings.Contains(err.Error(), "downloads are off") {
		t.Fatalf("err = %v", err)
	}
}

func TestCorruptLocalFile(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "wholesale"), 0o755)
	p := filepath.Join(dir, "wholesale", "wholesale_customers.csv")
	os.WriteFile(p, []byte("Channel\n1\n"), 0o644)
	s := &Store{Dir: dir, Offline: true}
	_, err := s.Path(context.Background(), "wholesale", "wholesale_customers.csv")
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "Channel\n1\n" {
		t.Fatal("user's file was modified")
	}
}

func TestLookupUnknown(t *testing.T) {
	if _, err := Lookup("nope"); err == nil || !strings.Contains(err.Error(), "wholesale") {
		t.Fatalf("err = %v", err)
	}
}
