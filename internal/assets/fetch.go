package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Environment variables read by [FromEnv].
const (
	// EnvOffline, set to a value other than "" and "0", forbids downloads
	// from the network.
	EnvOffline = "FOUNDERLAB_OFFLINE"
	// EnvMirror names a base URL or directory to fetch every file from
	// instead of its public source (see the package doc for the layout).
	EnvMirror = "FOUNDERLAB_MIRROR"
)

// Errors that callers branch on; returned errors wrap them.
var (
	// ErrMissing: the file is not present and may not be downloaded.
	ErrMissing = errors.New("missing")
	// ErrChecksum: a file's sha256 differs from the pinned one.
	ErrChecksum = errors.New("sha256 mismatch")
)

// File is one pinned file.
type File struct {
	// Name is the file's path relative to the directory it is installed in.
	Name string
	// URL is its public source.
	URL string
	// SHA256 is the hex sha256 of its bytes.
	SHA256 string
	// Size is its length in bytes; 0 means unknown (no bound is applied
	// then beyond MaxDownload).
	Size int64
}

// DownloadError reports a download that could not start: no network, a
// refused connection, or an HTTP status other than 200 OK.
type DownloadError struct {
	URL string
	Err error
}

func (e *DownloadError) Error() string { return "download " + e.URL + ": " + e.Err.Error() }
func (e *DownloadError) Unwrap() error { return e.Err }

// MaxDownload bounds a download whose size is not recorded.
const MaxDownload = 4 << 30

// Fetcher downloads files. The zero value downloads from the public
// sources with http.DefaultClient and reports no progress.
type Fetcher struct {
	// Offline forbids downloads from the network.
	Offline bool
	// Mirror, when not empty, is a base URL (http, https, file) or a
	// directory every file is fetched from, at Mirror/rel.
	Mirror string
	// Client is the HTTP client; nil means http.DefaultClient.
	Client *http.Client
	// Progress, when not nil, receives a progress bar for each download.
	Progress io.Writer
	// Hint is the command that fetches a missing file, named in ErrMissing
	// errors (for example "founderlab data fetch wholesale").
	Hint string
}

// FromEnv returns a Fetcher configured from $FOUNDERLAB_OFFLINE and
// $FOUNDERLAB_MIRROR.
func FromEnv() *Fetcher {
	off := os.Getenv(EnvOffline)
	return &Fetcher{Offline: off != "" && off != "0", Mirror: os.Getenv(EnvMirror)}
}

// Source returns where f is fetched from when it sits at rel in the mirror
// layout: the mirror's address when a mirror is set, else f.URL.
func (g *Fetcher) Source(f File, rel string) string {
	if g.Mirror == "" {
		return f.URL
	}
	return strings.TrimRight(g.Mirror, "/") + "/" + rel
}

// Fetch makes sure dst holds f: an existing dst is verified against the
// sha256 (an error wrapping ErrChecksum when it differs); a missing one is
// downloaded from g.Source(f, rel), verified, and renamed into place. It
// reports whether it downloaded.
func (g *Fetcher) Fetch(ctx context.Context, f File, rel, dst string) (downloaded bool, err error) {
	if _, err := os.Stat(dst); err == nil {
		return false, VerifySHA256(dst, f.SHA256)
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("assets: %w", err)
	}
	src := g.Source(f, rel)
	local, isLocal := localPath(src)
	if g.Offline && !isLocal {
		hint := ""
		if g.Hint != "" {
			hint = "; run `" + g.Hint + "` where there is network, or use a workshop kit (founderlab install --from KIT)"
		}
		return false, fmt.Errorf("assets: %s is %w and downloads are off ($%s)%s", dst, ErrMissing, EnvOffline, hint)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, fmt.Errorf("assets: %w", err)
	}
	var body io.ReadCloser
	total := f.Size
	if isLocal {
		fh, err := os.Open(local)
		if err != nil {
			return false, fmt.Errorf("assets: %s: %w", src, err)
		}
		body = fh
	} else {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
		if err != nil {
			return false, fmt.Errorf("assets: download %s: %w", src, err)
		}
		client := g.Client
		if client == nil {
			client = http.DefaultClient
		}
		resp, err := client.Do(req)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // the address is said once
			}
			return false, &DownloadError{URL: src, Err: err}
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return false, &DownloadError{URL: src, Err: errors.New(resp.Status)}
		}
		if total == 0 && resp.ContentLength > 0 {
			total = resp.ContentLength
		}
		body = resp.Body
	}
	defer body.Close()
	limit := f.Size
	if limit == 0 {
		limit = MaxDownload
	}
	var bar *progressBar
	if g.Progress != nil {
		bar = newProgressBar(g.Progress, strings.TrimPrefix(strings.TrimPrefix(rel, "datasets/"), "wheels/"), total)
	}
	err = atomicfile.Write(dst, func(w io.Writer) error {
		h := sha256.New()
		var r io.Reader = io.LimitReader(&ctxReader{ctx, body}, limit+1)
		if bar != nil {
			r = io.TeeReader(r, bar)
		}
		n, err := io.Copy(io.MultiWriter(w, h), r)
		if bar != nil {
			bar.done(err == nil)
		}
		if err != nil {
			return fmt.Errorf("assets: download %s: %w", src, err)
		}
		if n > limit {
			return fmt.Errorf("assets: download %s: more than the expected %d bytes; file discarded", src, limit)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
			return fmt.Errorf("assets: download %s: %w: got %s, want %s; file discarded", src, ErrChecksum, got, f.SHA256)
		}
		return nil
	}, 0o644)
	if err != nil {
		return false, err
	}
	return true, nil
}

// localPath reports whether src is a file:// URL or a plain path, and the
// path.
func localPath(src string) (string, bool) {
	if strings.HasPrefix(src, "file://") {
		u, err := url.Parse(src)
		if err != nil {
			return "", false
		}
		return u.Path, true
	}
	if strings.Contains(src, "://") {
		return "", false
	}
	return src, true
}

// ctxReader stops reading when its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// VerifySHA256 checks that the file at p has the hex sha256 want. A
// mismatch wraps ErrChecksum and says how to recover.
func VerifySHA256(p, want string) error {
	got, err := SHA256File(p)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("assets: %s: %w: got %s, want %s: the file is damaged or a different version; delete it to download it again", p, ErrChecksum, got, want)
	}
	return nil
}

// SHA256File returns the hex sha256 of the file at p.
func SHA256File(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", fmt.Errorf("assets: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("assets: read %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// progressBar draws "name  12.3 MB / 83.5 MB  15%  4.1 MB/s  ETA 17s" on
// one line, redrawn at most every 200 ms.
type progressBar struct {
	w            io.Writer
	name         string
	total, n     int64
	start, drawn time.Time
}

func newProgressBar(w io.Writer, name string, total int64) *progressBar {
	now := time.Now()
	return &progressBar{w: w, name: name, total: total, start: now, drawn: now}
}

func (b *progressBar) Write(p []byte) (int, error) {
	b.n += int64(len(p))
	if time.Since(b.drawn) >= 200*time.Millisecond {
		b.draw("\r")
		b.drawn = time.Now()
	}
	return len(p), nil
}

func (b *progressBar) done(ok bool) {
	if ok {
		b.draw("\r")
		fmt.Fprintln(b.w)
	} else {
		fmt.Fprintln(b.w, " failed")
	}
}

func (b *progressBar) draw(prefix string) {
	secs := time.Since(b.start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(b.n) / secs
	}
	line := fmt.Sprintf("%s%-28s %9s", prefix, b.name, FormatBytes(b.n))
	if b.total > 0 {
		line += fmt.Sprintf(" / %-9s %3d%%", FormatBytes(b.total), b.n*100/b.total)
	}
	line += fmt.Sprintf("  %9s/s", FormatBytes(int64(rate)))
	if b.total > 0 && rate > 0 && b.n < b.total {
		line += fmt.Sprintf("  ETA %s", time.Duration(float64(b.total-b.n)/rate*float64(time.Second)).Round(time.Second))
	} else {
		line += fmt.Sprintf("  %.1fs", secs)
	}
	fmt.Fprint(b.w, line+"   ")
}

// FormatBytes formats n bytes with a decimal unit: "532 B", "1.2 MB".
func FormatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
