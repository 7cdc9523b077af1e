package persona

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/datasets/survey"
	"github.com/founderlab/founderlab/lib/charts"
	"github.com/founderlab/founderlab/lib/metrics"
)

func TestKnee(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	y := []float64{1000, 400, 150, 130, 115, 105, 98, 92}
	if k := Knee(x, y); x[k] != 3 {
		t.Fatalf("knee at %v, want 3", x[k])
	}
	if Knee(x[:2], y[:2]) != 0 || Knee(x, make([]float64, len(x))) != 0 {
		t.Fatal("degenerate curves should give 0")
	}
}

func TestSweepFindsK(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	X, _ := blobs(rng, 400, 3, 4, 0.4)
	sel, err := Sweep(context.Background(), X, Ks(1, 8), KMeans{Seed: 1, NInit: 4}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sel.Points {
		t.Logf("K=%d inertia %.1f", p.K, p.Inertia)
	}
	if sel.Knee != 4 || sel.BestSilhouette != 4 || sel.BestCalinskiHarabasz != 4 || sel.BestDaviesBouldin != 4 {
		t.Fatalf("knee %d, silhouette %d, CH %d, DB %d; want 4 for four blobs", sel.Knee, sel.BestSilhouette, sel.BestCalinskiHarabasz, sel.BestDaviesBouldin)
	}
	if p := sel.Point(1); p == nil || !math.IsNaN(p.Silhouette) {
		t.Fatal("K=1 should have an undefined silhouette")
	}
	for i := 1; i < len(sel.Points); i++ {
		if sel.Points[i].Inertia > sel.Points[i-1].Inertia*1.0001 {
			t.Errorf("inertia rose from K=%d to K=%d", sel.Points[i-1].K, sel.Points[i].K)
		}
	}
	sampled, err := Sweep(context.Background(), X, Ks(3, 5), KMeans{Seed: 1, NInit: 4}, 150)
	if err != nil {
		t.Fatal(err)
	}
	if !sampled.SilhouetteSampled || sampled.SilhouetteSample != 150 || sampled.BestSilhouette != 4 {
		t.Fatalf("sampled sweep: sampled %v (%d rows), best silhouette K=%d", sampled.SilhouetteSampled, sampled.SilhouetteSample, sampled.BestSilhouette)
	}
	if _, err := Sweep(context.Background(), X, []int{3, 2}, KMeans{}, 0); err == nil {
		t.Fatal("decreasing K values: no error")
	}
}

func TestPCA(t *testing.T) {
	// Points along (1, 2, 0)/√5 with small noise in the other directions.
	rng := rand.New(rand.NewPCG(25, 26))
	X := NewMatrix(500, 3)
	for i := 0; i < 500; i++ {
		s := rng.NormFloat64() * 4
		X.Data[i*3] = s/math.Sqrt(5) + rng.NormFloat64()*0.1 + 3
		X.Data[i*3+1] = 2*s/math.Sqrt(5) + rng.NormFloat64()*0.1
		X.Data[i*3+2] = rng.NormFloat64() * 0.5
	}
	p, err := PCA(X, 2)
	if err != nil {
		t.Fatal(err)
	}
	c := p.Components.Row(0)
	if math.Abs(c[0]-1/math.Sqrt(5)) > 0.01 || math.Abs(c[1]-2/math.Sqrt(5)) > 0.01 || math.Abs(c[2]) > 0.01 {
		t.Fatalf("first component %v, want (1,2,0)/√5", c)
	}
	if p.Explained[0] < 0.95 || p.Explained[0]+p.Explained[1] > 1+1e-12 || p.Variance[1] > p.Variance[0] {
		t.Fatalf("explained %v variance %v", p.Explained, p.Variance)
	}
	// Components are orthonormal and the projection is x·c after centring.
	var dot, n0 float64
	for j := range c {
		dot += c[j] * p.Components.At(1, j)
		n0 += c[j] * c[j]
	}
	if math.Abs(dot) > 1e-10 || math.Abs(n0-1) > 1e-10 {
		t.Fatalf("components not orthonormal: dot %v norm² %v", dot, n0)
	}
	var proj float64
	for j := range c {
		proj += (X.At(7, j) - p.Mean[j]) * c[j]
	}
	if math.Abs(proj-p.Points.At(7, 0)) > 1e-10 {
		t.Fatalf("projection %v, want %v", p.Points.At(7, 0), proj)
	}
	if _, err := PCA(X, 4); err == nil {
		t.Fatal("4 components of 3 columns: no error")
	}
}

// TestSurveyRecovery clusters the synthetic survey and checks that the
// ground-truth personas are recovered and described.
func TestSurveyRecovery(t *testing.T) {
	s, err := survey.Generate(survey.Config{N: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := FromSurvey(s)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := FitEncoder(tab, Prep{Log1p: []string{"income", "monthly_spend"}, Scaling: Standardize, CategoryWeight: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	X, err := enc.Transform(tab)
	if err != nil {
		t.Fatal(err)
	}
	m, err := KMeans{K: 4, Seed: 1}.Fit(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	ari, err := metrics.AdjustedRand(s.Truth, m.Labels)
	if err != nil {
		t.Fatal(err)
	}
	if ari < 0.95 {
		t.Fatalf("adjusted Rand index %v, want ≥ 0.95", ari)
	}
	cards, err := Describe(enc, X, m, CardOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 4 {
		t.Fatalf("%d cards", len(cards))
	}
	var share float64
	for i, c := range cards {
		share += c.Share
		if i > 0 && c.Size > cards[i-1].Size {
			t.Fatal("cards not sorted by size")
		}
		if len(c.Traits) == 0 || c.Name == "" || c.Name == "Typical profile" {
			t.Errorf("card %d: name %q, %d traits", c.Cluster, c.Name, len(c.Traits))
		}
	}
	if math.Abs(share-1) > 1e-12 {
		t.Fatalf("shares sum to %v", share)
	}
	// The cluster holding the seniors (persona 3) is named after age or
	// retirement and has an age centroid near 67 years.
	senior := -1
	count := make([]int, 4)
	for i, l := range m.Labels {
		if s.Truth[i] == 3 {
			count[l]++
		}
	}
	for l, c := range count {
		if senior < 0 || c > count[senior] {
			senior = l
		}
	}
	for _, c := range cards {
		if c.Cluster != senior {
			continue
		}
		if c.Centroid[0].Column != "age" || math.Abs(c.Centroid[0].Number-67) > 2 {
			t.Errorf("senior centroid age %+v", c.Centroid[0])
		}
		name := strings.ToLower(c.Name)
		if !strings.Contains(name, "age") && !strings.Contains(name, "retired") && !strings.Contains(name, "tech") {
			t.Errorf("senior persona named %q", c.Name)
		}
		md := c.Markdown()
		if !strings.Contains(md, "### "+mdEscape(c.Name)) || !strings.Contains(md, "| age |") || !strings.Contains(md, " years |") {
			t.Errorf("markdown:\n%s", md)
		}
	}
	html := cards.HTML()
	if strings.Count(html, `class="persona-card"`) != 4 || !strings.Contains(html, "monthly_spend") {
		t.Fatalf("HTML has %d cards", strings.Count(html, `class="persona-card"`))
	}
}

func TestCardsEscapeHTML(t *testing.T) {
	cols := []Column{{Name: "<b>x</b>", Kind: Numeric}}
	tab, err := NewProfiles("t", cols, [][]float64{{0, 0, 10, 10}}, [][]int{nil})
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := FitEncoder(tab, Prep{})
	X, _ := enc.Transform(tab)
	m, _ := KMeans{K: 2, Seed: 1}.Fit(context.Background(), X)
	cards, err := Describe(enc, X, m, CardOptions{Names: map[int]string{0: "<script>"}})
	if err != nil {
		t.Fatal(err)
	}
	h := cards.HTML()
	if strings.Contains(h, "<script>") || strings.Contains(h, "<b>x") {
		t.Fatalf("unescaped HTML:\n%s", h)
	}
}

func TestChartData(t *testing.T) {
	s, _ := survey.Generate(survey.Config{N: 300, Seed: 9})
	tab, _ := FromSurvey(s)
	enc, _ := FitEncoder(tab, Prep{Log1p: []string{"income", "monthly_spend"}})
	X, _ := enc.Transform(tab)
	sel, err := Sweep(context.Background(), X, Ks(2, 4), KMeans{Seed: 1, NInit: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ks := sel.Ks(); len(ks) != 3 || ks[0] != 2 || sel.Inertias()[1] != sel.Points[1].Inertia || sel.Silhouettes()[2] != sel.Points[2].Silhouette {
		t.Fatalf("sweep series %v %v", ks, sel.Inertias())
	}
	m := sel.Point(3).Model
	cards, _ := Describe(enc, X, m, CardOptions{})
	axes, vals := cards.Radar(enc)
	if len(axes) != 10 || len(vals) != 3 || len(vals[0]) != 10 {
		t.Fatalf("radar %d axes, %d series", len(axes), len(vals))
	}
	names := cards.LabelNames(m.Labels)
	for i, l := range m.Labels {
		for _, c := range cards {
			if c.Cluster == l && names[i] != c.Name {
				t.Fatalf("row %d: name %q, card %q", i, names[i], c.Name)
			}
		}
	}
	var n float64
	for _, v := range cards.Sizes() {
		n += v
	}
	if n != 300 || X.Col(3)[5] != X.At(5, 3) {
		t.Fatalf("sizes sum %v", n)
	}
}

func TestCharts(t *testing.T) {
	s, _ := survey.Generate(survey.Config{N: 200, Seed: 4})
	tab, _ := FromSurvey(s)
	enc, _ := FitEncoder(tab, Prep{Log1p: []string{"income", "monthly_spend"}})
	X, _ := enc.Transform(tab)
	sel, err := Sweep(context.Background(), X, Ks(1, 4), KMeans{Seed: 1, NInit: 2}, 50)
	if err != nil {
		t.Fatal(err)
	}
	m := sel.Point(4).Model
	cards, _ := Describe(enc, X, m, CardOptions{})
	sc, err := ScatterChart("scatter", X, m, cards)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []charts.Renderable{ElbowChart(sel), SilhouetteChart(sel), sc, RadarChart("radar", cards, enc), SizesChart("sizes", cards)} {
		h, err := charts.HTML(c, charts.NoStatic())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h, "echarts") {
			t.Fatalf("chart HTML without echarts: %.200s", h)
		}
	}
	j := string(sc.JSONNotEscaped())
	for _, c := range cards {
		if !strings.Contains(j, c.Name) {
			t.Fatalf("scatter lacks persona %q", c.Name)
		}
	}
	if !strings.Contains(string(SilhouetteChart(sel).JSONNotEscaped()), "sample of 50 rows") {
		t.Fatal("silhouette chart does not say it was sampled")
	}
	if _, err := ScatterChart("bad", X, &Model{Labels: []int{0}}, cards); err == nil {
		t.Fatal("scatter with wrong labels: no error")
	}
}
