package tokenizer

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
