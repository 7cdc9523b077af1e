package iterate

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// NPS is a Net Promoter Score from answers on the 0–10 scale.
type NPS struct {
	N                               int
	Promoters, Passives, Detractors int
	Score                           float64 // %promoters − %detractors, in [−100, 100]
	// SE is the standard error of Score (in points): 100·√((p+d − (p−d)²)/n)
	// with p, d the promoter and detractor shares.
	SE float64
}

// NetPromoter computes the NPS; answers outside 0–10 or not whole numbers
// are errors naming their index.
func NetPromoter(answers []float64) (NPS, error) {
	var r NPS
	for i, a := range answers {
		if bad(a) || a < 0 || a > 10 || a != math.Trunc(a) {
			return NPS{}, fmt.Errorf("iterate: NPS: answer %d is %g, want a whole number 0–10", i, a)
		}
		switch {
		case a >= 9:
			r.Promoters++
		case a >= 7:
			r.Passives++
		default:
			r.Detractors++
		}
	}
	r.N = len(answers)
	if r.N == 0 {
		return NPS{}, errors.New("iterate: NPS: no answers")
	}
	p, d := float64(r.Promoters)/float64(r.N), float64(r.Detractors)/float64(r.N)
	r.Score = 100 * (p - d)
	r.SE = 100 * math.Sqrt((p+d-(p-d)*(p-d))/float64(r.N))
	return r, nil
}

// CSAT is a customer-satisfaction score from answers on the 1–5 scale.
type CSAT struct {
	N         int
	Satisfied int     // answers 4 or 5
	Score     float64 // 100 · Satisfied / N
	Mean      float64 // mean answer
}

// Satisfaction computes CSAT; answers outside 1–5 or not whole numbers are
// errors naming their index.
func Satisfaction(answers []float64) (CSAT, error) {
	var r CSAT
	sum := 0.0
	for i, a := range answers {
		if bad(a) || a < 1 || a > 5 || a != math.Trunc(a) {
			return CSAT{}, fmt.Errorf("iterate: CSAT: answer %d is %g, want a whole number 1–5", i, a)
		}
		if a >= 4 {
			r.Satisfied++
		}
		sum += a
	}
	r.N = len(answers)
	if r.N == 0 {
		return CSAT{}, errors.New("iterate: CSAT: no answers")
	}
	r.Score = 100 * float64(r.Satisfied) / float64(r.N)
	r.Mean = sum / float64(r.N)
	return r, nil
}

// Step is one funnel stage and the number of users who reached it.
type Step struct {
	Name  string  `yaml:"name" json:"name"`
	Count float64 `yaml:"count" json:"count"`
}

// StepResult is a funnel stage with its conversions.
type StepResult struct {
	Step
	FromPrevious float64 // Count / previous Count (1 for the first step)
	FromStart    float64 // Count / first Count
	DropOff      float64 // 1 − FromPrevious
}

// Funnel computes step and overall conversion. Counts must be positive at
// the first step and non-increasing.
func Funnel(steps []Step) ([]StepResult, error) {
	if len(steps) == 0 || steps[0].Count <= 0 || bad(steps[0].Count) {
		return nil, errors.New("iterate: funnel: need at least one step with a positive count")
	}
	out := make([]StepResult, len(steps))
	for i, s := range steps {
		if bad(s.Count) || s.Count < 0 {
			return nil, fmt.Errorf("iterate: funnel: step %d %q: count %g", i, s.Name, s.Count)
		}
		r := StepResult{Step: s, FromPrevious: 1, FromStart: s.Count / steps[0].Count}
		if i > 0 {
			if s.Count > steps[i-1].Count {
				return nil, fmt.Errorf("iterate: funnel: step %d %q has %g users, more than %q (%g)", i, s.Name, s.Count, steps[i-1].Name, steps[i-1].Count)
			}
			if steps[i-1].Count > 0 {
				r.FromPrevious = s.Count / steps[i-1].Count
			} else {
				r.FromPrevious = 0
			}
		}
		r.DropOff = 1 - r.FromPrevious
		out[i] = r
	}
	return out, nil
}

// Item is a backlog item scored with RICE.
type Item struct {
	Name string `yaml:"name" json:"name"`
	// Reach is the number of users affected per period.
	Reach float64 `yaml:"reach" json:"reach"`
	// Impact per user: 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal.
	Impact float64 `yaml:"impact" json:"impact"`
	// Confidence in the estimates, in (0, 1]: 1 high, 0.8 medium, 0.5 low.
	Confidence float64 `yaml:"confidence" json:"confidence"`
	// Effort in person-months, > 0.
	Effort float64 `yaml:"effort" json:"effort"`
}

// Ranked is a backlog item with its RICE score and rank (1 = first).
type Ranked struct {
	Item
	Score float64
	Rank  int
}

// RICE scores every item, Reach × Impact × Confidence / Effort, and
// returns them by decreasing score (ties keep their order). Every problem
// is reported, each naming the item: a missing name, a value out of range
// (effort must be > 0, so a zero effort is an error, not an infinite
// score), and a score that float64 cannot hold (wrapping [ErrOverflow]),
// so every score returned is finite.
func RICE(items []Item) ([]Ranked, error) {
	var errs []error
	out := make([]Ranked, 0, len(items))
	for i, it := range items {
		var err error
		switch {
		case it.Name == "":
			err = fmt.Errorf("item %d: name is empty", i)
		case bad(it.Reach) || it.Reach < 0:
			err = fmt.Errorf("item %d %q: reach must be ≥ 0, got %g", i, it.Name, it.Reach)
		case bad(it.Impact) || it.Impact <= 0:
			err = fmt.Errorf("item %d %q: impact must be > 0, got %g", i, it.Name, it.Impact)
		case bad(it.Confidence) || it.Confidence <= 0 || it.Confidence > 1:
			err = fmt.Errorf("item %d %q: confidence must be in (0, 1], got %g", i, it.Name, it.Confidence)
		case bad(it.Effort) || it.Effort <= 0:
			err = fmt.Errorf("item %d %q: effort must be > 0, got %g", i, it.Name, it.Effort)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		score, err := riceScore(it)
		if err != nil {
			errs = append(errs, fmt.Errorf("item %d %q: %w", i, it.Name, err))
			continue
		}
		out = append(out, Ranked{Item: it, Score: score})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("iterate: RICE: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	for i := range out {
		out[i].Rank = i + 1
	}
	return out, nil
}

// riceScore returns Reach × Impact × Confidence / Effort for a valid item,
// or an error wrapping [ErrOverflow] when the score is beyond float64's
// range or a positive reach gives a score that rounds to 0. A product
// that overflows while the score does not (a huge reach over a large
// effort) is computed again as Reach / Effort × Impact × Confidence.
func riceScore(it Item) (float64, error) {
	score := it.Reach * it.Impact * it.Confidence / it.Effort
	if bad(score) || score == 0 && it.Reach > 0 {
		score = it.Reach / it.Effort * it.Impact * it.Confidence
	}
	switch {
	case bad(score):
		return 0, fmt.Errorf("score reach %g × impact %g × confidence %g / effort %g overflows float64: %w", it.Reach, it.Impact, it.Confidence, it.Effort, ErrOverflow)
	case score == 0 && it.Reach > 0:
		return 0, fmt.Errorf("score reach %g × impact %g × confidence %g / effort %g is too small for float64 (it rounds to 0): %w", it.Reach, it.Impact, it.Confidence, it.Effort, ErrOverflow)
	}
	return score, nil
}
