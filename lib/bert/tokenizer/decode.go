package tokenizer

import "strings"

// Decode turns ids back into text the way Hugging Face's WordPiece decoder
// does: tokens are joined with spaces, a continuation prefix ("##") glues a
// piece to the previous one, and with DecodeCleanup the spaces before
// punctuation and in English contractions are removed. With skipSpecial,
// special added tokens ([CLS], [SEP], [PAD], ...) are left out. Ids that are
// not in the vocabulary are skipped. Decoding is lossy: case, accents and
// spacing that normalization removed do not come back.
func (t *Tokenizer) Decode(ids []int, skipSpecial bool) string {
	var sb strings.Builder
	first := true
	for _, id := range ids {
		tok, ok := "", false
		if a, isAdded := t.added[id]; isAdded {
			if skipSpecial && a.Special {
				continue
			}
			tok, ok = a.Content, true
		} else {
			tok, ok = t.vocab.Token(id)
		}
		if !ok || tok == "" {
			continue
		}
		if !first {
			if p := t.cfg.ContinuingPrefix; p != "" && strings.HasPrefix(tok, p) {
				tok = tok[len(p):]
			} else {
				tok = " " + tok
			}
		}
		first = false
		if t.cfg.DecodeCleanup {
			tok = cleanup(tok)
		}
		sb.WriteString(tok)
	}
	return sb.String()
}

var cleanupReplacer = []struct{ old, new string }{
	{" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
	{" n't", "n't"}, {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"},
	{" 've", "'ve"}, {" 're", "'re"},
}

// cleanup applies the replacements one after the other, in order (which is
// not what strings.Replacer does), on one decoded token.
func cleanup(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	for _, r := range cleanupReplacer {
		s = strings.ReplaceAll(s, r.old, r.new)
	}
	return s
}
