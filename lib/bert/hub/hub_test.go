package hub

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/founderlab/founderlab/lib/safetensors"
)

// fakeHub mimics the Hugging Face resolve endpoints: regular files answer
// HEAD with 200, a git blob sha1 ETag and X-Repo-Commit; LFS files (here,
// *.safetensors) answer with a 302 to a CDN path and X-Linked-Etag (sha256)
// and X-Linked-Size. The CDN serves byte ranges.
type fakeHub struct {
	t       *testing.T
	commit  string
	files   map[string][]byte // repo/file → content
	corrupt map[string]bool   // serve different bytes than advertised
	token   string            // required bearer token, if set
	renamed map[string]string // old repository name → new

	mu      sync.Mutex
	gets    map[string]int // path → GET count
	ranges  []string       // Range headers seen
	cutOnce map[string]int // stop the body after n bytes, once
}

func newFakeHub(t *testing.T) (*fakeHub, *httptest.Server) {
	h := &fakeHub{t: t, commit: strings.Repeat("ab12", 10), files: map[string][]byte{},
		corrupt: map[string]bool{}, gets: map[string]int{}, cutOnce: map[string]int{}, renamed: map[string]string{}}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

func isLFS(name string) bool { return strings.HasSuffix(name, ".safetensors") }

func gitSHA1(b []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(b))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func (h *fakeHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.token != "" && r.Header.Get("Authorization") != "Bearer "+h.token && !strings.HasPrefix(r.URL.Path, "/cdn/") {
		http.Error(w, "gated", http.StatusUnauthorized)
		return
	}
	if key, ok := strings.CutPrefix(r.URL.Path, "/cdn/"); ok {
		h.serveContent(w, r, key)
		return
	}
	// /{repo...}/resolve/{rev}/{file}
	repo, rest, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/resolve/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	if to, ok := h.renamed[repo]; ok { // the Hub answers old names with a relative redirect
		w.Header().Set("Location", "/"+to+"/resolve/"+rest)
		w.WriteHeader(http.StatusTemporaryRedirect)
		return
	}
	rev, file, _ := strings.Cut(rest, "/")
	if rev != "main" && rev != h.commit {
		http.NotFound(w, r)
		return
	}
	key := repo + "/" + file
	content, ok := h.files[key]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("X-Repo-Commit", h.commit)
	if isLFS(file) {
		sum := sha256.Sum256(content)
		w.Header().Set("X-Linked-Etag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.Header().Set("X-Linked-Size", fmt.Sprint(len(content)))
		w.Header().Set("ETag", `"`+gitSHA1([]byte("pointer"))+`"`)
		w.Header().Set("Location", "http://"+r.Host+"/cdn/"+key) // absolute, like the Hub's CDN links
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+gitSHA1(content)+`"`)
	h.serveContent(w, r, key)
}

func (h *fakeHub) serveContent(w http.ResponseWriter, r *http.Request, key string) {
	content := h.files[key]
	if h.corrupt[key] {
		content = bytes.Clone(content)
		content[len(content)/2] ^= 0xff
	}
	if r.Method == http.MethodGet {
		h.mu.Lock()
		h.gets[key]++
		if rg := r.Header.Get("Range"); rg != "" {
			h.ranges = append(h.ranges, rg)
		}
		cut, doCut := h.cutOnce[key]
		delete(h.cutOnce, key)
		h.mu.Unlock()
		if doCut { // send a prefix, then drop the connection
			w.Header().Set("Content-Length", fmt.Sprint(len(content)))
			w.WriteHeader(http.StatusOK)
			w.Write(content[:cut])
			if hj, ok := w.(http.Hijacker); ok {
				conn, _, _ := hj.Hijack()
				conn.Close()
			}
			return
		}
	}
	http.ServeContent(w, r, key, time.Time{}, bytes.NewReader(content))
}

func testWeights(t *testing.T) []byte {
	t.Helper()
	w, err := safetensors.FromFloat32("embeddings.word_embeddings.weight", safetensors.F32, []int{64, 32}, make([]float32, 64*32))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := safetensors.Write(&buf, []safetensors.Tensor{w}, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func addModel(t *testing.T, h *fakeHub, repo string) {
	h.files[repo+"/config.json"] = []byte(`{"hidden_size": 32}`)
	h.files[repo+"/vocab.txt"] = []byte("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n")
	h.files[repo+"/model.safetensors"] = testWeights(t)
}

func testClient(t *testing.T, srv *httptest.Server) *Client {
	return &Client{Endpoint: srv.URL, CacheDir: t.TempDir(), HTTP: srv.Client()}
}

func TestDownloadAndCache(t *testing.T) {
	h, srv := newFakeHub(t)
	repo := "google/bert_uncased_L-2_H-128_A-2"
	addModel(t, h, repo)
	c := testClient(t, srv)
	var progress []Progress
	c.Progress = func(p Progress) { progress = append(progress, p) }
	dir, err := c.Model(context.Background(), repo)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(c.CacheDir, "models--google--bert_uncased_L-2_H-128_A-2", "snapshots", h.commit)
	if dir != want {
		t.Errorf("dir = %s, want %s", dir, want)
	}
	for _, name := range []string{"config.json", "vocab.txt", "model.safetensors"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, h.files[repo+"/"+name]) {
			t.Errorf("%s: content differs (err %v)", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tokenizer.json")); err == nil {
		t.Error("optional file that the hub lacks was created")
	}
	refPath := filepath.Join(c.CacheDir, "models--google--bert_uncased_L-2_H-128_A-2", "refs", "main")
	ref, _ := os.ReadFile(refPath)
	if string(ref) != h.commit {
		t.Errorf("refs/main = %q, want %q", ref, h.commit)
	}
	if st, err := os.Stat(refPath); err == nil && st.Mode().Perm() != 0o644 {
		t.Errorf("refs/main has mode %v, want 0644", st.Mode().Perm())
	}
	if len(progress) == 0 || progress[len(progress)-1].Done != progress[len(progress)-1].Total {
		t.Errorf("progress reports %v", progress)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*.partial"))
	if len(leftovers) > 0 {
		t.Errorf("partial files left: %v", leftovers)
	}
	// Second time: nothing is downloaded again.
	gets := fmt.Sprint(h.gets)
	if dir2, err := c.Model(context.Background(), repo); err != nil || dir2 != dir {
		t.Fatalf("second Model: %s, %v", dir2, err)
	}
	if fmt.Sprint(h.gets) != gets {
		t.Errorf("cached files downloaded again: %v, before %v", h.gets, gets)
	}
	// Offline: the cache answers, the server is not asked.
	srv.Close()
	off := &Client{Endpoint: srv.URL, CacheDir: c.CacheDir, Offline: true}
	if dir3, err := off.Model(context.Background(), repo); err != nil || dir3 != dir {
		t.Errorf("offline Model: %s, %v", dir3, err)
	}
	// Online but unreachable: falls back to the complete cache.
	if dir4, err := c.Model(context.Background(), repo); err != nil || dir4 != dir {
		t.Errorf("unreachable server: %s, %v (want the cached snapshot)", dir4, err)
	}
	// Offline without a cache: a clear error.
	empty := &Client{Endpoint: srv.URL, CacheDir: t.TempDir(), Offline: true}
	if _, err := empty.Model(context.Background(), repo); err == nil || !strings.Contains(err.Error(), "not cached") {
		t.Errorf("offline, empty cache: err = %v", err)
	}
}

func TestDownloadIntegrity(t *testing.T) {
	for _, name := range []string{"model.safetensors", "vocab.txt"} {
		t.Run(name, func(t *testing.T) {
			h, srv := newFakeHub(t)
			addModel(t, h, "bert-base-uncased")
			h.corrupt["bert-base-uncased/"+name] = true
			c := testClient(t, srv)
			_, err := c.Model(context.Background(), "bert-base-uncased")
			if err == nil || !strings.Contains(err.Error(), "integrity check failed") {
				t.Fatalf("corrupt %s: err = %v", name, err)
			}
			matches, _ := filepath.Glob(filepath.Join(c.CacheDir, "*", "snapshots", "*", name+"*"))
			if len(matches) > 0 {
				t.Errorf("corrupt download left %v", matches)
			}
		})
	}
}

func TestDownloadResume(t *testing.T) {
	h, srv := newFakeHub(t)
	addModel(t, h, "bert-base-chinese")
	key := "bert-base-chinese/model.safetensors"
	size := len(h.files[key])
	h.cutOnce[key] = size / 3
	c := testClient(t, srv)
	if _, err := c.Model(context.Background(), "bert-base-chinese"); err == nil {
		t.Fatal("interrupted download: no error")
	}
	partials, _ := filepath.Glob(filepath.Join(c.CacheDir, "*", "snapshots", "*", "model.safetensors.*.partial"))
	if len(partials) != 1 {
		t.Fatalf("partial files: %v", partials)
	}
	dir, err := c.Model(context.Background(), "bert-base-chinese")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("bytes=%d-", size/3); len(h.ranges) != 1 || h.ranges[0] != want {
		t.Errorf("Range requests %v, want [%s]", h.ranges, want)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "model.safetensors"))
	if !bytes.Equal(got, h.files[key]) {
		t.Error("resumed file differs")
	}
	f, err := safetensors.Open(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestDownloadErrors(t *testing.T) {
	h, srv := newFakeHub(t)
	addModel(t, h, "bert-base-uncased")
	delete(h.files, "bert-base-uncased/model.safetensors")
	c := testClient(t, srv)
	if _, err := c.Model(context.Background(), "bert-base-uncased"); err == nil || !strings.Contains(err.Error(), "has no model.safetensors") {
		t.Errorf("missing weights: err = %v", err)
	}
	// Not safetensors at all: rejected after download, before it is placed.
	h.files["bert-base-uncased/model.safetensors"] = []byte("<html>not weights</html>")
	if _, err := c.Model(context.Background(), "bert-base-uncased"); err == nil || !strings.Contains(err.Error(), "safetensors") {
		t.Errorf("bad weights: err = %v", err)
	}
	h.token = "secret"
	addModel(t, h, "bert-base-uncased")
	if _, err := c.Model(context.Background(), "bert-base-uncased"); err == nil || !strings.Contains(err.Error(), EnvToken) {
		t.Errorf("gated: err = %v", err)
	}
	c.Token = "secret"
	if _, err := c.Model(context.Background(), "bert-base-uncased"); err != nil {
		t.Errorf("with token: %v", err)
	}
	for _, bad := range []string{"a/b/c", "org/..", "bad name", "x@..", "-x", "x@-y"} {
		if _, err := c.Model(context.Background(), bad); err == nil {
			t.Errorf("Model(%q): no error", bad)
		}
	}
	if _, err := c.Model(context.Background(), "nobody/nothing"); err == nil {
		t.Error("unknown repository: no error")
	}
	if _, err := c.Model(context.Background(), "bert-base-uncased@v9"); err == nil {
		t.Error("unknown revision: no error")
	}
}

func TestLocalPath(t *testing.T) {
	c := &Client{Endpoint: "http://127.0.0.1:1", CacheDir: t.TempDir()}
	dir := t.TempDir()
	got, err := c.Model(context.Background(), dir)
	if err != nil || got != dir {
		t.Errorf("Model(%s) = %s, %v", dir, got, err)
	}
	if _, err := c.Model(context.Background(), filepath.Join(dir, "missing")); err == nil {
		t.Error("missing local directory: no error")
	}
	file := filepath.Join(dir, "f")
	os.WriteFile(file, nil, 0o644)
	if _, err := c.Model(context.Background(), file); err == nil {
		t.Error("file instead of directory: no error")
	}
}

func TestKnownModels(t *testing.T) {
	names := KnownModels()
	if len(names) != 3+24 {
		t.Errorf("%d known models", len(names))
	}
	for _, n := range names {
		if err := checkRepo(n); err != nil {
			t.Error(err)
		}
	}
	for i, want := range map[int]string{1: "bert-base-cased", 3: "google/bert_uncased_L-2_H-128_A-2"} {
		if names[i] != want {
			t.Errorf("names[%d] = %s, want %s", i, names[i], want)
		}
	}
}

func TestRenamedRepository(t *testing.T) {
	h, srv := newFakeHub(t)
	addModel(t, h, "google-bert/bert-base-uncased")
	h.renamed["bert-base-uncased"] = "google-bert/bert-base-uncased"
	c := testClient(t, srv)
	dir, err := c.Model(context.Background(), "bert-base-uncased")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
	if err != nil || !bytes.Equal(got, h.files["google-bert/bert-base-uncased/model.safetensors"]) {
		t.Errorf("weights through the renamed repository differ (err %v)", err)
	}
	if !strings.Contains(dir, "models--bert-base-uncased") {
		t.Errorf("cached under %s, want the name asked for", dir)
	}
}
