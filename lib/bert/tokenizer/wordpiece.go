package tokenizer

import "unicode/utf8"

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
