package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FromVocabFile reads a vocab.txt and returns a tokenizer configured as
// DefaultConfig(lowercase): Hugging Face's BertTokenizer for that file.
func FromVocabFile(path string, lowercase bool) (*Tokenizer, error) {
	v, err := LoadVocab(path)
	if err != nil {
		return nil, err
	}
	t, err := New(v, DefaultConfig(lowercase))
	if err != nil {
		return nil, fmt.Errorf("%w (vocab %s)", err, path)
	}
	return t, nil
}

// Load returns the tokenizer stored at path, which may be a tokenizer.json,
// a vocab.txt, or a model directory. In a directory, tokenizer.json is used
// when present; otherwise vocab.txt, lowercased unless the directory's
// tokenizer_config.json says "do_lower_case": false (Hugging Face's
// default is to lowercase).
func Load(path string) (*Tokenizer, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	if !st.IsDir() {
		if strings.HasSuffix(path, ".json") {
			return LoadJSON(path)
		}
		return FromVocabFile(path, true)
	}
	if js := filepath.Join(path, "tokenizer.json"); fileExists(js) {
		return LoadJSON(js)
	}
	vocab := filepath.Join(path, "vocab.txt")
	if !fileExists(vocab) {
		return nil, fmt.Errorf("tokenizer: %s has neither tokenizer.json nor vocab.txt", path)
	}
	lower := true
	cfgPath := filepath.Join(path, "tokenizer_config.json")
	data, err := os.ReadFile(cfgPath)
	switch {
	case err == nil:
		var c struct {
			DoLowerCase *bool `json:"do_lower_case"`
		}
		if err := json.Unmarshal(data, &c); err != nil {
			return nil, fmt.Errorf("tokenizer: %s: %w", cfgPath, err)
		}
		if c.DoLowerCase != nil {
			lower = *c.DoLowerCase
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	return FromVocabFile(vocab, lower)
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
