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
	"strconv"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/lib/safetensors"
)

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

// Progress reports download progress of one file.
type Progress struct {
	Repo, File  string
	Done, Total int64 // bytes; Total is -1 when unknown
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

// fetch downloads one file into dst through a ".partial" file beside it,
// which outlives a failed attempt so that the next one resumes it, and is
// renamed into place once its size, hash and (for weights) header are
// verified. Not atomicfile.Write, whose temporary file would not survive.
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
	h, err := newHash(name, m)
	if err != nil {
		return err
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
		if err := restart(f, h, m); err != nil {
			return err
		}
	}
	if m.size < 0 || have < m.size {
		if have, err = c.getRest(ctx, repo, rev, name, m, f, h, have); err != nil {
			return err
		}
	}
	if err := verify(name, m, h, have); err != nil {
		os.Remove(partial)
		return err
	}
	return place(f, partial, dst, name)
}

// newHash returns the hash that the file's ETag is: a sha256 for files in
// Git LFS, otherwise a Git blob sha1, which covers a "blob <size>\x00"
// header before the content.
func newHash(name string, m *meta) (hash.Hash, error) {
	if len(m.etag) == 64 {
		return sha256.New(), nil
	}
	if m.size < 0 {
		return nil, fmt.Errorf("hub: %s: no size for a git-hashed file: cannot verify", name)
	}
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", m.size)
	return h, nil
}

// restart empties the partial file f and resets h, to download from the
// first byte.
func restart(f *os.File, h hash.Hash, m *meta) error {
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
	return nil
}

// getRest downloads the file from byte have on (with a Range request; all
// of it when the server ignores the range) into f and h, and returns the
// number of bytes f now holds. When the server cannot be reached or the body
// breaks off, f is kept for the next attempt and the error is a
// *networkError.
func (c *Client) getRest(ctx context.Context, repo, rev, name string, m *meta, f *os.File, h hash.Hash, have int64) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(repo, rev, name), nil)
	if err != nil {
		return have, fmt.Errorf("hub: %w", err)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return have, &networkError{fmt.Errorf("hub: %s: %w", req.URL, err)}
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		if have > 0 { // the server ignored the range: start over
			if err := restart(f, h, m); err != nil {
				return have, err
			}
			have = 0
		}
	case http.StatusPartialContent:
	default:
		return have, fmt.Errorf("hub: GET %s: %s", req.URL, resp.Status)
	}
	var src io.Reader = resp.Body
	if m.size >= 0 {
		src = io.LimitReader(resp.Body, m.size-have+1) // one extra byte reveals an oversized body
	}
	if c.Progress != nil {
		src = &progressReader{r: src, p: Progress{Repo: repo, File: name, Done: have, Total: m.size}, fn: c.Progress}
	}
	n, err := io.Copy(io.MultiWriter(f, h), src)
	have += n
	if err != nil {
		return have, &networkError{fmt.Errorf("hub: download %s after %d bytes: %w", name, have, err)}
	}
	return have, nil
}

// verify checks the size and hash of the downloaded bytes against what
// the HEAD request announced.
func verify(name string, m *meta, h hash.Hash, have int64) error {
	if m.size >= 0 && have != m.size {
		return fmt.Errorf("hub: %s: got %d bytes, want %d (integrity check failed)", name, have, m.size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.etag {
		kind := "sha256"
		if len(m.etag) != 64 {
			kind = "git blob sha1"
		}
		return fmt.Errorf("hub: %s: %s %s, want %s (integrity check failed; partial download removed)", name, kind, got, m.etag)
	}
	return nil
}

// place syncs and closes the verified partial file f, checks the header of
// weights (*.safetensors), renames it to dst and syncs the directory.
func place(f *os.File, partial, dst, name string) error {
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
	if err := os.Rename(partial, dst); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if err := atomicfile.SyncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	return nil
}

// progressReader calls fn with the bytes read so far, at most five times a
// second and at the end.
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
