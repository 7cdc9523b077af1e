package tokenizer

import "strings"

// matchPattern is a string to find and the token id it stands for.
type matchPattern struct {
	s  string
	id int
}

// matcher finds the leftmost-longest occurrence of any of a few patterns
// (the added tokens), indexing them by first byte.
type matcher struct {
	byFirst [256][]matchPattern // longest first
	n       int
}

func newMatcher(patterns []matchPattern) *matcher {
	m := &matcher{n: len(patterns)}
	for _, p := range patterns {
		if p.s == "" {
			continue
		}
		l := append(m.byFirst[p.s[0]], p)
		for i := len(l) - 1; i > 0 && len(l[i].s) > len(l[i-1].s); i-- {
			l[i], l[i-1] = l[i-1], l[i]
		}
		m.byFirst[p.s[0]] = l
	}
	return m
}

func (m *matcher) empty() bool { return m.n == 0 }

// find returns the start, end and id of the leftmost-longest match in
// s[from:], or -1, -1, -1.
func (m *matcher) find(s string, from int) (int, int, int) {
	if m.n == 0 {
		return -1, -1, -1
	}
	for i := from; i < len(s); i++ {
		for _, p := range m.byFirst[s[i]] {
			if strings.HasPrefix(s[i:], p.s) {
				return i, i + len(p.s), p.id
			}
		}
	}
	return -1, -1, -1
}
