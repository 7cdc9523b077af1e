package tokenizer

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
)

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
