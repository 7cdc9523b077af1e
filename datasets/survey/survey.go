// Package survey generates synthetic user-survey data with known personas.
//
// Real survey exports are private, so the persona chapter also works on a
// seeded simulation whose ground truth is known: every respondent is drawn
// from one of a few personas, and clustering should recover them (the
// adjusted Rand index between clusters and [Sample.Truth] measures how
// well). Each persona fixes, per column, a distribution: normal (clamped
// and optionally rounded, e.g. 1–5 Likert answers), log-normal for skewed
// amounts such as monthly spending, or category probabilities.
//
// The columns ([Columns]) mix the three kinds of facts a persona card
// needs: demographic (age, income, occupation, region), behavioural
// (sessions per week, monthly spend, features used, support tickets) and
// psychographic (Likert answers on price sensitivity, tech enthusiasm,
// brand loyalty and social influence). The same Config always gives the
// same Sample.
package survey

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// Column describes one column of the survey.
type Column struct {
	Name string
	// Kind is "numeric" or "categorical".
	Kind string
	// Group is "demographic", "behavioural" or "psychographic".
	Group string
	// Unit of a numeric column, for display.
	Unit string
	// Levels of a categorical column.
	Levels []string
}

// Columns returns the survey's columns.
func Columns() []Column {
	return []Column{
		{Name: "age", Kind: "numeric", Group: "demographic", Unit: "years"},
		{Name: "income", Kind: "numeric", Group: "demographic", Unit: "k€/year"},
		{Name: "occupation", Kind: "categorical", Group: "demographic", Levels: []string{"student", "professional", "manager", "retired"}},
		{Name: "region", Kind: "categorical", Group: "demographic", Levels: []string{"north", "south", "east", "west"}},
		{Name: "sessions_per_week", Kind: "numeric", Group: "behavioural", Unit: "sessions/week"},
		{Name: "monthly_spend", Kind: "numeric", Group: "behavioural", Unit: "€/month"},
		{Name: "features_used", Kind: "numeric", Group: "behavioural", Unit: "features"},
		{Name: "support_tickets", Kind: "numeric", Group: "behavioural", Unit: "tickets/quarter"},
		{Name: "price_sensitivity", Kind: "numeric", Group: "psychographic", Unit: "1–5"},
		{Name: "tech_enthusiasm", Kind: "numeric", Group: "psychographic", Unit: "1–5"},
		{Name: "brand_loyalty", Kind: "numeric", Group: "psychographic", Unit: "1–5"},
		{Name: "social_influence", Kind: "numeric", Group: "psychographic", Unit: "1–5"},
	}
}

// Dist is the distribution of a numeric column within a persona.
type Dist struct {
	// Mean and SD of the normal distribution; with Log they are the mean
	// and sd of ln(x), so x is log-normal.
	Mean, SD float64
	Log      bool
	// Min and Max clamp the value (Max ≤ Min: no clamping).
	Min, Max float64
	// Round rounds to the nearest integer (counts, Likert answers).
	Round bool
}

// Persona is a ground-truth respondent type.
type Persona struct {
	Name string
	// Weight is the persona's relative frequency.
	Weight float64
	// Numeric gives the distribution of every numeric column.
	Numeric map[string]Dist
	// Categorical gives the level probabilities of every categorical column.
	Categorical map[string][]float64
}

func likert(mean float64) Dist { return Dist{Mean: mean, SD: 0.8, Min: 1, Max: 5, Round: true} }

// DefaultPersonas returns four personas of a subscription app's users.
func DefaultPersonas() []Persona {
	return []Persona{
		{Name: "Budget students", Weight: 0.3,
			Numeric: map[string]Dist{
				"age": {Mean: 21, SD: 2, Min: 16, Max: 30, Round: true}, "income": {Mean: math.Log(12), SD: 0.35, Log: true},
				"sessions_per_week": {Mean: 9, SD: 2.5, Min: 0, Max: 40, Round: true}, "monthly_spend": {Mean: math.Log(8), SD: 0.5, Log: true},
				"features_used": {Mean: 6, SD: 2, Min: 0, Max: 25, Round: true}, "support_tickets": {Mean: 0.5, SD: 0.6, Min: 0, Max: 20, Round: true},
				"price_sensitivity": likert(4.6), "tech_enthusiasm": likert(3.8), "brand_loyalty": likert(1.8), "social_influence": likert(4.2),
			},
			Categorical: map[string][]float64{"occupation": {0.85, 0.1, 0.0, 0.05}, "region": {0.25, 0.25, 0.25, 0.25}}},
		{Name: "Busy professionals", Weight: 0.3,
			Numeric: map[string]Dist{
				"age": {Mean: 38, SD: 6, Min: 22, Max: 65, Round: true}, "income": {Mean: math.Log(65), SD: 0.3, Log: true},
				"sessions_per_week": {Mean: 4, SD: 1.5, Min: 0, Max: 40, Round: true}, "monthly_spend": {Mean: math.Log(45), SD: 0.4, Log: true},
				"features_used": {Mean: 9, SD: 2.5, Min: 0, Max: 25, Round: true}, "support_tickets": {Mean: 1, SD: 0.8, Min: 0, Max: 20, Round: true},
				"price_sensitivity": likert(2.2), "tech_enthusiasm": likert(3), "brand_loyalty": likert(3.8), "social_influence": likert(2.2),
			},
			Categorical: map[string][]float64{"occupation": {0.02, 0.7, 0.28, 0}, "region": {0.4, 0.2, 0.2, 0.2}}},
		{Name: "Power users", Weight: 0.2,
			Numeric: map[string]Dist{
				"age": {Mean: 30, SD: 5, Min: 18, Max: 60, Round: true}, "income": {Mean: math.Log(55), SD: 0.35, Log: true},
				"sessions_per_week": {Mean: 15, SD: 3, Min: 0, Max: 40, Round: true}, "monthly_spend": {Mean: math.Log(120), SD: 0.4, Log: true},
				"features_used": {Mean: 19, SD: 2.5, Min: 0, Max: 25, Round: true}, "support_tickets": {Mean: 2, SD: 1, Min: 0, Max: 20, Round: true},
				"price_sensitivity": likert(2), "tech_enthusiasm": likert(4.8), "brand_loyalty": likert(3), "social_influence": likert(3.2),
			},
			Categorical: map[string][]float64{"occupation": {0.1, 0.6, 0.3, 0}, "region": {0.2, 0.2, 0.2, 0.4}}},
		{Name: "Cautious seniors", Weight: 0.2,
			Numeric: map[string]Dist{
				"age": {Mean: 67, SD: 5, Min: 55, Max: 90, Round: true}, "income": {Mean: math.Log(30), SD: 0.3, Log: true},
				"sessions_per_week": {Mean: 2, SD: 1, Min: 0, Max: 40, Round: true}, "monthly_spend": {Mean: math.Log(20), SD: 0.4, Log: true},
				"features_used": {Mean: 3, SD: 1.2, Min: 0, Max: 25, Round: true}, "support_tickets": {Mean: 3.5, SD: 1.2, Min: 0, Max: 20, Round: true},
				"price_sensitivity": likert(3.8), "tech_enthusiasm": likert(1.4), "brand_loyalty": likert(4.5), "social_influence": likert(1.8),
			},
			Categorical: map[string][]float64{"occupation": {0, 0.1, 0.05, 0.85}, "region": {0.2, 0.4, 0.2, 0.2}}},
	}
}

// Config says how many respondents to draw and from which personas.
type Config struct {
	// N is the number of respondents.
	N int
	// Seed makes the sample reproducible.
	Seed uint64
	// Personas to draw from; nil means DefaultPersonas.
	Personas []Persona
}

// Sample is a generated survey.
type Sample struct {
	// Columns describes the columns; Num[j] holds the values of numeric
	// column j and Cat[j] the level indices of categorical column j (the
	// other is nil).
	Columns []Column
	Num     [][]float64
	Cat     [][]int
	// Truth is the index into Personas of every respondent's persona.
	Truth    []int
	Personas []Persona
}

// Generate draws a sample. Every persona must give a distribution for
// every numeric column and probabilities for every level of every
// categorical column.
func Generate(cfg Config) (*Sample, error) {
	if cfg.N < 1 {
		return nil, fmt.Errorf("survey: N = %d, want at least 1", cfg.N)
	}
	ps := cfg.Personas
	if ps == nil {
		ps = DefaultPersonas()
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("survey: no personas")
	}
	cols := Columns()
	var total float64
	for _, p := range ps {
		if !(p.Weight > 0) || math.IsInf(p.Weight, 0) {
			return nil, fmt.Errorf("survey: persona %q has weight %v, want > 0", p.Name, p.Weight)
		}
		total += p.Weight
		for _, c := range cols {
			if c.Kind == "numeric" {
				if _, ok := p.Numeric[c.Name]; !ok {
					return nil, fmt.Errorf("survey: persona %q has no distribution for %q", p.Name, c.Name)
				}
				continue
			}
			pr := p.Categorical[c.Name]
			if len(pr) != len(c.Levels) {
				return nil, fmt.Errorf("survey: persona %q gives %d probabilities for %q, which has %d levels", p.Name, len(pr), c.Name, len(c.Levels))
			}
			var s float64
			for _, v := range pr {
				if v < 0 {
					return nil, fmt.Errorf("survey: persona %q: negative probability for %q", p.Name, c.Name)
				}
				s += v
			}
			if s <= 0 {
				return nil, fmt.Errorf("survey: persona %q: probabilities for %q sum to 0", p.Name, c.Name)
			}
		}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5ee7))
	s := &Sample{Columns: cols, Num: make([][]float64, len(cols)), Cat: make([][]int, len(cols)), Truth: make([]int, cfg.N), Personas: ps}
	for j, c := range cols {
		if c.Kind == "numeric" {
			s.Num[j] = make([]float64, cfg.N)
		} else {
			s.Cat[j] = make([]int, cfg.N)
		}
	}
	for i := 0; i < cfg.N; i++ {
		u := rng.Float64() * total
		pi := 0
		for acc := ps[0].Weight; u >= acc && pi < len(ps)-1; acc += ps[pi].Weight {
			pi++
		}
		s.Truth[i] = pi
		p := ps[pi]
		for j, c := range cols {
			if c.Kind == "numeric" {
				s.Num[j][i] = draw(rng, p.Numeric[c.Name])
				continue
			}
			s.Cat[j][i] = choose(rng, p.Categorical[c.Name])
		}
	}
	return s, nil
}

func draw(rng *rand.Rand, d Dist) float64 {
	v := d.Mean + d.SD*rng.NormFloat64()
	if d.Log {
		v = math.Exp(v)
	}
	if d.Max > d.Min {
		v = math.Min(d.Max, math.Max(d.Min, v))
	}
	if d.Round {
		v = math.Round(v)
	} else {
		v = math.Round(v*100) / 100
	}
	return v
}

func choose(rng *rand.Rand, pr []float64) int {
	var s float64
	for _, v := range pr {
		s += v
	}
	u := rng.Float64() * s
	for l, v := range pr {
		if u < v {
			return l
		}
		u -= v
	}
	return len(pr) - 1
}

// Len returns the number of respondents.
func (s *Sample) Len() int { return len(s.Truth) }

// WriteCSV writes the sample as CSV with a header row; with truth set, a
// last column "persona" holds each respondent's ground-truth persona name.
func (s *Sample) WriteCSV(w io.Writer, truth bool) error {
	bw := bufio.NewWriter(w)
	for j, c := range s.Columns {
		if j > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(c.Name)
	}
	if truth {
		bw.WriteString(",persona")
	}
	bw.WriteByte('\n')
	for i := range s.Truth {
		for j, c := range s.Columns {
			if j > 0 {
				bw.WriteByte(',')
			}
			if c.Kind == "numeric" {
				bw.WriteString(strconv.FormatFloat(s.Num[j][i], 'f', -1, 64))
			} else {
				bw.WriteString(c.Levels[s.Cat[j][i]])
			}
		}
		if truth {
			bw.WriteByte(',')
			bw.WriteString(s.Personas[s.Truth[i]].Name)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
