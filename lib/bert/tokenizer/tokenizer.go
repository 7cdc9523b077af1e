package tokenizer

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// AddedToken is a token matched in the text before WordPiece runs, such as
// the special tokens [CLS], [SEP], [PAD], [UNK] and [MASK]: wherever its
// content occurs in the input it becomes this one token.
type AddedToken struct {
	ID      int
	Content string
	// Special tokens are dropped by Decode when it skips special tokens.
	Special bool
	// Normalized tokens are matched in the normalized text (and their
	// content is normalized first); others are matched in the raw input.
	Normalized bool
}

// TemplatePiece is one element of a post-processing template: either a
// special token (Special non-empty) or one of the input sequences
// (Sequence 0 for the first text, 1 for the pair).
type TemplatePiece struct {
	Special  string
	Sequence int
	TypeID   int
}

// Template says how the post-processor wraps the token sequences, e.g.
// [CLS] A [SEP] for one text and [CLS] A [SEP] B [SEP] for a pair.
type Template struct {
	Single []TemplatePiece
	Pair   []TemplatePiece
	// SpecialIDs maps each special token of the template to its id(s).
	SpecialIDs map[string][]int
}

// BertTemplate returns BERT's template: [CLS] A [SEP] and
// [CLS] A [SEP] B [SEP], with type id 1 for B and its [SEP].
func BertTemplate(cls string, clsID int, sep string, sepID int) Template {
	return Template{
		Single: []TemplatePiece{{Special: cls}, {Sequence: 0}, {Special: sep}},
		Pair: []TemplatePiece{{Special: cls}, {Sequence: 0}, {Special: sep},
			{Sequence: 1, TypeID: 1}, {Special: sep, TypeID: 1}},
		SpecialIDs: map[string][]int{cls: {clsID}, sep: {sepID}},
	}
}

// clone returns a deep copy of t.
func (t Template) clone() Template {
	c := Template{
		Single:     append([]TemplatePiece(nil), t.Single...),
		Pair:       append([]TemplatePiece(nil), t.Pair...),
		SpecialIDs: make(map[string][]int, len(t.SpecialIDs)),
	}
	for k, v := range t.SpecialIDs {
		c.SpecialIDs[k] = append([]int(nil), v...)
	}
	return c
}

func (t Template) added(pair bool) int {
	pieces := t.Single
	if pair {
		pieces = t.Pair
	}
	n := 0
	for _, p := range pieces {
		if p.Special != "" {
			n += len(t.SpecialIDs[p.Special])
		}
	}
	return n
}

// Direction says which end of a sequence truncation cuts or padding fills.
type Direction int

// Directions.
const (
	Right Direction = iota
	Left
)

// String returns "Right" or "Left".
func (d Direction) String() string {
	if d == Left {
		return "Left"
	}
	return "Right"
}

// TruncationStrategy says which sequence of a pair loses tokens.
type TruncationStrategy int

// Truncation strategies, as in Hugging Face tokenizers.
const (
	// LongestFirst shortens the longer sequence until both fit (when both
	// must be cut, the limit is shared half and half).
	LongestFirst TruncationStrategy = iota
	// OnlyFirst cuts only the first sequence.
	OnlyFirst
	// OnlySecond cuts only the second sequence of a pair.
	OnlySecond
)

// String returns the strategy's name in tokenizer.json spelling.
func (s TruncationStrategy) String() string {
	switch s {
	case OnlyFirst:
		return "OnlyFirst"
	case OnlySecond:
		return "OnlySecond"
	}
	return "LongestFirst"
}

// Truncation limits the length of encodings. MaxLength counts the special
// tokens the template adds. As in Hugging Face tokenizers, a MaxLength
// smaller than the number of special tokens truncates nothing, and one equal
// to it keeps only the special tokens.
type Truncation struct {
	MaxLength int
	Strategy  TruncationStrategy
	Direction Direction
}

// Padding fills encodings up to a length with a padding token whose
// attention mask is 0. Length 0 pads each batch to its longest encoding;
// a positive Length pads to that length (longer encodings are left as they
// are). MultipleOf, when positive, rounds the target length up to a multiple.
// Length and MultipleOf are at most [MaxPadding], and ID must be an id of
// the tokenizer (see [Tokenizer.Size]).
type Padding struct {
	Length     int
	MultipleOf int
	Direction  Direction
	ID         int
	TypeID     int
	Token      string
}

// MaxPadding bounds Padding.Length and Padding.MultipleOf: 65,536 tokens,
// 128 times BERT's 512 and 8 times the longest context of the BERT family,
// so that a fixed padding read from a file (say {"Fixed": 2000000000})
// is an error when the tokenizer is made rather than an allocation of
// gigabytes for every encoding.
const MaxPadding = 1 << 16

// Config is everything a Tokenizer does, apart from its vocabulary.
type Config struct {
	Normalizer Normalizer
	// UnkToken replaces a word WordPiece cannot split into vocabulary pieces.
	UnkToken string
	// ContinuingPrefix marks pieces that continue a word ("##").
	ContinuingPrefix string
	// MaxInputCharsPerWord: longer words (counted in characters after
	// normalization) become UnkToken (100 in BERT).
	MaxInputCharsPerWord int
	// AddedTokens are matched in the text before normalization or WordPiece.
	AddedTokens []AddedToken
	// Template adds the special tokens; AddSpecialTokens false skips it.
	Template         Template
	AddSpecialTokens bool
	// Truncation and Padding are nil for none.
	Truncation *Truncation
	Padding    *Padding
	// DecodeCleanup removes the spaces WordPiece decoding leaves before
	// punctuation and in English contractions (" ." → ".", " n't" → "n't").
	DecodeCleanup bool
}

// DefaultConfig returns the configuration of Hugging Face's BertTokenizer
// for a vocabulary with the usual special tokens: BertNormalizer(lowercase),
// [UNK], "##", 100 characters per word, [CLS] A [SEP] ([SEP] B [SEP]),
// no truncation and no padding. Ids are -1: New looks them up in the
// vocabulary (an added token missing from it gets the next free id, as
// Hugging Face does).
func DefaultConfig(lowercase bool) Config {
	return Config{
		Normalizer:           BertNormalizer(lowercase),
		UnkToken:             "[UNK]",
		ContinuingPrefix:     "##",
		MaxInputCharsPerWord: 100,
		AddedTokens: []AddedToken{
			// In transformers' order, which decides the ids of tokens missing
			// from the vocabulary.
			{ID: -1, Content: "[UNK]", Special: true}, {ID: -1, Content: "[SEP]", Special: true},
			{ID: -1, Content: "[PAD]", Special: true}, {ID: -1, Content: "[CLS]", Special: true},
			{ID: -1, Content: "[MASK]", Special: true},
		},
		Template:         BertTemplate("[CLS]", -1, "[SEP]", -1),
		AddSpecialTokens: true,
		DecodeCleanup:    true,
	}
}

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

// Offset is a half-open range [Start, End) of byte positions in the input.
type Offset struct{ Start, End int }

// Encoding is a tokenized text (or pair of texts), ready for a BERT model.
// All slices have the same length, one element per token.
type Encoding struct {
	IDs    []int
	Tokens []string
	// TypeIDs are the segment ids: 0 for the first text, 1 for the pair.
	TypeIDs []int
	// Offsets are the byte ranges of each token in the text it came from
	// (see SequenceIDs); {0, 0} for special and padding tokens. Several
	// tokens share a range when one input character became several
	// (e.g. a Hangul syllable decomposed into jamo).
	Offsets []Offset
	// SequenceIDs say which input each token came from: 0 or 1, or -1 for
	// tokens added by the template and padding.
	SequenceIDs []int
	// AttentionMask is 1 for real tokens and 0 for padding.
	AttentionMask []int
	// SpecialTokensMask is 1 for tokens added by the template and padding.
	SpecialTokensMask []int
}

// Len returns the number of tokens.
func (e *Encoding) Len() int { return len(e.IDs) }

// RuneOffsets converts Offsets from bytes to characters (Unicode code
// points), the unit Python uses; text and pair must be the inputs that were
// encoded.
func (e *Encoding) RuneOffsets(text, pair string) []Offset {
	out := make([]Offset, len(e.Offsets))
	var idx [2][]int
	for i, o := range e.Offsets {
		seq := e.SequenceIDs[i]
		if seq < 0 {
			continue
		}
		if idx[seq] == nil {
			s := text
			if seq == 1 {
				s = pair
			}
			idx[seq] = runeIndex(s)
		}
		out[i] = Offset{idx[seq][o.Start], idx[seq][o.End]}
	}
	return out
}

// runeIndex maps every byte position of s (and len(s)) to the number of
// code points before it.
func runeIndex(s string) []int {
	idx := make([]int, len(s)+1)
	n := 0
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		for j := 0; j < size; j++ {
			idx[i+j] = n
		}
		i += size
		n++
	}
	idx[len(s)] = n
	return idx
}

// piece is a token before post-processing.
type piece struct {
	id         int
	start, end int32
}

// state is per-call scratch space, recycled through a sync.Pool.
type state struct {
	nb   normBuf
	a, b []piece
	b2   []piece // tokenizeBounded's chunks from the end
}

// Tokenize returns the WordPiece tokens of text, without special tokens,
// truncation or padding.
func (t *Tokenizer) Tokenize(text string) []string {
	st := t.pool.Get().(*state)
	defer t.pool.Put(st)
	st.a, _, _ = t.tokenizeBounded(st, text, st.a[:0], -1, Right)
	out := make([]string, len(st.a))
	for i, p := range st.a {
		out[i] = t.tokenString(p.id)
	}
	return out
}

func (t *Tokenizer) tokenString(id int) string {
	if a, ok := t.added[id]; ok {
		return a.Content
	}
	if id >= 0 && id < len(t.vocab.tokens) {
		return t.vocab.tokens[id]
	}
	return ""
}

// maxText is the longest text tokenized: offsets are int32, and 2 GiB
// texts are not sentences.
const maxText = 1<<31 - 1

// tokenize appends the pieces of text to dst; base is the offset of text in
// the input (offsets are relative to the input, which is at most maxText
// bytes).
func (t *Tokenizer) tokenize(st *state, text string, base int, dst []piece) []piece {
	dst, _ = t.tokenizeLim(st, text, base, dst, nil)
	return dst
}

// tokenizeLim is tokenize within the limits lim (nil: none; see limits). It
// returns where in text it stopped: len(text), or a point after which text
// can be tokenized on its own (see bounded.go).
func (t *Tokenizer) tokenizeLim(st *state, text string, base int, dst []piece, lim *limits) ([]piece, int) {
	pos := 0
	for pos < len(text) {
		ms, me, id := t.rawAdded.find(text, pos)
		if ms < 0 {
			ms, me = len(text), len(text)
		}
		if ms > pos {
			var stop int
			dst, stop = t.tokenizeSegment(st, text[pos:ms], base+pos, dst, lim)
			if stop < ms-pos {
				return dst, pos + stop
			}
		}
		if me > ms {
			dst = append(dst, piece{id, int32(base + ms), int32(base + me)})
		}
		pos = me
		if lim.done(&dst) && pos < len(text) {
			return dst, pos
		}
		if ms == len(text) {
			break
		}
	}
	return dst, len(text)
}

// streamBytes is the segment length from which tokenizeSegment streams
// (a variable so that tests can stream every segment).
var streamBytes = 1 << 16

// tokenizeSegment normalizes, pre-tokenizes and WordPiece-splits a segment
// of the input free of raw added tokens; base is its offset in the input.
// Segments longer than streamBytes are streamed (see tokenizeStream) when
// no added token is matched in normalized text. It returns where it
// stopped, as tokenizeLim.
func (t *Tokenizer) tokenizeSegment(st *state, seg string, base int, dst []piece, lim *limits) ([]piece, int) {
	nb := &st.nb
	nb.reset()
	if t.normAdded.empty() {
		if len(seg) > streamBytes {
			return t.tokenizeStream(st, seg, base, dst, lim)
		}
		t.cfg.Normalizer.append(nb, seg, base)
		return t.preTokenize(nb, 0, len(nb.b), dst), len(seg)
	}
	t.cfg.Normalizer.append(nb, seg, base)
	s := string(nb.b)
	pos := 0
	for pos < len(s) {
		ms, me, id := t.normAdded.find(s, pos)
		if ms < 0 {
			ms, me = len(s), len(s)
		}
		if ms > pos {
			dst = t.preTokenize(nb, pos, ms, dst)
		}
		if me > ms {
			dst = append(dst, piece{id, nb.start[ms], nb.end[me-1]})
		}
		pos = me
	}
	return dst, len(seg)
}

// preTokenize splits nb.b[from:to] on whitespace and punctuation (BERT's
// pre-tokenizer) and runs WordPiece on each word.
func (t *Tokenizer) preTokenize(nb *normBuf, from, to int, dst []piece) []piece {
	b := nb.b
	ws := -1 // start of the current word
	for i := from; i < to; {
		c := b[i]
		size := 1
		var space, punct bool
		if c < utf8.RuneSelf {
			cl := asciiClass[c]
			space = cl&classSpace != 0 || cl&classRemoved != 0 && (c == '\v' || c == '\f')
			punct = cl&classPunct != 0
		} else {
			var r rune
			r, size = utf8.DecodeRune(b[i:])
			space = isWhitespace(r)
			punct = !space && isPunct(r)
		}
		if space || punct {
			if ws >= 0 {
				dst = t.wordPiece(nb, ws, i, dst)
				ws = -1
			}
			if punct {
				dst = t.wordPiece(nb, i, i+size, dst)
			}
		} else if ws < 0 {
			ws = i
		}
		i += size
	}
	if ws >= 0 {
		dst = t.wordPiece(nb, ws, to, dst)
	}
	return dst
}

// wordPiece splits the word nb.b[ws:we] greedily into the longest
// vocabulary pieces, left to right; if some part has no piece, or the word
// is longer than MaxInputCharsPerWord characters, the word becomes UnkToken.
func (t *Tokenizer) wordPiece(nb *normBuf, ws, we int, dst []piece) []piece {
	b := nb.b
	if we-ws > t.cfg.MaxInputCharsPerWord && utf8.RuneCount(b[ws:we]) > t.cfg.MaxInputCharsPerWord {
		return append(dst, piece{t.unkID, nb.start[ws], nb.end[we-1]})
	}
	n0 := len(dst)
	for start := ws; start < we; {
		m, limit := t.vocab.ids, t.maxLen
		if start > ws {
			m, limit = t.cont, t.maxCnt
		}
		end := min(we, start+limit)
		for end < we && !utf8.RuneStart(b[end]) {
			end--
		}
		id := -1
		for end > start {
			if v, ok := m[string(b[start:end])]; ok {
				id = v
				break
			}
			end--
			for end > start && !utf8.RuneStart(b[end]) {
				end--
			}
		}
		if id < 0 {
			return append(dst[:n0], piece{t.unkID, nb.start[ws], nb.end[we-1]})
		}
		dst = append(dst, piece{id, nb.start[start], nb.end[end-1]})
		start = end
	}
	return dst
}

// Encode tokenizes text and adds special tokens, truncation and padding as
// configured. It fails only when the truncation settings cannot be met.
// With truncation, only as much of text is tokenized as the kept tokens
// need; invalid UTF-8 bytes are read as U+FFFD (see the package doc).
func (t *Tokenizer) Encode(text string) (Encoding, error) {
	return t.encode(text, "", false, true)
}

// EncodePair tokenizes a pair of texts (for example a question and a
// passage) into one encoding, with type id 1 for the second.
func (t *Tokenizer) EncodePair(text, pair string) (Encoding, error) {
	return t.encode(text, pair, true, true)
}

func (t *Tokenizer) encode(text, pair string, isPair, pad bool) (Encoding, error) {
	st := t.pool.Get().(*state)
	defer t.pool.Put(st)
	need, dir := t.need(isPair)
	var restA, restB string
	var dropA, dropB int
	st.a, restA, dropA = t.tokenizeBounded(st, text, st.a[:0], need, dir)
	st.b = st.b[:0]
	if isPair {
		st.b, restB, dropB = t.tokenizeBounded(st, pair, st.b, need, dir)
	}
	longer := cmp.Compare(len(st.a)+dropA, len(st.b)+dropB)
	if isPair && (restA != "" || restB != "") && t.cfg.Truncation.Strategy == LongestFirst {
		// Which sequence is longer decides which one keeps an odd token.
		longer = t.compareLengths(st, len(st.a)+dropA, restA, len(st.b)+dropB, restB, need)
	}
	a, b, err := t.truncate(st.a, st.b, isPair, longer)
	if err != nil {
		return Encoding{}, err
	}
	enc := t.postProcess(a, b, isPair)
	if pad && t.cfg.Padding != nil {
		t.pad(&enc, t.cfg.Padding.Length)
	}
	return enc, nil
}

// truncate applies the Truncation settings to the two piece lists. longer
// compares the lengths of the two whole sequences (−1, 0 or 1), which a
// and b may hold only in part (see need).
func (t *Tokenizer) truncate(a, b []piece, isPair bool, longer int) ([]piece, []piece, error) {
	tr := t.cfg.Truncation
	if tr == nil {
		return a, b, nil
	}
	maxLen := tr.MaxLength
	if t.cfg.AddSpecialTokens {
		n := t.cfg.Template.added(isPair)
		if n > maxLen {
			// Hugging Face leaves the sequences whole in this case.
			return a, b, nil
		}
		maxLen -= n
	}
	if maxLen == 0 { // only the special tokens fit, whatever the strategy
		return a[:0], b[:0], nil
	}
	total := len(a) + len(b)
	if total <= maxLen {
		return a, b, nil
	}
	toRemove := total - maxLen
	// Sequences may have been tokenized only up to maxLen+1 pieces (see
	// need), so errors say "more than maxLen" rather than a count.
	count := func(n int) string {
		if n > maxLen {
			return fmt.Sprintf("more than %d", maxLen)
		}
		return strconv.Itoa(n)
	}
	cut := func(p []piece, n int) []piece {
		if tr.Direction == Left {
			return p[len(p)-n:]
		}
		return p[:n]
	}
	switch tr.Strategy {
	case LongestFirst:
		if !isPair {
			return cut(a, maxLen), b, nil
		}
		n1, n2 := len(a), len(b)
		swap := longer > 0 // n1 > n2 for the whole sequences
		if swap {
			n1, n2 = n2, n1
		}
		if n1 > maxLen {
			n2 = n1
		} else {
			n2 = max(n1, maxLen-n1)
		}
		if n1+n2 > maxLen {
			n1 = maxLen / 2
			n2 = n1 + maxLen%2
		}
		if swap {
			n1, n2 = n2, n1
		}
		return cut(a, min(n1, len(a))), cut(b, min(n2, len(b))), nil
	case OnlyFirst:
		if len(a) > toRemove {
			return cut(a, len(a)-toRemove), b, nil
		}
		return nil, nil, fmt.Errorf("tokenizer: truncation OnlyFirst: the second sequence has %s tokens and at most %d tokens of text fit: cutting the first sequence cannot make the pair fit", count(len(b)), maxLen)
	case OnlySecond:
		if !isPair {
			return nil, nil, fmt.Errorf("tokenizer: truncation OnlySecond needs a pair of texts")
		}
		if len(b) > toRemove {
			return a, cut(b, len(b)-toRemove), nil
		}
		return nil, nil, fmt.Errorf("tokenizer: truncation OnlySecond: the first sequence has %s tokens and at most %d tokens of text fit: cutting the second sequence cannot make the pair fit", count(len(a)), maxLen)
	}
	return nil, nil, fmt.Errorf("tokenizer: unknown truncation strategy %d", tr.Strategy)
}

// postProcess builds the encoding from the template.
func (t *Tokenizer) postProcess(a, b []piece, isPair bool) Encoding {
	var pieces []TemplatePiece
	n := len(a) + len(b)
	if t.cfg.AddSpecialTokens {
		pieces = t.cfg.Template.Single
		if isPair {
			pieces = t.cfg.Template.Pair
		}
		n += t.cfg.Template.added(isPair)
	} else if isPair {
		pieces = []TemplatePiece{{Sequence: 0}, {Sequence: 1, TypeID: 1}}
	} else {
		pieces = []TemplatePiece{{Sequence: 0}}
	}
	ints := make([]int, 5*n)
	enc := Encoding{
		IDs:               ints[0*n : 0*n : 1*n],
		TypeIDs:           ints[1*n : 1*n : 2*n],
		SequenceIDs:       ints[2*n : 2*n : 3*n],
		AttentionMask:     ints[3*n : 3*n : 4*n],
		SpecialTokensMask: ints[4*n : 4*n : 5*n],
		Tokens:            make([]string, 0, n),
		Offsets:           make([]Offset, 0, n),
	}
	for _, p := range pieces {
		if p.Special != "" {
			for _, id := range t.cfg.Template.SpecialIDs[p.Special] {
				enc.add(id, p.Special, p.TypeID, Offset{}, -1, 1)
			}
			continue
		}
		seq := a
		if p.Sequence == 1 {
			seq = b
		}
		for _, pc := range seq {
			enc.add(pc.id, t.tokenString(pc.id), p.TypeID, Offset{int(pc.start), int(pc.end)}, p.Sequence, 0)
		}
	}
	return enc
}

func (e *Encoding) add(id int, tok string, typeID int, off Offset, seq, special int) {
	e.IDs = append(e.IDs, id)
	e.Tokens = append(e.Tokens, tok)
	e.TypeIDs = append(e.TypeIDs, typeID)
	e.Offsets = append(e.Offsets, off)
	e.SequenceIDs = append(e.SequenceIDs, seq)
	e.AttentionMask = append(e.AttentionMask, 1)
	e.SpecialTokensMask = append(e.SpecialTokensMask, special)
}

// pad pads enc to length (rounded up to Padding.MultipleOf); it never shortens.
func (t *Tokenizer) pad(enc *Encoding, length int) {
	p := t.cfg.Padding
	if length == 0 {
		length = enc.Len()
	}
	if p.MultipleOf > 0 && length%p.MultipleOf != 0 {
		length += p.MultipleOf - length%p.MultipleOf
	}
	k := length - enc.Len()
	if k <= 0 {
		return
	}
	padInts := func(s []int, v int) []int {
		fill := make([]int, k)
		for i := range fill {
			fill[i] = v
		}
		if p.Direction == Left {
			return append(fill, s...)
		}
		return append(s, fill...)
	}
	enc.IDs = padInts(enc.IDs, p.ID)
	enc.TypeIDs = padInts(enc.TypeIDs, p.TypeID)
	enc.SequenceIDs = padInts(enc.SequenceIDs, -1)
	enc.AttentionMask = padInts(enc.AttentionMask, 0)
	enc.SpecialTokensMask = padInts(enc.SpecialTokensMask, 1)
	toks := make([]string, k)
	for i := range toks {
		toks[i] = p.Token
	}
	offs := make([]Offset, k)
	if p.Direction == Left {
		enc.Tokens = append(toks, enc.Tokens...)
		enc.Offsets = append(offs, enc.Offsets...)
	} else {
		enc.Tokens = append(enc.Tokens, toks...)
		enc.Offsets = append(enc.Offsets, offs...)
	}
}

// EncodeBatch encodes texts in parallel (one goroutine per CPU) and pads
// them together: with Padding.Length 0, to the longest encoding of the batch.
// It stops early when ctx is cancelled.
func (t *Tokenizer) EncodeBatch(ctx context.Context, texts []string) ([]Encoding, error) {
	return t.encodeBatch(ctx, len(texts), func(i int) (Encoding, error) {
		return t.encode(texts[i], "", false, false)
	})
}

// EncodePairBatch is EncodeBatch for pairs of texts.
func (t *Tokenizer) EncodePairBatch(ctx context.Context, pairs [][2]string) ([]Encoding, error) {
	return t.encodeBatch(ctx, len(pairs), func(i int) (Encoding, error) {
		return t.encode(pairs[i][0], pairs[i][1], true, false)
	})
}

func (t *Tokenizer) encodeBatch(ctx context.Context, n int, enc func(int) (Encoding, error)) ([]Encoding, error) {
	out := make([]Encoding, n)
	errs := make([]error, n)
	workers := min(runtime.GOMAXPROCS(0), max(1, n/16))
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next += 16
				mu.Unlock()
				if i >= n || ctx.Err() != nil {
					return
				}
				for j := i; j < min(i+16, n); j++ {
					out[j], errs[j] = enc(j)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("tokenizer: encode batch: %w", err)
	}
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("tokenizer: batch item %d: %w", i, err)
		}
	}
	if p := t.cfg.Padding; p != nil {
		length := p.Length
		if length == 0 {
			for i := range out {
				length = max(length, out[i].Len())
			}
		}
		for i := range out {
			t.pad(&out[i], length)
		}
	}
	return out, nil
}
