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

// sharedDir returns the repository's ../shared/datasets (or $FOUNDERLAB_DATA).
func sharedDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv(EnvDataDir); d != "" {
		return d
	}
	d, _ := filepath.Abs("../../shared/datasets")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("no data directory: set $%s", EnvDataDir)
	}
	return d
}

func TestRealFilesMatchCards(t *testing.T) {
	s := &Store{Dir: sharedDir(t), Offline: true}
	for _, c := range Cards() {
		for _, f := range c.Files {
			if _, err := s.Path(context.Background(), c.Name, f.Name); err != nil {
				t.Errorf("%s/%s: %v", c.Name, f.Name, err)
			}
		}
	}
}

func TestDownload(t *testing.T) {
	real := filepath.Join(sharedDir(t), "wholesale", "wholesale_customers.csv")
	data, err := os.ReadFile(real)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		body    []byte
		status  int
		wantErr string
	}{
		{name: "ok", body: data, status: 200},
		{name: "tampered", body: append([]byte("x"), data...), status: 200, wantErr: "sha256"},
		{name: "not found", status: 404, wantErr: "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write(tt.body)
			}))
			defer srv.Close()
			dir := t.TempDir()
			s := &Store{Dir: dir, URL: func(string, File) string { return srv.URL + "/file.csv" }}
			p, err := s.Path(context.Background(), "wholesale", "wholesale_customers.csv")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				entries, _ := os.ReadDir(filepath.Join(dir, "wholesale"))
				if len(entries) != 0 {
					t.Fatalf("failed download left files: %v", entries)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(p)
			if string(got) != string(data) {
				t.Fatal("downloaded bytes differ")
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
