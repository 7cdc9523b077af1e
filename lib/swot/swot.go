package swot

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Quadrant names one of the four SWOT quadrants.
type Quadrant int

// The four quadrants, internal (S, W) before external (O, T).
const (
	Strengths Quadrant = iota
	Weaknesses
	Opportunities
	Threats
)

// Quadrants lists the quadrants in the order S, W, O, T.
var Quadrants = [4]Quadrant{Strengths, Weaknesses, Opportunities, Threats}

// String returns the quadrant's name, e.g. "Strengths".
func (q Quadrant) String() string {
	switch q {
	case Strengths:
		return "Strengths"
	case Weaknesses:
		return "Weaknesses"
	case Opportunities:
		return "Opportunities"
	case Threats:
		return "Threats"
	}
	return fmt.Sprintf("Quadrant(%d)", int(q))
}

// Letter returns the quadrant's initial: S, W, O or T.
func (q Quadrant) Letter() string { return q.String()[:1] }

// Favourable reports whether the quadrant helps the venture (S and O).
func (q Quadrant) Favourable() bool { return q == Strengths || q == Opportunities }

// Internal reports whether the quadrant describes the venture itself (S and W).
func (q Quadrant) Internal() bool { return q == Strengths || q == Weaknesses }

// Factor is one weighted, rated item of a SWOT quadrant.
type Factor struct {
	// Name identifies the factor; names are unique within an Analysis.
	Name string `yaml:"name" json:"name"`
	// Weight is the factor's importance, > 0; it is normalised within its quadrant.
	Weight float64 `yaml:"weight" json:"weight"`
	// Rating is the factor's strength (or severity) on the analysis' Scale.
	Rating float64 `yaml:"rating" json:"rating"`
	// Note is optional free text: the evidence behind the rating.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Scale is the closed rating range [Min, Max].
type Scale struct {
	Min float64 `yaml:"min" json:"min"`
	Max float64 `yaml:"max" json:"max"`
}

// DefaultScale is the 1–5 rating scale used when an analysis sets none.
var DefaultScale = Scale{Min: 1, Max: 5}

// Criterion is one feasibility criterion (technical, economic, legal, …)
// scored out of Max, shown as a radar chart.
type Criterion struct {
	Name  string  `yaml:"name" json:"name"`
	Score float64 `yaml:"score" json:"score"`
	Max   float64 `yaml:"max" json:"max"`
	Note  string  `yaml:"note,omitempty" json:"note,omitempty"`
}

// Analysis is a complete feasibility study: the SWOT factors and any
// hand-written TOWS strategies, plus the optional criteria, TRL evidence,
// cost–benefit lines and competitor matrix. It is what [Load] reads.
type Analysis struct {
	Subject       string         `yaml:"subject" json:"subject"`
	Scale         *Scale         `yaml:"scale,omitempty" json:"scale,omitempty"`
	Strengths     []Factor       `yaml:"strengths" json:"strengths"`
	Weaknesses    []Factor       `yaml:"weaknesses" json:"weaknesses"`
	Opportunities []Factor       `yaml:"opportunities" json:"opportunities"`
	Threats       []Factor       `yaml:"threats" json:"threats"`
	Strategies    []Strategy     `yaml:"strategies,omitempty" json:"strategies,omitempty"`
	Criteria      []Criterion    `yaml:"criteria,omitempty" json:"criteria,omitempty"`
	TRL           *TRLInput      `yaml:"trl,omitempty" json:"trl,omitempty"`
	CostBenefit   *CostBenefit   `yaml:"cost_benefit,omitempty" json:"cost_benefit,omitempty"`
	Competitors   *FeatureMatrix `yaml:"competitors,omitempty" json:"competitors,omitempty"`
}

// TRLInput is the TRL part of an analysis file: the target level and the
// IDs of the checklist items (see [Checklist]) that are evidenced.
type TRLInput struct {
	Target   int      `yaml:"target,omitempty" json:"target,omitempty"`
	Evidence []string `yaml:"evidence" json:"evidence"`
}

// RatingScale returns the analysis' scale, or DefaultScale when unset.
func (a *Analysis) RatingScale() Scale {
	if a.Scale == nil {
		return DefaultScale
	}
	return *a.Scale
}

// Factors returns the factors of quadrant q.
func (a *Analysis) Factors(q Quadrant) []Factor {
	switch q {
	case Strengths:
		return a.Strengths
	case Weaknesses:
		return a.Weaknesses
	case Opportunities:
		return a.Opportunities
	case Threats:
		return a.Threats
	}
	return nil
}

var quadrantKeys = [4]string{"strengths", "weaknesses", "opportunities", "threats"}

// FieldError is a validation error located by its field path
// (e.g. "strengths[2].rating") and, when known, the line of the input file.
type FieldError struct {
	Path string
	Line int // 0 when unknown
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Path, e.Msg)
	}
	return e.Path + ": " + e.Msg
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Validate checks every part of the analysis and returns all problems
// joined (each a *FieldError), or nil.
func (a *Analysis) Validate() error {
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	sc := a.RatingScale()
	if !finite(sc.Min) || !finite(sc.Max) || sc.Min >= sc.Max {
		add("scale", "min %g must be below max %g", sc.Min, sc.Max)
	}
	if sc.Min < 0 {
		add("scale.min", "must be ≥ 0 (scores are summed as magnitudes), got %g", sc.Min)
	}
	seen := map[string]string{}
	for qi, q := range Quadrants {
		for i, f := range a.Factors(q) {
			p := fmt.Sprintf("%s[%d]", quadrantKeys[qi], i)
			if f.Name == "" {
				add(p+".name", "is empty")
			} else if prev, dup := seen[f.Name]; dup {
				add(p+".name", "%q already used at %s", f.Name, prev)
			} else {
				seen[f.Name] = p
			}
			if !finite(f.Weight) || f.Weight <= 0 {
				add(p+".weight", "must be a positive number, got %g", f.Weight)
			}
			if !finite(f.Rating) || f.Rating < sc.Min || f.Rating > sc.Max {
				add(p+".rating", "%g is outside the scale %g..%g", f.Rating, sc.Min, sc.Max)
			}
		}
	}
	for i, s := range a.Strategies {
		p := fmt.Sprintf("strategies[%d]", i)
		if err := s.check(a); err != nil {
			add(p, "%v", err)
		}
	}
	for i, c := range a.Criteria {
		p := fmt.Sprintf("criteria[%d]", i)
		if c.Name == "" {
			add(p+".name", "is empty")
		}
		if !finite(c.Max) || c.Max <= 0 {
			add(p+".max", "must be positive, got %g", c.Max)
		} else if !finite(c.Score) || c.Score < 0 || c.Score > c.Max {
			add(p+".score", "%g is outside 0..%g", c.Score, c.Max)
		}
	}
	if a.TRL != nil {
		if a.TRL.Target != 0 && (a.TRL.Target < 1 || a.TRL.Target > 9) {
			add("trl.target", "must be 1..9, got %d", a.TRL.Target)
		}
		if _, err := AssessTRL(Checklist(), a.TRL.Evidence); err != nil {
			add("trl.evidence", "%v", err)
		}
	}
	if a.CostBenefit != nil {
		for _, fe := range a.CostBenefit.problems() {
			fe.Path = "cost_benefit." + fe.Path
			errs = append(errs, fe)
		}
	}
	if a.Competitors != nil {
		for _, fe := range a.Competitors.problems() {
			fe.Path = "competitors." + fe.Path
			errs = append(errs, fe)
		}
	}
	return errors.Join(errs...)
}

// Contribution is a factor with its normalised weight and its share w̃·r of
// the quadrant score.
type Contribution struct {
	Quadrant     Quadrant
	Factor       Factor
	NormWeight   float64 // w̃ = w / Σw over the quadrant
	Contribution float64 // w̃ · rating
}

// Scores holds the weighted score of each quadrant and every factor's
// contribution.
type Scores struct {
	S, W, O, T    float64
	Contributions []Contribution // in quadrant order S, W, O, T, then file order
}

// Quadrant returns the score of quadrant q.
func (s Scores) Quadrant(q Quadrant) float64 {
	return [4]float64{s.S, s.W, s.O, s.T}[q]
}

// Score validates the analysis and computes its quadrant scores.
func (a *Analysis) Score() (Scores, error) {
	if err := a.Validate(); err != nil {
		return Scores{}, fmt.Errorf("swot: %s: %w", a.Subject, err)
	}
	var s Scores
	var q4 [4]float64
	for _, q := range Quadrants {
		fs := a.Factors(q)
		total := 0.0
		for _, f := range fs {
			total += f.Weight
		}
		for _, f := range fs {
			c := Contribution{Quadrant: q, Factor: f, NormWeight: f.Weight / total}
			c.Contribution = c.NormWeight * f.Rating
			q4[q] += c.Contribution
			s.Contributions = append(s.Contributions, c)
		}
	}
	s.S, s.W, s.O, s.T = q4[0], q4[1], q4[2], q4[3]
	return s, nil
}

// contribution returns the contribution of the named factor.
func (s Scores) contribution(name string) (Contribution, bool) {
	for _, c := range s.Contributions {
		if c.Factor.Name == name {
			return c, true
		}
	}
	return Contribution{}, false
}

// Reading selects how the seed's feasibility formula (§4.2.2) is read.
// The seed prints
//
//	(S₊ + S₊) / (S₊ + S₋ + W₊ + W₋ + T₊ + T₋)
//
// and its legend names the six terms: S₊ technical strength, S₋ technical
// weakness, W₊ market opportunity, W₋ market threat, T₊ technical
// opportunity, T₋ technical threat. The numerator repeats S₊: a typo.
type Reading int

const (
	// Intended reads the numerator as the positive factors,
	// (S₊ + W₊ + T₊) / (S₊ + S₋ + W₊ + W₋ + T₊ + T₋): the share of the
	// favourable terms, in [0, 1], ½ when both sides balance.
	Intended Reading = iota
	// Printed reads the formula as printed, (S₊ + S₊) / (S₊ + … + T₋):
	// opportunities only enlarge the denominator (more opportunity, lower
	// score) and the value exceeds 1 when S₊ outweighs the other five
	// terms together.
	Printed
)

// String returns "intended" or "printed".
func (r Reading) String() string {
	switch r {
	case Intended:
		return "intended"
	case Printed:
		return "printed"
	}
	return fmt.Sprintf("Reading(%d)", int(r))
}

// SeedTerms are the six terms of the seed's feasibility formula, named as
// in its legend. Each is a non-negative score.
type SeedTerms struct {
	SPlus  float64 // S₊ technical strength
	SMinus float64 // S₋ technical weakness
	WPlus  float64 // W₊ market opportunity
	WMinus float64 // W₋ market threat
	TPlus  float64 // T₊ technical opportunity
	TMinus float64 // T₋ technical threat
}

// Feasibility evaluates the seed's formula under reading r. It returns an
// error for an unknown reading, a negative or non-finite term, or a zero
// denominator.
func (t SeedTerms) Feasibility(r Reading) (float64, error) {
	terms := [6]float64{t.SPlus, t.SMinus, t.WPlus, t.WMinus, t.TPlus, t.TMinus}
	names := [6]string{"S₊", "S₋", "W₊", "W₋", "T₊", "T₋"}
	den := 0.0
	for i, x := range terms {
		if !finite(x) || x < 0 {
			return 0, fmt.Errorf("swot: seed feasibility (%v): %s = %g, want a finite score ≥ 0", r, names[i], x)
		}
		den += x
	}
	var num float64
	switch r {
	case Intended:
		num = t.SPlus + t.WPlus + t.TPlus
	case Printed:
		num = t.SPlus + t.SPlus
	default:
		return 0, fmt.Errorf("swot: seed feasibility: unknown reading %v", r)
	}
	if den == 0 || !finite(den) {
		return 0, fmt.Errorf("swot: seed feasibility (%v): denominator is %g", r, den)
	}
	return num / den, nil
}

// AsPrinted evaluates the seed's formula exactly as printed over six
// explicit terms; it is SeedTerms{…}.Feasibility(Printed).
func AsPrinted(sPlus, sMinus, wPlus, wMinus, tPlus, tMinus float64) (float64, error) {
	return SeedTerms{sPlus, sMinus, wPlus, wMinus, tPlus, tMinus}.Feasibility(Printed)
}

// Seed evaluates the seed's formula under reading r over the quadrant
// scores: S₊ = S (strengths), S₋ = W (weaknesses), and the opportunities
// and threats, market and technical together, W₊ + T₊ = O and W₋ + T₋ = T.
// Neither reading depends on how O and T split into market and technical
// parts, so the four quadrant scores determine both:
//
//	Intended: (S + O) / (S + W + O + T), the same as [Scores.Feasibility];
//	Printed:  2S / (S + W + O + T).
func (s Scores) Seed(r Reading) (float64, error) {
	// Any split of O and T gives the same value; put them in W₊ and W₋.
	return SeedTerms{SPlus: s.S, SMinus: s.W, WPlus: s.O, WMinus: s.T}.Feasibility(r)
}

// AsPrinted is s.Seed(Printed): the formula as printed, 2S/(S+W+O+T).
func (s Scores) AsPrinted() (float64, error) { return s.Seed(Printed) }

// Feasibility returns the classic SWOT view of feasibility,
// (S+O)/(S+W+O+T): the favourable share of all weighted quadrant scores.
// It equals s.Seed(Intended). It returns an error when every quadrant is
// empty.
func (s Scores) Feasibility() (float64, error) {
	den := s.S + s.W + s.O + s.T
	if den == 0 {
		return 0, errors.New("swot: feasibility: all quadrant scores are 0")
	}
	return (s.S + s.O) / den, nil
}

// Ranked returns the contributions sorted by decreasing contribution
// (ties by name), optionally restricted to one quadrant (q < 0 for all).
func (s Scores) Ranked(q Quadrant) []Contribution {
	var out []Contribution
	for _, c := range s.Contributions {
		if q < 0 || c.Quadrant == q {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Contribution != out[j].Contribution {
			return out[i].Contribution > out[j].Contribution
		}
		return out[i].Factor.Name < out[j].Factor.Name
	})
	return out
}
