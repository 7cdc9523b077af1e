package persona

import (
	"fmt"
	"math"
	"slices"
)

// Summary describes the distribution of one numeric column: the figures a
// first look at the data needs before choosing a preprocessing (a large
// skewness calls for log1p, see [Prep]).
type Summary struct {
	// Column is the column's name.
	Column string
	// N is the number of values.
	N int
	// Min, Median, Mean and Max locate the values; Median is computed by
	// [Median].
	Min, Median, Mean, Max float64
	// SD is the population standard deviation √(Σ(x−μ)²/N), as the
	// encoder's standardisation uses.
	SD float64
	// Skewness is the population skewness computed by [Skewness].
	Skewness float64
}

// Summarize returns the [Summary] of each named numeric column of t, in the
// order given; with no names, of every numeric column in table order.
// A missing or categorical column, or an empty table, is an error.
func Summarize(t *Profiles, columns ...string) ([]Summary, error) {
	if len(columns) == 0 {
		for _, c := range t.Columns {
			if c.Kind == Numeric {
				columns = append(columns, c.Name)
			}
		}
	}
	if t.Len() == 0 {
		return nil, fmt.Errorf("persona: summarize %s: the table has no rows", t.Source)
	}
	out := make([]Summary, 0, len(columns))
	for _, name := range columns {
		x, err := t.Numeric(name)
		if err != nil {
			return nil, fmt.Errorf("persona: summarize: %w", err)
		}
		out = append(out, summarize(name, x))
	}
	return out, nil
}

// summarize computes the Summary of a non-empty x.
func summarize(name string, x []float64) Summary {
	s := Summary{Column: name, N: len(x), Min: slices.Min(x), Max: slices.Max(x), Median: Median(x)}
	m, m2, _ := moments(x)
	s.Mean, s.SD = m, math.Sqrt(m2)
	s.Skewness = Skewness(x)
	return s
}

// moments returns the mean and the second and third central moments
// (divided by N) of x.
func moments(x []float64) (mean, m2, m3 float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		d := v - mean
		m2 += d * d
		m3 += d * d * d
	}
	n := float64(len(x))
	return mean, m2 / n, m3 / n
}

// Median returns the middle value of x: the middle element of the sorted
// values for odd N, the mean of the two middle elements for even N. It
// returns NaN for an empty x. x is not modified.
func Median(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Skewness returns the population (moment) skewness of x,
//
//	g₁ = m₃ / m₂^{3/2},  m_r = (1/N) Σ (x_i − x̄)^r,
//
// which is 0 for symmetric data and positive when a long tail of large
// values (a few big spenders) pulls the mean above the median. It is the
// biased estimator, as scipy.stats.skew computes by default. It returns NaN
// when x is empty or constant.
func Skewness(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	_, m2, m3 := moments(x)
	if m2 == 0 {
		return math.NaN()
	}
	return m3 / math.Pow(m2, 1.5)
}
