package persona

// Chart data: plain slices in the shapes lib/charts builders take, so a
// notebook cell goes from a result to a chart in one call.

// Col returns column j of the matrix as a new slice.
func (m Matrix) Col(j int) []float64 {
	out := make([]float64, m.Rows)
	for i := range out {
		out[i] = m.Data[i*m.Cols+j]
	}
	return out
}

// Ks returns the K of every sweep point (the x axis of the elbow and
// silhouette charts).
func (s *Selection) Ks() []int {
	out := make([]int, len(s.Points))
	for i, p := range s.Points {
		out[i] = p.K
	}
	return out
}

// Inertias returns the inertia J of every sweep point (the elbow curve).
func (s *Selection) Inertias() []float64 {
	return s.metric(func(p SweepPoint) float64 { return p.Inertia })
}

// Silhouettes returns the mean silhouette of every sweep point (NaN for K = 1).
func (s *Selection) Silhouettes() []float64 {
	return s.metric(func(p SweepPoint) float64 { return p.Silhouette })
}

// CalinskiHarabaszes returns the Calinski–Harabasz index of every sweep point.
func (s *Selection) CalinskiHarabaszes() []float64 {
	return s.metric(func(p SweepPoint) float64 { return p.CalinskiHarabasz })
}

// DaviesBouldins returns the Davies–Bouldin index of every sweep point.
func (s *Selection) DaviesBouldins() []float64 {
	return s.metric(func(p SweepPoint) float64 { return p.DaviesBouldin })
}

func (s *Selection) metric(f func(SweepPoint) float64) []float64 {
	out := make([]float64, len(s.Points))
	for i, p := range s.Points {
		out[i] = f(p)
	}
	return out
}

// Names returns the persona names, in card order.
func (cs Cards) Names() []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// Sizes returns the cluster sizes, in card order.
func (cs Cards) Sizes() []float64 {
	out := make([]float64, len(cs))
	for i, c := range cs {
		out[i] = float64(c.Size)
	}
	return out
}

// LabelNames maps cluster labels (as in Model.Labels) to persona names, for
// colouring a scatter chart by persona.
func (cs Cards) LabelNames(labels []int) []string {
	byCluster := map[int]string{}
	for _, c := range cs {
		byCluster[c.Cluster] = c.Name
	}
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = byCluster[l]
	}
	return out
}

// Radar returns radar-chart data: the numeric features (axes) and, per
// card, the z-scores of its cluster on them (values[card][axis]). One-hot
// features are left out; they show on the cards.
func (cs Cards) Radar(enc *Encoder) (axes []string, values [][]float64) {
	var idx []int
	for fi, f := range enc.Features {
		if f.Level < 0 {
			idx = append(idx, fi)
			axes = append(axes, f.Name)
		}
	}
	for _, c := range cs {
		row := make([]float64, len(idx))
		for a, fi := range idx {
			row[a] = c.Z[fi]
		}
		values = append(values, row)
	}
	return axes, values
}
