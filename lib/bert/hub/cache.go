package hub

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// repoDir is the cache directory of a repository.
func (c *Client) repoDir(repo string) string {
	return filepath.Join(c.CacheDir, "models--"+strings.ReplaceAll(repo, "/", "--"))
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
