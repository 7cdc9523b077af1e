package tokenizer

import (
	"cmp"
	"math"
	"strings"
	"unicode/utf8"
)

// Bounded tokenization.
//
// With truncation on, an encoding keeps at most MaxLength tokens, so
// tokenizing all of a 50 MB text first would cost gigabytes for nothing.
// Instead the text is tokenized in chunks, from the end that truncation
// keeps, until enough pieces are known. Chunks end at cut points, where
// tokenizing the whole text gives exactly the pieces of the part before
// the cut followed by those of the part after it:
//
//   - Normalization works character by character, without context, so the
//     normalized text of a part is the part of the normalized text.
//   - The cut follows a character whose normalized form ends in whitespace
//     or punctuation (or a CJK ideograph, which HandleChineseChars pads
//     with spaces), so no word spans it and the pre-tokenizer starts afresh
//     after it.
//   - No occurrence of a raw added token spans the cut, and no rune of the
//     character's normalized form occurs in an added token matched after
//     normalization, so no added token can span the cut: the
//     leftmost-longest matches before and after it are those of the whole
//     text.
//
// The tests check the equivalence on the golden corpus with chunks as
// small as one character.

// chunkBytes returns the size in bytes of the chunks in which a text is
// tokenized when need pieces are wanted: about eight bytes per piece, so
// that one chunk usually suffices. A variable so that tests can force tiny
// chunks.
var chunkBytes = func(need int) int { return 1024 + 8*min(need, 1<<24) }

// need returns how many pieces of each sequence encode must produce, and
// from which end, for truncation to give what it gives on all of them:
// maxLen+1 (one more than fit tells truncate that the sequence is too
// long), or -1 for all pieces (no truncation, or Hugging Face's rule that
// leaves sequences whole when the special tokens alone exceed MaxLength).
// For every strategy, truncate's result depends on each sequence's length
// only up to maxLen+1, and keeps pieces from the end Direction says.
func (t *Tokenizer) need(isPair bool) (int, Direction) {
	tr := t.cfg.Truncation
	if tr == nil {
		return -1, Right
	}
	maxLen := tr.MaxLength
	if t.cfg.AddSpecialTokens {
		n := t.cfg.Template.added(isPair)
		if n > maxLen {
			return -1, Right
		}
		maxLen -= n
	}
	if maxLen >= math.MaxInt32 { // longer than any text (maxText bytes)
		return -1, Right
	}
	return maxLen + 1, tr.Direction
}

// limits bound the pieces one tokenizeLim call keeps.
type limits struct {
	// stopAt > 0 stops tokenization, at a point after which the rest of
	// the text can be tokenized on its own, once dst holds stopAt pieces.
	stopAt int
	// keep > 0 keeps only the last keep pieces (or a few more) of
	// dst[from:], counting the others in dropped.
	keep, from int
	dropped    int
}

// done trims *dst as lim says and reports whether tokenization may stop.
func (lim *limits) done(dst *[]piece) bool {
	if lim == nil {
		return false
	}
	if n := len(*dst) - lim.from; lim.keep > 0 && n > 2*lim.keep+64 {
		d := *dst
		copy(d[lim.from:], d[len(d)-lim.keep:])
		*dst = d[:lim.from+lim.keep]
		lim.dropped += n - lim.keep
	}
	return lim.stopAt > 0 && len(*dst) >= lim.stopAt
}

// initCuts prepares cutAfter's tables; t.cfg and the matchers must be set.
func (t *Tokenizer) initCuts() {
	t.noCut = map[rune]bool{}
	t.maxRaw = 0
	for _, a := range t.cfg.AddedTokens {
		if a.Normalized {
			for _, r := range t.cfg.Normalizer.Normalize(a.Content) {
				t.noCut[r] = true
			}
		} else {
			t.maxRaw = max(t.maxRaw, len(a.Content))
		}
	}
	var nb normBuf
	for r := rune(0); r < utf8.RuneSelf; r++ {
		t.cutASCII[r] = t.cutAfterSlow(&nb, r)
	}
}

// cutAfter reports whether a chunk may end after the character r, as far
// as r goes (cutAt also checks the raw added tokens around the cut).
func (t *Tokenizer) cutAfter(nb *normBuf, r rune) bool {
	if r < utf8.RuneSelf {
		return t.cutASCII[r]
	}
	return t.cutAfterSlow(nb, r)
}

func (t *Tokenizer) cutAfterSlow(nb *normBuf, r rune) bool {
	nb.reset()
	var buf [utf8.UTFMax]byte
	t.cfg.Normalizer.append(nb, string(utf8.AppendRune(buf[:0], r)), 0)
	if len(nb.b) == 0 {
		return false // removed: the characters around it may join
	}
	last := rune(0)
	for _, c := range string(nb.b) {
		if t.noCut[c] {
			return false // it may be part of an added token matched after normalization
		}
		last = c
	}
	return splits(last)
}

// cutAt reports whether text may be cut at p, after a character for which
// cutAfter holds: no occurrence of a raw added token spans p.
func (t *Tokenizer) cutAt(text string, p int) bool {
	for s := max(0, p-t.maxRaw+1); s < p; s++ {
		for _, pat := range t.rawAdded.byFirst[text[s]] {
			if s+len(pat.s) > p && strings.HasPrefix(text[s:], pat.s) {
				return false
			}
		}
	}
	return true
}

// splits reports whether the pre-tokenizer ends a word at the normalized
// character r (whitespace, which it drops, or punctuation, which becomes a
// word of its own); it follows preTokenize.
func splits(r rune) bool {
	space, punct := classify(r)
	return space || punct
}

// classify says whether the pre-tokenizer treats the normalized character r
// as whitespace or punctuation, exactly as preTokenize does.
func classify(r rune) (space, punct bool) {
	if r < utf8.RuneSelf {
		cl := asciiClass[r]
		return cl&classSpace != 0 || cl&classRemoved != 0 && (r == '\v' || r == '\f'), cl&classPunct != 0
	}
	space = isWhitespace(r)
	return space, !space && isPunct(r)
}

// nextCut returns the first cut point at or after q (from ≤ q−1 < len(text),
// q−1 a byte of a character that starts at or after from): the end of the
// first cut character ending at q or later, or len(text).
func (t *Tokenizer) nextCut(nb *normBuf, text string, from, q int) int {
	i := q - 1
	for i > from && !utf8.RuneStart(text[i]) {
		i--
	}
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		if t.cutAfter(nb, r) && t.cutAt(text, i) {
			return i
		}
	}
	return len(text)
}

// prevCut returns the last cut point at or before q (> 0), or 0.
func (t *Tokenizer) prevCut(nb *normBuf, text string, q int) int {
	for j := q - 1; j >= 0; j-- {
		// A byte that is not a continuation byte starts a character of the
		// text as it is decoded from the start, invalid UTF-8 included.
		if !utf8.RuneStart(text[j]) {
			continue
		}
		r, size := rune(text[j]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[j:])
		}
		if j+size <= q && t.cutAfter(nb, r) && t.cutAt(text, j+size) {
			return j + size
		}
	}
	return 0
}

// tokenizeBounded appends the pieces of text to dst; with need ≥ 0, only
// at least need pieces from the start (dir Right) or the end (Left) of the
// text, or all when it has fewer. Those are exactly the pieces that
// tokenizing the whole text gives at that end, but work and memory are
// bounded by the need, not by the text's length. rest is the part of the
// text left untokenized (its end for Right, its start for Left; "" when
// all of it was tokenized), and dropped counts the pieces of the tokenized
// part that were not kept (Left only). Texts are cut at maxText bytes.
func (t *Tokenizer) tokenizeBounded(st *state, text string, dst []piece, need int, dir Direction) (pieces []piece, rest string, dropped int) {
	if len(text) > maxText {
		text = text[:maxText]
	}
	if need < 0 {
		return t.tokenize(st, text, 0, dst), "", 0
	}
	size := max(1, chunkBytes(need))
	var cutBuf normBuf
	n0 := len(dst)
	if dir == Right {
		lim := &limits{stopAt: n0 + need}
		pos := 0
		for pos < len(text) && len(dst) < lim.stopAt {
			end := len(text)
			if len(text)-pos > size {
				end = t.nextCut(&cutBuf, text, pos, pos+size)
			}
			var stop int
			dst, stop = t.tokenizeLim(st, text[pos:end], pos, dst, lim)
			pos += stop
		}
		return dst, text[pos:], 0
	}
	// From the end: chunks are tokenized last first into one buffer, each
	// chunk's pieces in order (only the last need of a long chunk), and the
	// chunks put back in order at the end.
	var chunks []int // start index in buf of each chunk's pieces
	buf := st.b2[:0]
	end := len(text)
	lim := &limits{keep: need}
	for end > 0 && len(buf) < need {
		start := 0
		if end > size {
			start = t.prevCut(&cutBuf, text, end-size)
		}
		chunks = append(chunks, len(buf))
		lim.from = len(buf)
		buf, _ = t.tokenizeLim(st, text[start:end], start, buf, lim)
		lim.done(&buf)
		end = start
	}
	for c := len(chunks) - 1; c >= 0; c-- {
		hi := len(buf)
		if c+1 < len(chunks) {
			hi = chunks[c+1]
		}
		dst = append(dst, buf[chunks[c]:hi]...)
	}
	st.b2 = buf[:0]
	return dst, text[:end], lim.dropped
}

// compareLengths compares the number of pieces of two texts, of which na
// and nb pieces are known and the parts restA and restB (texts between
// cut points) are not tokenized yet: it returns −1, 0 or 1 as the first
// text has fewer, as many or more pieces. It tokenizes the rests in
// chunks of chunkBytes(need), counting and dropping the pieces, always
// advancing the text counted less so far, so that it stops once the
// shorter text is counted: memory stays bounded by the chunk size, and
// the work by the shorter text.
func (t *Tokenizer) compareLengths(st *state, na int, restA string, nb int, restB string, need int) int {
	size := max(1, chunkBytes(need))
	var cutBuf normBuf
	buf := st.b2[:0]
	count := func(rest string) (int, string) {
		end := len(rest)
		if end > size {
			end = t.nextCut(&cutBuf, rest, 0, size)
		}
		lim := &limits{keep: 1}
		buf, _ = t.tokenizeLim(st, rest[:end], 0, buf[:0], lim)
		return len(buf) + lim.dropped, rest[end:]
	}
	for restA != "" || restB != "" {
		var n int
		switch {
		case restA == "" && nb > na, restB == "" && na > nb:
			restA, restB = "", "" // the longer one is known
		case restB == "" || restA != "" && na <= nb:
			n, restA = count(restA)
			na += n
		default:
			n, restB = count(restB)
			nb += n
		}
	}
	st.b2 = buf[:0]
	return cmp.Compare(na, nb)
}

// tokenizeStream is tokenizeSegment for a long segment when no added token
// is matched in normalized text: it normalizes, pre-tokenizes and splits
// words in one pass, character by character, so that memory holds one word
// at most, and a word longer than MaxInputCharsPerWord characters (which
// becomes UnkToken whatever follows) only its ends. It gives what
// tokenizeSegment's buffered path gives (the tests compare them), and
// stops as lim says after a whitespace or punctuation character, where the
// rest of the segment can be tokenized on its own.
func (t *Tokenizer) tokenizeStream(st *state, seg string, base int, dst []piece, lim *limits) ([]piece, int) {
	nb := &st.nb
	nb.reset()
	ws := -1   // start in nb.b of the open word
	runes := 0 // its characters
	long := false
	var longStart, longEnd int32 // offsets of a long word
	finish := func(dst []piece, we int) []piece {
		switch {
		case long:
			dst = append(dst, piece{t.unkID, longStart, longEnd})
		case ws >= 0:
			dst = t.wordPiece(nb, ws, we, dst)
		}
		ws, runes, long = -1, 0, false
		return dst
	}
	for i := 0; i < len(seg); {
		size := 1
		if seg[i] >= utf8.RuneSelf {
			_, size = utf8.DecodeRuneInString(seg[i:])
		}
		k := len(nb.b)
		t.cfg.Normalizer.append(nb, seg[i:i+size], base+i)
		i += size
		split := false
		for j := k; j < len(nb.b); {
			r, sz := rune(nb.b[j]), 1
			if r >= utf8.RuneSelf {
				r, sz = utf8.DecodeRune(nb.b[j:])
			}
			space, punct := classify(r)
			switch {
			case space || punct:
				dst = finish(dst, j)
				if punct {
					dst = t.wordPiece(nb, j, j+sz, dst)
				}
				split = true
			case long:
				longEnd = nb.end[j]
			default:
				if ws < 0 {
					ws = j
				}
				if runes++; runes > t.cfg.MaxInputCharsPerWord {
					long, longStart, longEnd = true, nb.start[ws], nb.end[j]
				}
			}
			j += sz
		}
		if ws < 0 || long {
			nb.reset() // nothing in it is needed any more
		}
		if split && ws < 0 && !long && lim.done(&dst) && i < len(seg) {
			return dst, i
		}
	}
	return finish(dst, len(nb.b)), len(seg)
}
