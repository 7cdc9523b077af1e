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
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/lib/safetensors"
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

// File is a file of a model repository to fetch.
type File struct {
	Name     string
	Optional bool // a 404 for an optional file is not an error
}

// BertFiles returns the files of a BERT model directory: configuration,
// weights and tokenizer.
func BertFiles() []File {
	return []File{
		{Name: "config.json"},
		{Name: "model.safetensors"},
		{Name: "vocab.txt"},
		{Name: "tokenizer.json", Optional: true},
		{Name: "tokenizer_config.json", Optional: true},
		{Name: "special_tokens_map.json", Optional: true},
	}
}

// KnownModels lists BERT checkpoints FounderLab's chapters use. Other
// repository names work too if they hold a model.safetensors.
func KnownModels() []string {
	names := []string{"bert-base-uncased", "bert-base-chinese"}
	for _, l := range []int{2, 4, 6, 8, 10, 12} {
		for _, h := range []int{128, 256, 512, 768} {
			names = append(names, fmt.Sprintf("google/bert_uncased_L-%d_H-%d_A-%d", l, h, h/64))
		}
	}
	return names
}

// Progress reports download progress of one file.
type Progress struct {
	Repo, File  string
	Done, Total int64 // bytes; Total is -1 when unknown
}

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

// IsLocalPath reports whether nameOrPath names a local directory or file
// rather than a Hub repository.
func IsLocalPath(nameOrPath string) bool {
	if strings.HasPrefix(nameOrPath, "/") || strings.HasPrefix(nameOrPath, "./") ||
		strings.HasPrefix(nameOrPath, "../") || strings.HasPrefix(nameOrPath, "~/") ||
		filepath.IsAbs(nameOrPath) || nameOrPath == "." || nameOrPath == ".." {
		return true
	}
	_, err := os.Stat(nameOrPath)
	return err == nil
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

var (
	repoPart = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$`)
	revRe    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$`)
	commitRe = regexp.MustCompile(`^[0-9a-f]{40}$`)
	sha256Re = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// checkRepo validates a repository id ("name" or "org/name") so that it is
// safe as a URL path and a directory name.
func checkRepo(repo string) error {
	parts := strings.Split(repo, "/")
	if len(parts) > 2 {
		return fmt.Errorf("hub: repository %q: want \"name\" or \"org/name\"", repo)
	}
	for _, p := range parts {
		if !repoPart.MatchString(p) || strings.Contains(p, "..") {
			return fmt.Errorf("hub: repository %q: invalid name (letters, digits, '.', '_', '-')", repo)
		}
	}
	return nil
}

func checkRevision(rev string) error {
	if !revRe.MatchString(rev) || strings.Contains(rev, "..") {
		return fmt.Errorf("hub: revision %q: invalid", rev)
	}
	return nil
}

func checkFileName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") {
		return fmt.Errorf("hub: file name %q: invalid", name)
	}
	for _, p := range strings.Split(name, "/") {
		if p == "" || p == "." || p == ".." {
			return fmt.Errorf("hub: file name %q: invalid", name)
		}
	}
	return nil
}

// repoDir is the cache directory of a repository.
func (c *Client) repoDir(repo string) string {
	return filepath.Join(c.CacheDir, "models--"+strings.ReplaceAll(repo, "/", "--"))
}

// Download fetches files of repo at revision into the cache and returns the
// snapshot directory. Files already in the snapshot are not fetched again.
func (c *Client) Download(ctx context.Context, repo, revision string, files []File) (string, error) {
	if err := checkRepo(repo); err != nil {
		return "", err
	}
	if err := checkRevision(revision); err != nil {
		return "", err
	}
	for _, f := range files {
		if err := checkFileName(f.Name); err != nil {
			return "", err
		}
	}
	if c.Offline {
		dir, err := c.cached(repo, revision, files)
		if err != nil {
			return "", fmt.Errorf("hub: %s@%s: offline (%s=1) and %w", repo, revision, EnvOffline, err)
		}
		return dir, nil
	}
	dir, err := c.download(ctx, repo, revision, files)
	if err != nil {
		var netErr *networkError
		if errors.As(err, &netErr) {
			if cached, cerr := c.cached(repo, revision, files); cerr == nil {
				return cached, nil
			}
		}
		return "", err
	}
	return dir, nil
}

// cached returns the snapshot directory for repo@revision if every
// required file is in it.
func (c *Client) cached(repo, revision string, files []File) (string, error) {
	commit := revision
	if !commitRe.MatchString(revision) {
		data, err := os.ReadFile(filepath.Join(c.repoDir(repo), "refs", revision))
		if err != nil {
			return "", fmt.Errorf("the model is not cached in %s", c.CacheDir)
		}
		commit = strings.TrimSpace(string(data))
		if !commitRe.MatchString(commit) {
			return "", fmt.Errorf("cache ref %s is corrupt", filepath.Join(c.repoDir(repo), "refs", revision))
		}
	}
	dir := filepath.Join(c.repoDir(repo), "snapshots", commit)
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil && !f.Optional {
			return "", fmt.Errorf("cached snapshot %s lacks %s", dir, f.Name)
		}
	}
	return dir, nil
}

// networkError marks failures to reach the server (as opposed to answers).
type networkError struct{ err error }

func (e *networkError) Error() string { return e.err.Error() }
func (e *networkError) Unwrap() error { return e.err }

// meta is what a HEAD request says about a file.
type meta struct {
	commit string
	etag   string // sha256 (LFS) or git blob sha1
	size   int64  // -1 if unknown
}

func (c *Client) url(repo, revision, file string) string {
	return c.Endpoint + "/" + repo + "/resolve/" + revision + "/" + file
}

func (c *Client) head(ctx context.Context, repo, revision, file string) (*meta, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.url(repo, revision, file), nil)
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	req.Header.Set("Accept-Encoding", "identity") // Content-Length of the file itself
	client := *c.httpClient()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	var resp *http.Response
	for hops := 0; ; hops++ {
		resp, err = client.Do(req)
		if err != nil {
			return nil, &networkError{fmt.Errorf("hub: %s: %w", req.URL, err)}
		}
		resp.Body.Close()
		// Follow relative redirects (a renamed repository, such as
		// bert-base-uncased → google-bert/bert-base-uncased) but not
		// absolute ones nor any answer that already describes the file
		// (large files redirect to a CDN; their headers are on this response).
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode >= 400 || resp.Header.Get("X-Repo-Commit") != "" ||
			!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
			break
		}
		if hops == 5 {
			return nil, fmt.Errorf("hub: %s: too many redirects", req.URL)
		}
		next, err := req.URL.Parse(loc)
		if err != nil {
			return nil, fmt.Errorf("hub: %s: bad redirect %q: %w", req.URL, loc, err)
		}
		req = req.Clone(ctx)
		req.URL, req.Host = next, ""
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, errNotFound
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("hub: %s: %s (gated or private model: accept its terms on the Hub and set %s)", req.URL, resp.Status, EnvToken)
	case resp.StatusCode >= 400:
		return nil, fmt.Errorf("hub: %s: %s", req.URL, resp.Status)
	}
	m := &meta{commit: resp.Header.Get("X-Repo-Commit"), size: -1}
	m.etag = cleanETag(resp.Header.Get("X-Linked-Etag"))
	if m.etag == "" {
		m.etag = cleanETag(resp.Header.Get("ETag"))
	}
	if s := resp.Header.Get("X-Linked-Size"); s != "" {
		m.size, _ = strconv.ParseInt(s, 10, 64)
	} else if resp.StatusCode == http.StatusOK && resp.ContentLength >= 0 {
		m.size = resp.ContentLength
	}
	if !commitRe.MatchString(m.commit) {
		return nil, fmt.Errorf("hub: %s: no valid X-Repo-Commit header (%q)", req.URL, m.commit)
	}
	if !sha256Re.MatchString(m.etag) && !commitRe.MatchString(m.etag) {
		return nil, fmt.Errorf("hub: %s: ETag %q is neither a sha256 nor a git sha1: cannot verify the file", req.URL, m.etag)
	}
	return m, nil
}

var errNotFound = errors.New("not found")

func cleanETag(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "W/")
	return strings.ToLower(strings.Trim(s, `"`))
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

func (c *Client) download(ctx context.Context, repo, revision string, files []File) (string, error) {
	commit := ""
	rev := revision
	var dir string
	for _, f := range files {
		m, err := c.head(ctx, repo, rev, f.Name)
		if errors.Is(err, errNotFound) {
			if f.Optional {
				continue
			}
			return "", fmt.Errorf("hub: %s@%s has no %s (%s)", repo, revision, f.Name, c.url(repo, rev, f.Name))
		}
		if err != nil {
			return "", err
		}
		if commit == "" {
			commit, rev = m.commit, m.commit // every other file at this exact commit
			dir = filepath.Join(c.repoDir(repo), "snapshots", commit)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return "", fmt.Errorf("hub: %w", err)
			}
		} else if m.commit != commit {
			return "", fmt.Errorf("hub: %s: %s is at commit %s, not %s", repo, f.Name, m.commit, commit)
		}
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if st, err := os.Stat(dst); err == nil && (m.size < 0 || st.Size() == m.size) {
			continue // verified when it was placed
		}
		if err := c.fetch(ctx, repo, rev, f.Name, m, dst); err != nil {
			return "", err
		}
	}
	if commit == "" {
		return "", fmt.Errorf("hub: %s@%s: none of the files exist", repo, revision)
	}
	if revision != commit {
		ref := filepath.Join(c.repoDir(repo), "refs", filepath.FromSlash(revision))
		if err := os.MkdirAll(filepath.Dir(ref), 0o755); err != nil {
			return "", fmt.Errorf("hub: %w", err)
		}
		if err := atomicfile.WriteFile(ref, []byte(commit), 0o644); err != nil {
			return "", fmt.Errorf("hub: %w", err)
		}
	}
	return dir, nil
}

// fetch downloads one file into dst through dst.partial, resuming it.
func (c *Client) fetch(ctx context.Context, repo, rev, name string, m *meta, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	partial := dst + "." + m.etag[:16] + ".partial"
	f, err := os.OpenFile(partial, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	defer f.Close()
	var h hash.Hash
	if len(m.etag) == 64 {
		h = sha256.New()
	} else {
		h = sha1.New()
		if m.size < 0 {
			return fmt.Errorf("hub: %s: no size for a git-hashed file: cannot verify", name)
		}
		fmt.Fprintf(h, "blob %d\x00", m.size)
	}
	// Hash what an earlier attempt left, then ask for the rest.
	have, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("hub: read %s: %w", partial, err)
	}
	if m.size >= 0 && have > m.size {
		have = 0
	}
	if have == 0 {
		if err := f.Truncate(0); err != nil {
			return fmt.Errorf("hub: %w", err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("hub: %w", err)
		}
		h.Reset()
		if len(m.etag) != 64 {
			fmt.Fprintf(h, "blob %d\x00", m.size)
		}
	}
	if m.size < 0 || have < m.size {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(repo, rev, name), nil)
		if err != nil {
			return fmt.Errorf("hub: %w", err)
		}
		if c.Token != "" {
			req.Header.Set("Authorization", "Bearer "+c.Token)
		}
		if have > 0 {
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
		}
		resp, err := c.httpClient().Do(req)
		if err != nil {
			return &networkError{fmt.Errorf("hub: %s: %w", req.URL, err)}
		}
		defer resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			if have > 0 { // the server ignored the range: start over
				if err := f.Truncate(0); err != nil {
					return fmt.Errorf("hub: %w", err)
				}
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					return fmt.Errorf("hub: %w", err)
				}
				have = 0
				h.Reset()
				if len(m.etag) != 64 {
					fmt.Fprintf(h, "blob %d\x00", m.size)
				}
			}
		case http.StatusPartialContent:
		default:
			return fmt.Errorf("hub: GET %s: %s", req.URL, resp.Status)
		}
		w := io.MultiWriter(f, h)
		var src io.Reader = resp.Body
		if m.size >= 0 {
			src = io.LimitReader(resp.Body, m.size-have+1) // one extra byte reveals an oversized body
		}
		if c.Progress != nil {
			src = &progressReader{r: src, p: Progress{Repo: repo, File: name, Done: have, Total: m.size}, fn: c.Progress}
		}
		n, err := io.Copy(w, src)
		have += n
		if err != nil {
			// Keep the partial file for the next attempt.
			return &networkError{fmt.Errorf("hub: download %s after %d bytes: %w", name, have, err)}
		}
	}
	if m.size >= 0 && have != m.size {
		os.Remove(partial)
		return fmt.Errorf("hub: %s: got %d bytes, want %d (integrity check failed)", name, have, m.size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.etag {
		os.Remove(partial)
		kind := "sha256"
		if len(m.etag) != 64 {
			kind = "git blob sha1"
		}
		return fmt.Errorf("hub: %s: %s %s, want %s (integrity check failed; partial download removed)", name, kind, got, m.etag)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if strings.HasSuffix(name, ".safetensors") {
		sf, err := safetensors.Open(partial)
		if err != nil {
			os.Remove(partial)
			return fmt.Errorf("hub: %s: %w", name, err)
		}
		sf.Close()
	}
	// Not atomicfile.Write: the partial file outlives a failed attempt so
	// that the next one resumes it, and is renamed once verified.
	if err := os.Rename(partial, dst); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if err := atomicfile.SyncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	return nil
}

type progressReader struct {
	r    io.Reader
	p    Progress
	fn   func(Progress)
	last time.Time
}

func (pr *progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	pr.p.Done += int64(n)
	if now := time.Now(); err != nil || now.Sub(pr.last) > 200*time.Millisecond {
		pr.last = now
		pr.fn(pr.p)
	}
	return n, err
}
