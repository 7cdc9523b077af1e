package tokenizer

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

// Vocab is a WordPiece vocabulary: token strings and their integer ids.
type Vocab struct {
	tokens []string       // id → token; "" for ids no token maps to
	ids    map[string]int // token → id
}

// NewVocab returns a vocabulary in which tokens[i] has id i. When a token
// appears more than once, its last id is the one lookups return (as in
// Hugging Face's loader); every id still maps back to its own string.
func NewVocab(tokens []string) *Vocab {
	v := &Vocab{tokens: tokens, ids: make(map[string]int, len(tokens))}
	for i, t := range tokens {
		v.ids[t] = i
	}
	return v
}

// ReadVocab reads a vocab.txt: one token per line, the line number (from 0)
// being the id. Lines are split on "\n" only, because real vocabularies
// contain other line-breaking characters such as U+2028 inside tokens; a
// "\r" before the "\n" is dropped so that files with CRLF line ends work.
// A final newline does not start an extra (empty) token.
func ReadVocab(r io.Reader) (*Vocab, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: read vocab: %w", err)
	}
	return parseVocab(data)
}

func parseVocab(data []byte) (*Vocab, error) {
	n := bytes.Count(data, []byte{'\n'})
	tokens := make([]string, 0, n+1)
	s := string(data)
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		tokens = append(tokens, strings.TrimSuffix(line, "\r"))
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("tokenizer: vocab is empty")
	}
	return NewVocab(tokens), nil
}

// LoadVocab reads the vocab.txt file at path (see ReadVocab).
func LoadVocab(path string) (*Vocab, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	v, err := parseVocab(data)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %s: %w", path, err)
	}
	return v, nil
}

// vocabFromMap builds a Vocab from a token → id map (tokenizer.json). Ids
// need not be dense; missing ids map back to "".
func vocabFromMap(m map[string]int) (*Vocab, error) {
	maxID := -1
	for t, id := range m {
		if id < 0 {
			return nil, fmt.Errorf("token %q has negative id %d", t, id)
		}
		maxID = max(maxID, id)
	}
	if maxID > 16*len(m)+1024 {
		return nil, fmt.Errorf("ids up to %d for %d tokens: too sparse", maxID, len(m))
	}
	v := &Vocab{tokens: make([]string, maxID+1), ids: make(map[string]int, len(m))}
	for t, id := range m {
		v.tokens[id] = t
		v.ids[t] = id
	}
	return v, nil
}

// Size returns the number of ids (one more than the largest id).
func (v *Vocab) Size() int { return len(v.tokens) }

// ID returns the id of token.
func (v *Vocab) ID(token string) (int, bool) {
	id, ok := v.ids[token]
	return id, ok
}

// Token returns the token string of id.
func (v *Vocab) Token(id int) (string, bool) {
	if id < 0 || id >= len(v.tokens) {
		return "", false
	}
	return v.tokens[id], true
}
