package monitor

import (
	"regexp"
	"slices"
	"strings"
)

// All is the topic every text belongs to: the whole stream.
const All = "all"

// Topics tags texts with topics: the tickers they mention ("$AAPL",
// upper-cased) and the keyword topics whose words they contain, plus [All].
type Topics struct {
	// Keywords maps a topic name to its words, matched case-insensitively
	// against the text's lower-cased words (a word ending in "*" matches
	// as a prefix).
	Keywords map[string][]string
	// Tickers, when true, adds a topic per cashtag.
	Tickers bool
}

// DefaultTopics returns the keyword topics of the chapter — rates,
// earnings, crypto, ratings, macro, energy — and tickers.
func DefaultTopics() Topics {
	return Topics{Tickers: true, Keywords: map[string][]string{
		"rates":    {"fed", "fomc", "powell", "rate", "rates", "yield", "yields", "treasury", "treasuries", "bond", "bonds", "inflation", "cpi", "hike*"},
		"earnings": {"earnings", "eps", "revenue", "revenues", "profit", "profits", "guidance", "outlook", "quarter", "quarterly", "q1", "q2", "q3", "q4", "results", "beats", "misses", "forecast"},
		"crypto":   {"bitcoin", "btc", "crypto", "cryptocurrency", "ethereum", "eth", "blockchain", "coinbase", "token", "tokens"},
		"ratings":  {"upgrade*", "downgrade*", "rating", "outperform", "underperform", "overweight", "underweight", "target", "neutral", "buy", "sell", "hold"},
		"macro":    {"gdp", "jobs", "unemployment", "payrolls", "recession", "economy", "economic", "tariff*", "trade", "china", "stimulus"},
		"energy":   {"oil", "crude", "opec", "gas", "energy", "brent", "wti"},
	}}
}

var (
	cashtag = regexp.MustCompile(`\$[A-Za-z][A-Za-z.]{0,5}\b`)
	word    = regexp.MustCompile(`[\p{L}\p{N}]+`)
)

// Tag returns the topics of text, sorted, [All] first.
func (tp Topics) Tag(text string) []string {
	out := []string{All}
	if tp.Tickers {
		for _, t := range cashtag.FindAllString(text, -1) {
			t = strings.ToUpper(strings.TrimRight(t, "."))
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	if len(tp.Keywords) > 0 {
		words := word.FindAllString(strings.ToLower(text), -1)
		for name, kws := range tp.Keywords {
			if matches(words, kws) {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out[1:])
	return out
}

func matches(words, kws []string) bool {
	for _, k := range kws {
		prefix, isPrefix := strings.CutSuffix(k, "*")
		for _, w := range words {
			if w == k || isPrefix && strings.HasPrefix(w, prefix) {
				return true
			}
		}
	}
	return false
}
