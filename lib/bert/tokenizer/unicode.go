package tokenizer

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Character classes of the BERT normalizer and pre-tokenizer, as the Hugging
// Face tokenizers library (Rust) defines them. TestUnicodeTables checks every
// code point against a table produced by that library.

// isRemoved reports whether clean_text drops r: NUL, U+FFFD and "other"
// characters (categories Cc, Cf, Co, Cs) except tab, newline and carriage return.
func isRemoved(r rune) bool {
	if r < 0x80 {
		return r == 0 || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f
	}
	if r == utf8.RuneError {
		return true
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) && !unicode.Is(hfNotOther, r)
}

// isWhitespace reports whether r has the Unicode White_Space property (as
// Rust's char::is_whitespace).
func isWhitespace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || (r >= '\t' && r <= '\r')
	}
	return unicode.Is(unicode.White_Space, r)
}

// isPunct reports whether r is split off as punctuation by BertPreTokenizer:
// any ASCII punctuation or symbol character (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)
// or a Unicode punctuation character (categories Pc, Pd, Pe, Pf, Pi, Po, Ps).
func isPunct(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&classPunct != 0
	}
	if unicode.IsPunct(r) {
		return !unicode.Is(hfNotPunct, r)
	}
	return unicode.Is(hfExtraPunct, r)
}

// isCJK reports whether r is a CJK ideograph that the normalizer surrounds
// with spaces (the "Chinese characters" of the original BERT code).
func isCJK(r rune) bool {
	switch {
	case r < 0x3400:
		return false
	case r <= 0x4dbf, r >= 0x4e00 && r <= 0x9fff, r >= 0xf900 && r <= 0xfaff,
		r >= 0x20000 && r <= 0x2a6df, r >= 0x2a700 && r <= 0x2b81f,
		r >= 0x2b920 && r <= 0x2ceaf, r >= 0x2f800 && r <= 0x2fa1f:
		return true
	}
	return false
}

// ASCII fast-path classes.
const (
	classPunct = 1 << iota
	classSpace
	classRemoved
	classUpper
)

var asciiClass = func() (t [128]uint8) {
	for r := rune(0); r < 128; r++ {
		switch {
		case r == ' ' || (r >= '\t' && r <= '\r'):
			if r == '\v' || r == '\f' {
				t[r] = classRemoved // control characters are removed before whitespace is mapped
			} else {
				t[r] = classSpace
			}
		case r < 0x20 || r == 0x7f:
			t[r] = classRemoved
		case r >= '!' && r <= '/', r >= ':' && r <= '@', r >= '[' && r <= '`', r >= '{' && r <= '~':
			t[r] = classPunct
		case r >= 'A' && r <= 'Z':
			t[r] = classUpper
		}
	}
	return t
}()

// lowerRune appends the full lowercase mapping of r (as Rust's
// char::to_lowercase: U+0130 becomes "i\u0307", everything else maps to one rune).
func lowerRune(dst []rune, r rune) []rune {
	if r == 0x130 {
		return append(dst, 'i', 0x307)
	}
	if r >= 0x1c89 {
		if l, ok := hfLower[r]; ok {
			return append(dst, l)
		}
	}
	return append(dst, unicode.ToLower(r))
}

// Hangul syllable decomposition constants (Unicode §3.12).
const (
	hangulBase  = 0xac00
	hangulCount = 11172
	jamoLBase   = 0x1100
	jamoVBase   = 0x1161
	jamoTBase   = 0x11a7
	jamoTCount  = 28
	jamoNCount  = 588
)

// decompose appends the canonical decomposition (NFD) of r, or r itself.
func decompose(dst []rune, r rune) []rune {
	if r < 0xc0 {
		return append(dst, r)
	}
	if r >= hangulBase && r < hangulBase+hangulCount {
		s := r - hangulBase
		dst = append(dst, jamoLBase+s/jamoNCount, jamoVBase+(s%jamoNCount)/jamoTCount)
		if t := s % jamoTCount; t != 0 {
			dst = append(dst, jamoTBase+t)
		}
		return dst
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFD.Properties(buf[:n]).Decomposition()
	if d == nil || unicode.Is(hfNoDecomposition, r) {
		return append(dst, r)
	}
	for len(d) > 0 {
		c, size := utf8.DecodeRune(d)
		dst = append(dst, c)
		d = d[size:]
	}
	return dst
}

// isMark reports whether r is a nonspacing mark (category Mn), which
// accent stripping removes after decomposition.
func isMark(r rune) bool {
	if r < 0x300 {
		return false
	}
	if unicode.Is(unicode.Mn, r) {
		return !unicode.Is(hfNotMark, r)
	}
	return unicode.Is(hfExtraMark, r)
}
