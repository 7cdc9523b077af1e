// Package excerpt shortens a tool's output for an error message: the end of
// a failed command's output (npm, node, go build) says what went wrong, and
// the rest would bury it.
package excerpt

// Tail returns the last n bytes of s, marked with a leading "…" when
// anything was cut. A cut inside a multi-byte UTF-8 sequence moves forward
// to the next rune, so the excerpt stays valid UTF-8 when s is.
func Tail(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && s[i]&0xC0 == 0x80 { // a continuation byte
		i++
	}
	return "…" + s[i:]
}
