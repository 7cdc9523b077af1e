package tokenizer

import "unicode/utf8"

// Normalizer is BERT's text normalizer, Hugging Face's BertNormalizer. The
// steps run in this order, character by character:
//
//  1. CleanText removes NUL, U+FFFD and control and format characters
//     (Unicode categories Cc, Cf, Co, Cs, except tab, newline and carriage
//     return) and turns every whitespace character into a space.
//  2. HandleChineseChars puts spaces around CJK ideographs, so that each
//     becomes a word of its own.
//  3. StripAccents decomposes characters (Unicode NFD) and drops the
//     nonspacing marks (category Mn): "é" becomes "e", "한" becomes three jamo.
//  4. Lowercase maps each character to its full lowercase ("İ" becomes
//     "i" followed by U+0307).
//
// Invalid UTF-8 bytes are read as U+FFFD, so CleanText removes them.
type Normalizer struct {
	CleanText          bool
	HandleChineseChars bool
	StripAccents       bool
	Lowercase          bool
}

// BertNormalizer returns the normalizer of the original BERT models: clean
// text, split CJK characters, and lowercase and strip accents for uncased
// models (lowercase true) or neither for cased ones.
func BertNormalizer(lowercase bool) Normalizer {
	return Normalizer{CleanText: true, HandleChineseChars: true, StripAccents: lowercase, Lowercase: lowercase}
}

// Normalize returns the normalized form of s.
func (n Normalizer) Normalize(s string) string {
	var nb normBuf
	n.append(&nb, s, 0)
	return string(nb.b)
}

// normBuf is normalized text with, for each of its bytes, the span of the
// original character it came from (byte offsets into the input).
type normBuf struct {
	b          []byte
	start, end []int32
	runes      []rune // scratch
}

func (nb *normBuf) reset() {
	nb.b, nb.start, nb.end = nb.b[:0], nb.start[:0], nb.end[:0]
}

func (nb *normBuf) emit(r rune, s, e int32) {
	if r < utf8.RuneSelf {
		nb.b = append(nb.b, byte(r))
		nb.start = append(nb.start, s)
		nb.end = append(nb.end, e)
		return
	}
	nb.b = utf8.AppendRune(nb.b, r)
	for len(nb.start) < len(nb.b) {
		nb.start = append(nb.start, s)
		nb.end = append(nb.end, e)
	}
}

// append normalizes text, whose first byte is at offset base in the original
// input, onto nb.
func (n Normalizer) append(nb *normBuf, text string, base int) {
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		s, e := int32(base+i), int32(base+i+size)
		i += size
		if r < utf8.RuneSelf { // ASCII fast path
			c := asciiClass[r]
			if n.CleanText {
				if c&classRemoved != 0 {
					continue
				}
				if c&classSpace != 0 {
					r = ' '
				}
			}
			if n.Lowercase && c&classUpper != 0 {
				r += 'a' - 'A'
			}
			nb.emit(r, s, e)
			continue
		}
		if n.CleanText {
			if isRemoved(r) {
				continue
			}
			if isWhitespace(r) {
				r = ' '
				nb.emit(r, s, e)
				continue
			}
		}
		cjk := n.HandleChineseChars && isCJK(r)
		if cjk {
			nb.emit(' ', s, e)
		}
		if !n.StripAccents && !n.Lowercase {
			nb.emit(r, s, e)
			if cjk {
				nb.emit(' ', s, e)
			}
			continue
		}
		buf := nb.runes[:0]
		if n.StripAccents {
			buf = decompose(buf, r)
			k := 0
			for _, c := range buf {
				if !isMark(c) {
					buf[k] = c
					k++
				}
			}
			buf = buf[:k]
		} else {
			buf = append(buf, r)
		}
		out := buf
		if n.Lowercase {
			m := len(buf)
			for j := 0; j < m; j++ {
				buf = lowerRune(buf, buf[j])
			}
			out = buf[m:]
		}
		for _, c := range out {
			nb.emit(c, s, e)
		}
		if cjk {
			nb.emit(' ', s, e)
		}
		nb.runes = buf[:0]
	}
}
