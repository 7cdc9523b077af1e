package hub

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

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

// KnownModels lists well-known BERT checkpoints on the Hugging Face Hub
// that this package can download and lib/bert can load: the original
// BERT-base (Devlin et al. 2019) in English, uncased and cased, and in
// Chinese, then Google's 24 smaller English BERTs (Turc et al. 2019).
// bert-base-cased is the model of the seed's chapter 5, which notebook 06
// fine-tunes with `-p model=bert-base-cased`; by default the chapters use
// all-MiniLM-L6-v2 through bert.Pretrained instead. Other repository names
// work too if they hold a model.safetensors.
func KnownModels() []string {
	names := []string{"bert-base-uncased", "bert-base-cased", "bert-base-chinese"}
	for _, l := range []int{2, 4, 6, 8, 10, 12} {
		for _, h := range []int{128, 256, 512, 768} {
			names = append(names, fmt.Sprintf("google/bert_uncased_L-%d_H-%d_A-%d", l, h, h/64))
		}
	}
	return names
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
