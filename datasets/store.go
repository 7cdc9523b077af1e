package datasets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/assets"
)

// Environment variables read by [NewStore].
const (
	// EnvOffline, set to a non-empty value other than "0", forbids
	// downloads: a missing file is an error wrapping [ErrMissing].
	EnvOffline = assets.EnvOffline
	// EnvMirror names a base URL (http, https, file) or a directory to
	// download from instead of the public sources; data set files are
	// looked up there at datasets/NAME/FILE. An unpacked workshop kit
	// (founderlab pack) is such a mirror.
	EnvMirror = assets.EnvMirror
)

// Errors that callers branch on with errors.Is.
var (
	// ErrMissing: a file is absent and may not be downloaded.
	ErrMissing = assets.ErrMissing
	// ErrChecksum: a file's sha256 differs from its card's.
	ErrChecksum = assets.ErrChecksum
)

// Store finds data set files in a data directory and downloads missing ones.
// The zero value is not usable; create one with [NewStore] or fill in Dir.
type Store struct {
	// Dir is the data directory; data set "x" lives in Dir/x.
	Dir string
	// Offline forbids downloads from the network.
	Offline bool
	// Mirror, when not empty, is where files are downloaded from instead
	// of their public source (see [EnvMirror]).
	Mirror string
	// Client is the HTTP client for downloads; nil means http.DefaultClient.
	Client *http.Client
	// Progress, when not nil, receives a progress bar per download.
	Progress io.Writer
	// URL, when non-nil, maps a file to the address it is downloaded from,
	// overriding Mirror (tests use it for a local server).
	URL func(dataset string, f File) string
}

// NewStore returns a Store on the data directory [Dir], offline when
// $FOUNDERLAB_OFFLINE is set and downloading from $FOUNDERLAB_MIRROR when
// that is set.
func NewStore() (*Store, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	g := assets.FromEnv()
	return &Store{Dir: dir, Offline: g.Offline, Mirror: g.Mirror}, nil
}

// Path returns the local path of a data set file, downloading and verifying
// it first if it is missing. See [Store.Path].
func Path(ctx context.Context, dataset, file string) (string, error) {
	s, err := NewStore()
	if err != nil {
		return "", err
	}
	return s.Path(ctx, dataset, file)
}

// FileRel returns the place of a data set file in a mirror or kit:
// datasets/DATASET/NAME.
func FileRel(dataset string, f File) string { return "datasets/" + dataset + "/" + f.Name }

// Path returns the local path of file in dataset. A file already in the data
// directory is checked against its sha256; a missing one is downloaded
// (unless the store is offline), checked, and renamed into place. An error
// names the file and the command that fetches it.
func (s *Store) Path(ctx context.Context, dataset, file string) (string, error) {
	card, err := Lookup(dataset)
	if err != nil {
		return "", err
	}
	f, err := card.File(file)
	if err != nil {
		return "", err
	}
	p := s.local(dataset, f)
	if _, err := s.fetch(ctx, dataset, f, p); err != nil {
		return "", err
	}
	return p, nil
}

func (s *Store) local(dataset string, f File) string {
	return filepath.Join(s.Dir, dataset, filepath.FromSlash(f.Name))
}

func (s *Store) fetch(ctx context.Context, dataset string, f File, dst string) (downloaded bool, err error) {
	g := &assets.Fetcher{Offline: s.Offline, Mirror: s.Mirror, Client: s.Client, Progress: s.Progress,
		Hint: "founderlab data fetch " + dataset}
	af := assets.File{Name: f.Name, URL: f.URL, SHA256: f.SHA256, Size: f.Size}
	if s.URL != nil {
		g.Mirror = ""
		af.URL = s.URL(dataset, f)
	}
	got, err := g.Fetch(ctx, af, FileRel(dataset, f), dst)
	var de *assets.DownloadError
	switch {
	case err == nil:
	case errors.As(err, &de):
		// The first line is what a notebook's failure line shows: the
		// cause and the fix; the address follows.
		err = fmt.Errorf("datasets: cannot download %s/%s (%w): no network? set $%s to a mirror or an unpacked workshop kit, or $%s to a directory that has the data (`founderlab data fetch %s` downloads it where there is network)\nsource: %s",
			dataset, f.Name, de.Err, EnvMirror, EnvDataDir, dataset, de.URL)
	default:
		err = fmt.Errorf("datasets: %w", err)
	}
	return got, err
}

// Fetch makes sure every file of dataset is present and verified,
// downloading what is missing.
func (s *Store) Fetch(ctx context.Context, dataset string) error {
	card, err := Lookup(dataset)
	if err != nil {
		return err
	}
	for _, f := range card.Files {
		if _, err := s.fetch(ctx, dataset, f, s.local(dataset, f)); err != nil {
			return err
		}
	}
	return nil
}

// Status says whether a data set is present in the store without
// downloading anything: nil when every file is there and verified, an
// error wrapping ErrMissing when a file is absent, or ErrChecksum when one
// differs.
func (s *Store) Status(dataset string) error {
	card, err := Lookup(dataset)
	if err != nil {
		return err
	}
	for _, f := range card.Files {
		p := s.local(dataset, f)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("datasets: %s is %w (run `founderlab data fetch %s`)", p, ErrMissing, dataset)
		}
		if err := VerifySHA256(p, f.SHA256); err != nil {
			return err
		}
	}
	return nil
}

// VerifySHA256 checks that the file at p has the hex sha256 want; the error
// names the file and both hashes and wraps [ErrChecksum].
func VerifySHA256(p, want string) error {
	if err := assets.VerifySHA256(p, want); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	return nil
}
