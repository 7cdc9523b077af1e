package persona

import (
	"fmt"

	ec "github.com/go-echarts/go-echarts/v2/charts"

	"github.com/founderlab/founderlab/lib/charts"
)

// The chart helpers below turn persona results into lib/charts charts; show
// them in a notebook cell with charts.Show. Each persona keeps the same
// colour in every chart built from the same Cards (card order).

// ElbowChart draws the inertia J over K of a sweep.
func ElbowChart(s *Selection) *ec.Line {
	return charts.Line(fmt.Sprintf("Elbow: inertia J over K (knee at K = %d)", s.Knee),
		charts.Col("K", s.Ks()), charts.Col("inertia J", s.Inertias()))
}

// SilhouetteChart draws the mean silhouette over K of a sweep (K = 1,
// where it is undefined, is a gap).
func SilhouetteChart(s *Selection) *ec.Line {
	title := "Mean silhouette over K"
	if s.SilhouetteSampled {
		title += fmt.Sprintf(" (sample of %d rows)", s.SilhouetteSample)
	}
	return charts.Line(title, charts.Col("K", s.Ks()), charts.Col("silhouette", s.Silhouettes()))
}

// ScatterChart draws the rows of X projected on their first two principal
// components, coloured by persona.
func ScatterChart(title string, X Matrix, m *Model, cards Cards) (*ec.Scatter, error) {
	p, err := PCA(X, 2)
	if err != nil {
		return nil, err
	}
	if len(m.Labels) != X.Rows {
		return nil, fmt.Errorf("persona: scatter: %d labels for %d rows", len(m.Labels), X.Rows)
	}
	var xs, ys []float64
	var names []string
	for _, c := range cards {
		for i, l := range m.Labels {
			if l == c.Cluster {
				xs, ys, names = append(xs, p.Points.At(i, 0)), append(ys, p.Points.At(i, 1)), append(names, c.Name)
			}
		}
	}
	axis := func(i int) string { return fmt.Sprintf("PC%d (%.0f%% of variance)", i+1, 100*p.Explained[i]) }
	return charts.ScatterBy(title, charts.Col(axis(0), xs), charts.Col(axis(1), ys), names), nil
}

// RadarChart draws every persona's z-scores over the numeric features.
func RadarChart(title string, cards Cards, enc *Encoder) *ec.Radar {
	axes, z := cards.Radar(enc)
	series := make([]charts.Series, len(cards))
	for i, c := range cards {
		series[i] = charts.Col(c.Name, z[i])
	}
	return charts.Radar(title, axes, series...)
}

// SizesChart draws the number of rows of every persona.
func SizesChart(title string, cards Cards) *ec.Bar {
	return charts.Bar(title, cards.Names(), charts.Col("rows", cards.Sizes()))
}
