package datasets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// EnvOffline names the environment variable that, when set to a non-empty
// value other than "0", forbids downloads: a missing file is an error.
const EnvOffline = "FOUNDERLAB_OFFLINE"

// Store finds data set files in a data directory and downloads missing ones.
// The zero value is not usable; create one with [NewStore] or fill in Dir.
type Store struct {
	// Dir is the data directory; data set "x" lives in Dir/x.
	Dir string
	// Offline forbids downloads.
	Offline bool
	// Client is the HTTP client for downloads; nil means http.DefaultClient.
	Client *http.Client
	// URL, when non-nil, maps a file to the address it is downloaded from
	// (a mirror, or a local server in tests). Nil means File.URL.
	URL func(dataset string, f File) string
}

// NewStore returns a Store on the data directory [Dir], offline when
// $FOUNDERLAB_OFFLINE is set.
func NewStore() (*Store, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	off := os.Getenv(EnvOffline)
	return &Store{Dir: dir, Offline: off != "" && off != "0"}, nil
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

// Path returns the local path of file in dataset. A file already in the data
// directory is checked against its sha256; a missing one is downloaded
// (unless the store is offline), checked, and renamed into place.
func (s *Store) Path(ctx context.Context, dataset, file string) (string, error) {
	card, err := Lookup(dataset)
	if err != nil {
		return "", err
	}
	f, err := card.File(file)
	if err != nil {
		return "", err
	}
	p := filepath.Join(s.Dir, dataset, filepath.FromSlash(f.Name))
	if _, err := os.Stat(p); err == nil {
		if err := VerifySHA256(p, f.SHA256); err != nil {
			return "", err
		}
		return p, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("datasets: %s: %w", p, err)
	}
	if s.Offline {
		return "", fmt.Errorf("datasets: %s is missing and downloads are off ($%s); copy the file there or set $%s to a directory that has it",
			p, EnvOffline, EnvDataDir)
	}
	url := f.URL
	if s.URL != nil {
		url = s.URL(dataset, f)
	}
	if err := s.download(ctx, url, p, f.SHA256); err != nil {
		return "", err
	}
	return p, nil
}

// Fetch makes sure every file of dataset is present and verified.
func (s *Store) Fetch(ctx context.Context, dataset string) error {
	card, err := Lookup(dataset)
	if err != nil {
		return err
	}
	for _, f := range card.Files {
		if _, err := s.Path(ctx, dataset, f.Name); err != nil {
			return err
		}
	}
	return nil
}

// download fetches url into dst through a temporary file in the same
// directory, checks the sha256, and renames it into place.
func (s *Store) download(ctx context.Context, url, dst, want string) error {
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("datasets: download %s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("datasets: download %s: %w (offline? set $%s to a directory holding the data)", url, err, EnvDataDir)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("datasets: download %s: %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".download-*")
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), resp.Body); err != nil {
		tmp.Close()
		return fmt.Errorf("datasets: download %s: %w", url, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		tmp.Close()
		return fmt.Errorf("datasets: download %s: sha256 %s, want %s; file discarded", url, got, want)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("datasets: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	return nil
}

// VerifySHA256 checks that the file at p has the hex sha256 want; the error
// names the file and both hashes.
func VerifySHA256(p, want string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("datasets: read %s: %w", p, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("datasets: %s has sha256 %s, want %s: the file is damaged or a different version; delete it to download it again", p, got, want)
	}
	return nil
}
