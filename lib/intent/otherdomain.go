package intent

import (
	_ "embed"
	"strings"
)

//go:embed otherdomain.tsv
var otherDomainTSV string

// OtherQuery is a query from another domain than banking, for checking
// out-of-scope detection.
type OtherQuery struct {
	Domain, Text string
}

// OtherDomain returns the 288 hand-written out-of-scope queries of
// otherdomain.tsv, in its order: weather, travel, cooking, small talk,
// sport, health, tech support of other products, shopping, entertainment,
// work, education, home, cars, pets, government and legal questions, and
// 62 "hard" ones that speak of money, cards, phones, accounts, transfers or
// payments in senses a bank does not serve (a birthday card, a phone
// screen, a Netflix subscription, a tip). They were written for developing
// the out-of-scope score and its calibration, which makes them a
// development set, not a benchmark.
func OtherDomain() []OtherQuery {
	var out []OtherQuery
	for _, l := range strings.Split(otherDomainTSV, "\n") {
		d, t, ok := strings.Cut(l, "\t")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, OtherQuery{Domain: d, Text: strings.TrimSpace(t)})
	}
	return out
}

// OtherDomainTexts returns the texts of queries.
func OtherDomainTexts(queries []OtherQuery) []string {
	out := make([]string, len(queries))
	for i, q := range queries {
		out[i] = q.Text
	}
	return out
}
