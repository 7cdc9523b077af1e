package hub_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/founderlab/founderlab/lib/bert/hub"
)

// ModelDir takes a Hub name such as "google/bert_uncased_L-2_H-128_A-2"
// (downloaded once into the cache, then served from it, also offline) or a
// local model directory, which it returns as it is without any network.
func ExampleModelDir() {
	dir, err := hub.ModelDir(context.Background(), "../testdata/tiny")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dir)
	// Output: ../testdata/tiny
}

// A client downloads a repository's BERT files into a snapshot of its cache
// named after the commit, checking each file against its hash; offline, it
// answers from the cache. Here a local server stands in for the Hub.
func ExampleClient_Model() {
	const commit = "0123456789abcdef0123456789abcdef01234567"
	weights, err := os.ReadFile("../testdata/tiny/model.safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	files := map[string][]byte{
		"config.json":       []byte(`{"model_type": "bert"}`),
		"model.safetensors": weights,
		"vocab.txt":         []byte("[PAD]\n[UNK]\n[CLS]\n[SEP]\n"),
	}
	// GET and HEAD {repo}/resolve/{revision}/{file}, with the headers the
	// Hub sends: the commit, and the Git blob sha1 of the file as its ETag.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, rest, _ := strings.Cut(r.URL.Path, "/resolve/")
		rev, file, _ := strings.Cut(rest, "/")
		content, ok := files[file]
		if !ok || (rev != "main" && rev != commit) {
			http.NotFound(w, r)
			return
		}
		sum := sha1.New()
		fmt.Fprintf(sum, "blob %d\x00", len(content))
		sum.Write(content)
		w.Header().Set("X-Repo-Commit", commit)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum.Sum(nil))+`"`)
		http.ServeContent(w, r, file, time.Time{}, strings.NewReader(string(content)))
	}))
	defer srv.Close()
	cache, err := os.MkdirTemp("", "hub-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(cache)

	c := &hub.Client{Endpoint: srv.URL, CacheDir: cache, HTTP: srv.Client()}
	dir, err := c.Model(context.Background(), "founderlab/tiny-bert")
	if err != nil {
		fmt.Println(err)
		return
	}
	rel, _ := filepath.Rel(cache, dir)
	fmt.Println(filepath.ToSlash(rel))
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println(" ", e.Name())
	}
	c.Offline = true
	again, err := c.Model(context.Background(), "founderlab/tiny-bert")
	fmt.Println("offline:", again == dir, err)
	// Output:
	// models--founderlab--tiny-bert/snapshots/0123456789abcdef0123456789abcdef01234567
	//   config.json
	//   model.safetensors
	//   vocab.txt
	// offline: true <nil>
}
