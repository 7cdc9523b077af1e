package swot

import (
	"errors"
	"fmt"
	"sort"
)

// Feature is one column of a competitor feature matrix, with its weight.
type Feature struct {
	Name   string  `yaml:"name" json:"name"`
	Weight float64 `yaml:"weight" json:"weight"`
}

// Product is one row of a competitor feature matrix: a score per feature
// name, 0…Max (a missing feature scores 0). Ours marks our own product.
type Product struct {
	Name   string             `yaml:"name" json:"name"`
	Ours   bool               `yaml:"ours,omitempty" json:"ours,omitempty"`
	Scores map[string]float64 `yaml:"scores" json:"scores"`
}

// FeatureMatrix compares products feature by feature. Scores run from 0
// (absent) to Max (best in class); weights are normalised to sum to 1.
type FeatureMatrix struct {
	Max      float64   `yaml:"max" json:"max"`
	Features []Feature `yaml:"features" json:"features"`
	Products []Product `yaml:"products" json:"products"`
}

func (m *FeatureMatrix) problems() []*FieldError {
	var out []*FieldError
	add := func(path, format string, args ...any) {
		out = append(out, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if !finite(m.Max) || m.Max <= 0 {
		add("max", "must be positive, got %g", m.Max)
	}
	if len(m.Features) == 0 {
		add("features", "is empty")
	}
	feat := map[string]bool{}
	for i, f := range m.Features {
		p := fmt.Sprintf("features[%d]", i)
		if f.Name == "" || feat[f.Name] {
			add(p+".name", "%q is empty or repeated", f.Name)
		}
		feat[f.Name] = true
		if !finite(f.Weight) || f.Weight <= 0 {
			add(p+".weight", "must be positive, got %g", f.Weight)
		}
	}
	ours := 0
	for i, pr := range m.Products {
		p := fmt.Sprintf("products[%d]", i)
		if pr.Name == "" {
			add(p+".name", "is empty")
		}
		if pr.Ours {
			ours++
		}
		names := make([]string, 0, len(pr.Scores))
		for k := range pr.Scores {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			v := pr.Scores[k]
			if !feat[k] {
				add(p+".scores."+k, "is not a listed feature")
			} else if !finite(v) || v < 0 || v > m.Max {
				add(p+".scores."+k, "%g is outside 0..%g", v, m.Max)
			}
		}
	}
	if ours > 1 {
		add("products", "%d products are marked ours; at most one may be", ours)
	}
	return out
}

// Validate reports every problem of the matrix, or nil.
func (m *FeatureMatrix) Validate() error {
	var errs []error
	for _, p := range m.problems() {
		errs = append(errs, p)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("swot: competitor matrix: %w", err)
	}
	return nil
}

// ProductScore is a product's weighted score Σ w̃_f s_f / Max ∈ [0, 1].
type ProductScore struct {
	Name  string
	Ours  bool
	Score float64
}

// Gap is a feature on which a competitor beats our product.
type Gap struct {
	Feature    string
	Ours, Best float64
	Leader     string // the competitor with the best score
}

// Rank validates the matrix and returns the products by decreasing
// weighted score, and the features on which our product trails the best
// competitor (by decreasing weight × shortfall).
func (m *FeatureMatrix) Rank() ([]ProductScore, []Gap, error) {
	if err := m.Validate(); err != nil {
		return nil, nil, err
	}
	total := 0.0
	for _, f := range m.Features {
		total += f.Weight
	}
	var scores []ProductScore
	var ours *Product
	for i, p := range m.Products {
		s := 0.0
		for _, f := range m.Features {
			s += f.Weight / total * p.Scores[f.Name] / m.Max
		}
		scores = append(scores, ProductScore{Name: p.Name, Ours: p.Ours, Score: s})
		if p.Ours {
			ours = &m.Products[i]
		}
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].Score > scores[j].Score })
	var gaps []Gap
	weight := map[string]float64{}
	if ours != nil {
		for _, f := range m.Features {
			weight[f.Name] = f.Weight
			g := Gap{Feature: f.Name, Ours: ours.Scores[f.Name], Best: -1}
			for _, p := range m.Products {
				if !p.Ours && p.Scores[f.Name] > g.Best {
					g.Best, g.Leader = p.Scores[f.Name], p.Name
				}
			}
			if g.Best > g.Ours {
				gaps = append(gaps, g)
			}
		}
	}
	sort.SliceStable(gaps, func(i, j int) bool {
		return weight[gaps[i].Feature]*(gaps[i].Best-gaps[i].Ours) > weight[gaps[j].Feature]*(gaps[j].Best-gaps[j].Ours)
	})
	return scores, gaps, nil
}
