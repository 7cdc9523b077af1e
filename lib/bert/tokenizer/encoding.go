package tokenizer

import "unicode/utf8"

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
