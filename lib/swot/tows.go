package swot

import (
	"fmt"
	"sort"
)

// Kind is a TOWS cell: SO, ST, WO or WT.
type Kind string

// The four TOWS cells.
const (
	SO Kind = "SO" // use strengths to seize opportunities (maxi–maxi)
	ST Kind = "ST" // use strengths to counter threats (maxi–mini)
	WO Kind = "WO" // overcome weaknesses through opportunities (mini–maxi)
	WT Kind = "WT" // minimise weaknesses and avoid threats (mini–mini)
)

// Kinds lists the TOWS cells in the conventional order.
var Kinds = [4]Kind{SO, ST, WO, WT}

// quadrants returns the internal and external quadrant of the cell.
func (k Kind) quadrants() (internal, external Quadrant, ok bool) {
	switch k {
	case SO:
		return Strengths, Opportunities, true
	case ST:
		return Strengths, Threats, true
	case WO:
		return Weaknesses, Opportunities, true
	case WT:
		return Weaknesses, Threats, true
	}
	return 0, 0, false
}

// Strategy is a hand-written TOWS strategy that uses named factors: at
// least one from the cell's internal quadrant and one from its external one.
type Strategy struct {
	Kind Kind     `yaml:"kind" json:"kind"`
	Text string   `yaml:"text" json:"text"`
	Uses []string `yaml:"uses" json:"uses"`
}

func (s Strategy) check(a *Analysis) error {
	in, ex, ok := s.Kind.quadrants()
	if !ok {
		return fmt.Errorf("kind %q is not one of SO, ST, WO, WT", s.Kind)
	}
	if s.Text == "" {
		return fmt.Errorf("text is empty")
	}
	where := map[string]Quadrant{}
	for _, q := range Quadrants {
		for _, f := range a.Factors(q) {
			where[f.Name] = q
		}
	}
	var hasIn, hasEx bool
	for _, u := range s.Uses {
		q, found := where[u]
		switch {
		case !found:
			return fmt.Errorf("uses unknown factor %q", u)
		case q == in:
			hasIn = true
		case q == ex:
			hasEx = true
		default:
			return fmt.Errorf("%s strategy cannot use %s factor %q", s.Kind, q, u)
		}
	}
	if !hasIn || !hasEx {
		return fmt.Errorf("%s strategy must use at least one %s and one %s factor", s.Kind, in, ex)
	}
	return nil
}

// Pair is a ranked entry of the TOWS matrix: an internal and an external
// factor, with a hand-written strategy text when one uses both.
type Pair struct {
	Kind     Kind
	Internal string
	External string
	Score    float64 // c_internal · c_external
	Text     string  // from a Strategy using both factors, else ""
}

// RankedStrategy is a hand-written strategy with its score
// (Σ internal contributions) · (Σ external contributions).
type RankedStrategy struct {
	Strategy
	Score float64
}

// TOWSMatrix is the TOWS matrix: per cell, every factor pair ranked by score,
// and the hand-written strategies ranked by score.
type TOWSMatrix struct {
	Cells      map[Kind][]Pair
	Strategies []RankedStrategy
}

// TOWS builds the TOWS matrix of a validated analysis.
func TOWS(a *Analysis) (TOWSMatrix, error) {
	sc, err := a.Score()
	if err != nil {
		return TOWSMatrix{}, err
	}
	texts := map[[2]string]string{}
	m := TOWSMatrix{Cells: map[Kind][]Pair{}}
	for _, s := range a.Strategies {
		in, _, _ := s.Kind.quadrants()
		var si, se float64
		for _, u := range s.Uses {
			c, _ := sc.contribution(u)
			if c.Quadrant == in {
				si += c.Contribution
			} else {
				se += c.Contribution
			}
		}
		m.Strategies = append(m.Strategies, RankedStrategy{Strategy: s, Score: si * se})
		for _, u := range s.Uses {
			for _, v := range s.Uses {
				key := [2]string{u, v}
				if texts[key] == "" {
					texts[key] = s.Text
				}
			}
		}
	}
	for _, k := range Kinds {
		in, ex, _ := k.quadrants()
		var cell []Pair
		for _, ci := range sc.Ranked(in) {
			for _, ce := range sc.Ranked(ex) {
				p := Pair{Kind: k, Internal: ci.Factor.Name, External: ce.Factor.Name,
					Score: ci.Contribution * ce.Contribution}
				p.Text = texts[[2]string{p.Internal, p.External}]
				cell = append(cell, p)
			}
		}
		sort.SliceStable(cell, func(i, j int) bool { return cell[i].Score > cell[j].Score })
		m.Cells[k] = cell
	}
	sort.SliceStable(m.Strategies, func(i, j int) bool { return m.Strategies[i].Score > m.Strategies[j].Score })
	return m, nil
}

// Top returns at most n pairs of cell k.
func (m TOWSMatrix) Top(k Kind, n int) []Pair {
	c := m.Cells[k]
	if n < len(c) {
		c = c[:n]
	}
	return c
}
