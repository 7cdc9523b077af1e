// Package hub downloads BERT models from the Hugging Face Hub into a local
// cache, checking every file, and resolves local model directories for
// offline use.
//
// # Names and paths
//
// [ModelDir] and [Client.Model] take either a path to a local model
// directory (anything that exists on disk, or starts with "/", "./", "../"
// or "~/") or a Hub repository name such as "bert-base-uncased",
// "bert-base-chinese" or "google/bert_uncased_L-4_H-256_A-4", optionally
// followed by "@revision" (a branch, tag or commit). A local directory is
// used as it is and never touches the network.
//
// # Downloads and integrity
//
// For each file the client asks
// {endpoint}/{repo}/resolve/{revision}/{file} for its headers (HEAD,
// following only relative redirects, which the Hub uses for renamed
// repositories such as bert-base-uncased): X-Repo-Commit names the commit the revision points to (all
// other files are then fetched at that commit, so a push in between cannot
// mix two versions), and the ETag (X-Linked-Etag for large files stored in
// Git LFS) is the file's content hash: a sha256 for LFS files, the Git blob
// sha1 (sha1 of "blob <size>\x00" + content) for the others. The body is
// streamed into a temporary file beside the destination while being hashed;
// the size (X-Linked-Size or Content-Length) and the hash must match before
// the file is synced and renamed into place, so the cache never holds a
// truncated or tampered file under its final name. An interrupted download
// leaves a ".partial" file that the next attempt resumes with an HTTP Range
// request. Weights (*.safetensors) are also opened and their header
// validated.
//
// The cache layout follows huggingface_hub's:
//
//	{cache}/models--{org}--{name}/refs/{revision}        the commit id
//	{cache}/models--{org}--{name}/snapshots/{commit}/…   the files
//
// The cache directory is $FOUNDERLAB_HUB_CACHE, or "hub" inside the user
// cache directory (os.UserCacheDir()/founderlab/hub).
//
// # Offline
//
// With $FOUNDERLAB_OFFLINE=1 or $HF_HUB_OFFLINE=1 (or Client.Offline) the
// client never connects: a name resolves to its cached snapshot or fails
// with an error saying that the model is not cached. Online, a network
// failure also falls back to a complete cached snapshot.
package hub

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Environment variables NewClient reads.
const (
	EnvCache    = "FOUNDERLAB_HUB_CACHE" // cache directory
	EnvOffline  = "FOUNDERLAB_OFFLINE"   // "1": never connect
	EnvHFOff    = "HF_HUB_OFFLINE"       // "1": never connect (huggingface_hub's name)
	EnvEndpoint = "HF_ENDPOINT"          // Hub URL, default https://huggingface.co
	EnvToken    = "HF_TOKEN"             // bearer token for gated or private models
)

// DefaultEndpoint is the Hugging Face Hub.
const DefaultEndpoint = "https://huggingface.co"

// Client downloads and caches model files. The zero value is not usable;
// use NewClient, then adjust fields before first use.
type Client struct {
	Endpoint string       // Hub URL without trailing slash
	CacheDir string       // cache root
	HTTP     *http.Client // for downloads; redirects are followed
	Token    string       // bearer token, sent only to Endpoint's host
	Offline  bool
	// Progress, if set, is called as files download (at most a few times a second).
	Progress func(Progress)
}

// NewClient returns a client configured from the environment (see the
// package documentation).
func NewClient() (*Client, error) {
	c := &Client{
		Endpoint: DefaultEndpoint,
		HTTP:     &http.Client{Timeout: 0},
		Token:    os.Getenv(EnvToken),
		Offline:  os.Getenv(EnvOffline) == "1" || os.Getenv(EnvHFOff) == "1",
	}
	if e := os.Getenv(EnvEndpoint); e != "" {
		c.Endpoint = strings.TrimRight(e, "/")
	}
	c.CacheDir = os.Getenv(EnvCache)
	if c.CacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("hub: no cache directory (set %s): %w", EnvCache, err)
		}
		c.CacheDir = filepath.Join(base, "founderlab", "hub")
	}
	return c, nil
}

// ModelDir resolves nameOrPath with a client from NewClient: a local
// directory as it is, a Hub name by downloading BertFiles() into the cache.
func ModelDir(ctx context.Context, nameOrPath string) (string, error) {
	c, err := NewClient()
	if err != nil {
		return "", err
	}
	return c.Model(ctx, nameOrPath)
}

// Model returns a directory holding the BERT model nameOrPath (see the
// package documentation), downloading it if needed.
func (c *Client) Model(ctx context.Context, nameOrPath string) (string, error) {
	if IsLocalPath(nameOrPath) {
		p := nameOrPath
		if strings.HasPrefix(p, "~/") {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("hub: %s: %w", nameOrPath, err)
			}
			p = filepath.Join(home, p[2:])
		}
		st, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("hub: model directory: %w", err)
		}
		if !st.IsDir() {
			return "", fmt.Errorf("hub: %s is not a directory", p)
		}
		return p, nil
	}
	repo, rev, _ := strings.Cut(nameOrPath, "@")
	if rev == "" {
		rev = "main"
	}
	return c.Download(ctx, repo, rev, BertFiles())
}
