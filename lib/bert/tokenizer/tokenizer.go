package tokenizer

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Tokenizer turns text into BERT input ids. It is safe for concurrent use.
type Tokenizer struct {
	vocab  *Vocab
	cfg    Config
	unkID  int
	cont   map[string]int // continuation pieces without their prefix → id
	maxLen int            // longest vocabulary token, in bytes
	maxCnt int            // longest continuation piece, in bytes

	rawAdded  *matcher // added tokens matched in the raw text
	normAdded *matcher // added tokens matched in normalized text
	added     map[int]AddedToken
	size      int // number of ids: vocabulary and added tokens

	// Where bounded tokenization may cut the text (see cutAfter).
	cutASCII [utf8.RuneSelf]bool
	noCut    map[rune]bool // runes of added tokens matched after normalization
	maxRaw   int           // longest raw added token, in bytes

	pool sync.Pool // *state
}

// New returns a tokenizer over vocab. Added and template tokens given with
// id -1 (as in DefaultConfig) get their id from the vocabulary; it is an
// error if the unknown token or a template token has no id. Added tokens
// take ids below vocab.Size() + len(cfg.AddedTokens) (they extend the
// vocabulary, as in Hugging Face); template and padding ids must be ids of
// the vocabulary or of an added token (below [Tokenizer.Size]); padding
// lengths are at most [MaxPadding].
func New(vocab *Vocab, cfg Config) (*Tokenizer, error) {
	t, err := build(vocab, cfg)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	return t, nil
}

// build is New without the "tokenizer: " prefix on errors.
func build(vocab *Vocab, cfg Config) (*Tokenizer, error) {
	if vocab == nil || vocab.Size() == 0 {
		return nil, fmt.Errorf("empty vocabulary")
	}
	t := &Tokenizer{vocab: vocab, cont: map[string]int{}, added: map[int]AddedToken{}}
	cfg.AddedTokens = append([]AddedToken(nil), cfg.AddedTokens...)
	next := vocab.Size()
	addedIDs := map[string]int{}
	for i, a := range cfg.AddedTokens {
		if a.Content == "" {
			return nil, fmt.Errorf("added token %d has empty content", i)
		}
		if a.ID < 0 { // as in Hugging Face: the vocabulary's id, or a new one after it
			if id, ok := vocab.ID(a.Content); ok {
				cfg.AddedTokens[i].ID = id
			} else {
				cfg.AddedTokens[i].ID = next
				next++
			}
		}
		addedIDs[a.Content] = cfg.AddedTokens[i].ID
	}
	// Added tokens extend the vocabulary, each by at most one id; the
	// tokenizer's ids are 0..size-1 (Hugging Face's vocab size with added
	// tokens).
	size := vocab.Size()
	for _, a := range cfg.AddedTokens {
		if limit := vocab.Size() + len(cfg.AddedTokens); a.ID >= limit {
			return nil, fmt.Errorf("added token %q has id %d; added tokens take ids below %d (the vocabulary's %d, then one per added token)", a.Content, a.ID, limit, vocab.Size())
		}
		size = max(size, a.ID+1)
	}
	tmpl := cfg.Template.clone()
	tmpl.SpecialIDs = make(map[string][]int, len(cfg.Template.SpecialIDs))
	for tok, ids := range cfg.Template.SpecialIDs {
		resolved := append([]int(nil), ids...)
		for j, id := range resolved {
			if id < 0 {
				v, ok := addedIDs[tok]
				if !ok {
					v, ok = vocab.ID(tok)
				}
				if !ok {
					return nil, fmt.Errorf("template token %q is not in the vocabulary", tok)
				}
				resolved[j] = v
			}
			if resolved[j] >= size {
				return nil, fmt.Errorf("template token %q has id %d, outside the tokenizer's ids 0..%d", tok, resolved[j], size-1)
			}
		}
		tmpl.SpecialIDs[tok] = resolved
	}
	for _, pieces := range [][]TemplatePiece{tmpl.Single, tmpl.Pair} {
		for _, p := range pieces {
			if p.Special != "" {
				if _, ok := tmpl.SpecialIDs[p.Special]; !ok {
					return nil, fmt.Errorf("template uses %q but gives no id for it", p.Special)
				}
			} else if p.Sequence != 0 && p.Sequence != 1 {
				return nil, fmt.Errorf("template sequence %d, want 0 (A) or 1 (B)", p.Sequence)
			}
			if p.TypeID < 0 {
				return nil, fmt.Errorf("template type id %d, want >= 0", p.TypeID)
			}
		}
	}
	cfg.Template = tmpl
	if cfg.Truncation != nil {
		tr := *cfg.Truncation
		cfg.Truncation = &tr
		if tr.MaxLength <= 0 {
			return nil, fmt.Errorf("truncation max length %d, want > 0", tr.MaxLength)
		}
	}
	if cfg.Padding != nil {
		p := *cfg.Padding
		cfg.Padding = &p
		if p.Length < 0 || p.MultipleOf < 0 {
			return nil, fmt.Errorf("padding length %d, multiple %d: want >= 0", p.Length, p.MultipleOf)
		}
		if p.Length > MaxPadding || p.MultipleOf > MaxPadding {
			return nil, fmt.Errorf("padding length %d, multiple %d: more than MaxPadding (%d) tokens", p.Length, p.MultipleOf, MaxPadding)
		}
		if p.ID < 0 || p.ID >= size {
			return nil, fmt.Errorf("padding id %d is not an id of the tokenizer (0..%d)", p.ID, size-1)
		}
		if p.TypeID < 0 {
			return nil, fmt.Errorf("padding type id %d, want >= 0", p.TypeID)
		}
	}
	if cfg.MaxInputCharsPerWord <= 0 {
		return nil, fmt.Errorf("MaxInputCharsPerWord %d, want > 0", cfg.MaxInputCharsPerWord)
	}
	t.cfg = cfg
	unk, ok := vocab.ID(cfg.UnkToken) // WordPiece needs it in the vocabulary proper
	if !ok {
		return nil, fmt.Errorf("unknown token %q is not in the vocabulary", cfg.UnkToken)
	}
	t.unkID = unk
	for tok, id := range vocab.ids {
		t.maxLen = max(t.maxLen, len(tok))
		if cfg.ContinuingPrefix != "" && strings.HasPrefix(tok, cfg.ContinuingPrefix) {
			piece := tok[len(cfg.ContinuingPrefix):]
			if piece != "" {
				t.cont[piece] = id
				t.maxCnt = max(t.maxCnt, len(piece))
			}
		}
	}
	if cfg.ContinuingPrefix == "" { // continuation pieces are plain tokens
		t.cont = vocab.ids
		t.maxCnt = t.maxLen
	}
	var raw, norm []matchPattern
	for _, a := range cfg.AddedTokens {
		t.added[a.ID] = a
		if a.Normalized {
			if c := cfg.Normalizer.Normalize(a.Content); c != "" {
				norm = append(norm, matchPattern{c, a.ID})
			}
		} else {
			raw = append(raw, matchPattern{a.Content, a.ID})
		}
	}
	t.rawAdded, t.normAdded = newMatcher(raw), newMatcher(norm)
	t.size = size
	t.initCuts()
	t.pool.New = func() any { return new(state) }
	return t, nil
}

// Vocab returns the tokenizer's vocabulary.
func (t *Tokenizer) Vocab() *Vocab { return t.vocab }

// Size returns the number of ids the tokenizer may produce: every id is in
// 0..Size()-1. It is the vocabulary's size, or one more than the largest
// id of an added token after it, as Hugging Face's vocab size with added
// tokens.
func (t *Tokenizer) Size() int { return t.size }

// Config returns a copy of the tokenizer's configuration, with resolved ids.
// Change it and pass it to New to derive a differently configured tokenizer.
func (t *Tokenizer) Config() Config {
	c := t.cfg
	c.Template = c.Template.clone()
	c.AddedTokens = append([]AddedToken(nil), c.AddedTokens...)
	if c.Truncation != nil {
		tr := *c.Truncation
		c.Truncation = &tr
	}
	if c.Padding != nil {
		p := *c.Padding
		c.Padding = &p
	}
	return c
}

// WithTruncation returns a tokenizer like t that truncates as tr says (nil: never).
func (t *Tokenizer) WithTruncation(tr *Truncation) (*Tokenizer, error) {
	c := t.Config()
	c.Truncation = tr
	return New(t.vocab, c)
}

// WithPadding returns a tokenizer like t that pads as p says (nil: never).
func (t *Tokenizer) WithPadding(p *Padding) (*Tokenizer, error) {
	c := t.Config()
	c.Padding = p
	return New(t.vocab, c)
}
