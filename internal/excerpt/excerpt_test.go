package excerpt

import (
	"testing"
	"unicode/utf8"
)

func TestTail(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abc", 5, "abc"},
		{"abcdef", 3, "…def"},
		{"abcdef", 0, "…"},
		{"abcdef", -1, "…"},
		{"error: é", 1, "…"},      // the cut falls inside é: nothing of it is kept
		{"error: é", 2, "…é"},     // é is two bytes
		{"go build: 失败", 4, "…败"}, // 败 is three bytes; the fourth from the end is 失's last
	}
	for _, tt := range tests {
		got := Tail(tt.s, tt.n)
		if got != tt.want {
			t.Errorf("Tail(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Tail(%q, %d) = %q is not valid UTF-8", tt.s, tt.n, got)
		}
	}
}
