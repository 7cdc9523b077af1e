package metrics

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// goldenClustering is written by scripts/golden-persona.py with
// scikit-learn: the synthetic points of lib/persona's golden file, the
// ground truth and k-means labelings with their metrics, and ARI cases.
type goldenClustering struct {
	X     [][]float64 `json:"x"`
	Cases []struct {
		Name              string    `json:"name"`
		Labels            []int     `json:"labels"`
		Silhouette        float64   `json:"silhouette"`
		CalinskiHarabasz  float64   `json:"calinski_harabasz"`
		DaviesBouldin     float64   `json:"davies_bouldin"`
		SilhouetteSamples []float64 `json:"silhouette_samples"`
	} `json:"cases"`
	ARI []struct {
		A, B []int
		ARI  float64 `json:"ari"`
	} `json:"ari"`
}

// relClose reports whether got is within rel of want (relative), or within
// rel absolutely when want is 0.
func relClose(got, want, rel float64) bool {
	if want == 0 {
		return math.Abs(got) <= rel
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

// goldenRel is the agreement asked of the cluster metrics with scikit-learn.
const goldenRel = 1e-6

func TestClusterMetricsAgainstScikitLearn(t *testing.T) {
	data, err := os.ReadFile("testdata/golden-clustering.json")
	if err != nil {
		t.Fatal(err)
	}
	var g goldenClustering
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) < 5 || len(g.ARI) < 4 || len(g.X) != 300 {
		t.Fatalf("golden file holds %d cases, %d ARI cases, %d rows", len(g.Cases), len(g.ARI), len(g.X))
	}
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			s, err := Silhouette(g.X, c.Labels)
			if err != nil {
				t.Fatal(err)
			}
			ch, err := CalinskiHarabasz(g.X, c.Labels)
			if err != nil {
				t.Fatal(err)
			}
			db, err := DaviesBouldin(g.X, c.Labels)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []struct {
				name      string
				got, want float64
			}{{"silhouette", s, c.Silhouette}, {"calinski-harabasz", ch, c.CalinskiHarabasz}, {"davies-bouldin", db, c.DaviesBouldin}} {
				if !relClose(m.got, m.want, goldenRel) {
					t.Errorf("%s %.12g, scikit-learn %.12g", m.name, m.got, m.want)
				}
			}
			if c.SilhouetteSamples == nil {
				return
			}
			samples, err := SilhouetteSamples(g.X, c.Labels)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range c.SilhouetteSamples {
				if math.Abs(samples[i]-want) > 1e-9 {
					t.Errorf("silhouette of row %d: %.12g, scikit-learn %.12g", i+1, samples[i], want)
				}
			}
		})
	}
	for _, c := range g.ARI {
		got, err := AdjustedRand(c.A, c.B)
		if err != nil {
			t.Fatal(err)
		}
		if !relClose(got, c.ARI, goldenRel) {
			t.Errorf("ARI(%v…) = %.12g, scikit-learn %.12g", c.A[:min(6, len(c.A))], got, c.ARI)
		}
	}
}

func TestSilhouetteHandComputed(t *testing.T) {
	// Two clusters on a line: {0, 1} and {5}. For x=0: a=1, b=5 → 0.8;
	// x=1: a=1, b=4 → 0.75; x=5 is alone → 0. Mean 1.55/3.
	X := [][]float64{{0}, {1}, {5}}
	s, err := Silhouette(X, []int{0, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s-1.55/3) > 1e-15 {
		t.Fatalf("silhouette %v, want %v", s, 1.55/3)
	}
	samples, err := SilhouetteSamples(X, []int{0, 0, 1})
	if err != nil || samples[0] != 0.8 || samples[1] != 0.75 || samples[2] != 0 {
		t.Fatalf("silhouette samples %v, %v; want [0.8 0.75 0]", samples, err)
	}
	// Labels need not be 0-based or contiguous.
	s2, _ := Silhouette(X, []int{7, 7, 3})
	if s2 != s {
		t.Fatalf("relabelled silhouette %v, want %v", s2, s)
	}
}

// TestClusterMetricsHandComputed checks CH and DB on two clusters on a
// line, {0, 2} and {10, 12}: means 1 and 11, overall mean 6.
// B = 2·25 + 2·25 = 100, W = 4·1 = 4, CH = (100/1)/(4/2) = 50.
// s = 1 for both clusters and the means are 10 apart: DB = 2/10.
func TestClusterMetricsHandComputed(t *testing.T) {
	X := [][]float64{{0}, {2}, {10}, {12}}
	labels := []int{0, 0, 1, 1}
	if ch, err := CalinskiHarabasz(X, labels); err != nil || ch != 50 {
		t.Errorf("Calinski-Harabasz %v, %v; want 50", ch, err)
	}
	if db, err := DaviesBouldin(X, labels); err != nil || db != 0.2 {
		t.Errorf("Davies-Bouldin %v, %v; want 0.2", db, err)
	}
	// Tight clusters: W = 0 gives CH = 1 and every s = 0 gives DB = 0, as
	// in scikit-learn.
	tight := [][]float64{{0}, {0}, {5}, {5}}
	if ch, err := CalinskiHarabasz(tight, labels); err != nil || ch != 1 {
		t.Errorf("Calinski-Harabasz of point clusters %v, %v; want 1", ch, err)
	}
	if db, err := DaviesBouldin(tight, labels); err != nil || db != 0 {
		t.Errorf("Davies-Bouldin of point clusters %v, %v; want 0", db, err)
	}
}

func TestClusterMetricErrors(t *testing.T) {
	X := [][]float64{{0}, {1}, {5}}
	metrics := []struct {
		name string
		f    func([][]float64, []int) (float64, error)
	}{{"silhouette", Silhouette}, {"calinski-harabasz", CalinskiHarabasz}, {"davies-bouldin", DaviesBouldin}}
	for _, c := range []struct {
		name   string
		X      [][]float64
		labels []int
		want   string
	}{
		{"one cluster", X, []int{0, 0, 0}, "1 clusters among 3 rows"},
		{"a cluster per row", X, []int{0, 1, 2}, "3 clusters among 3 rows"},
		{"too few labels", X, []int{0, 1}, "2 labels for 3 rows"},
		{"negative label", X, []int{0, -1, 1}, "label -1 of row 2 is negative"},
		{"no rows", nil, nil, "X is empty"},
		{"ragged", [][]float64{{0}, {1, 2}, {5}}, []int{0, 0, 1}, "X row 2 has 2 values, row 1 has 1"},
		{"NaN", [][]float64{{0}, {math.NaN()}, {5}}, []int{0, 0, 1}, "X row 2, column 1: NaN is not finite"},
		{"Inf", [][]float64{{0}, {1}, {math.Inf(-1)}}, []int{0, 0, 1}, "X row 3, column 1: -Inf is not finite"},
	} {
		for _, m := range metrics {
			_, err := m.f(c.X, c.labels)
			if err == nil || !strings.Contains(err.Error(), "metrics: "+m.name+": ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %s: %v, want an error containing %q", c.name, m.name, err, c.want)
			}
		}
	}
	for _, c := range []struct {
		name string
		a, b []int
		want string
	}{
		{"lengths", []int{0, 1}, []int{0}, "2 and 1 labels"},
		{"empty", nil, nil, "no labels"},
		{"negative", []int{0, 1}, []int{0, -3}, "label -3 of row 2 is negative"},
	} {
		if _, err := AdjustedRand(c.a, c.b); err == nil || !strings.Contains(err.Error(), "metrics: adjusted rand: "+c.want) {
			t.Errorf("adjusted rand: %s: %v", c.name, err)
		}
	}
	if _, err := SilhouetteSample(X, []int{0, 0, 1}, 0, 1); err == nil {
		t.Error("silhouette sample of size 0: no error")
	}
	if _, err := SilhouetteSample(X, []int{0, 0}, 2, 1); err == nil {
		t.Error("silhouette sample with 2 labels for 3 rows: no error")
	}
}

// blobs returns n points in d dimensions around k well-separated centres
// with the given spread, and their true cluster.
func blobs(rng *rand.Rand, n, d, k int, spread float64) ([][]float64, []int) {
	X := make([][]float64, n)
	truth := make([]int, n)
	for i := range X {
		c := i % k
		truth[i] = c
		X[i] = make([]float64, d)
		for t := range X[i] {
			X[i][t] = float64(10*c*(t%2*2-1)) + spread*rng.NormFloat64()
		}
	}
	return X, truth
}

func TestSilhouetteSampleApproximates(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	X, truth := blobs(rng, 3000, 3, 4, 6)
	exact, err := Silhouette(X, truth)
	if err != nil {
		t.Fatal(err)
	}
	est, err := SilhouetteSample(X, truth, 800, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(est-exact) > 0.03 || est == exact {
		t.Fatalf("sampled silhouette %v, exact %v", est, exact)
	}
	again, _ := SilhouetteSample(X, truth, 800, 1)
	if again != est {
		t.Fatal("sampled silhouette is not deterministic for a seed")
	}
	if all, _ := SilhouetteSample(X, truth, 3000, 1); all != exact {
		t.Fatalf("sample of every row %v, exact %v", all, exact)
	}
}

// TestClusterMetricsScaleExactly: scaling by a power of two is exact, so
// the metrics (ratios of distances) are unchanged however large the scale,
// up to the overflow bound.
func TestClusterMetricsScaleExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	X, truth := blobs(rng, 300, 3, 3, 4)
	big := make([][]float64, len(X))
	for i, row := range X {
		big[i] = make([]float64, len(row))
		for t, v := range row {
			big[i][t] = math.Ldexp(v, 400) // about 2.6e120 × v
		}
	}
	for _, m := range []struct {
		name string
		f    func([][]float64, []int) (float64, error)
	}{{"silhouette", Silhouette}, {"calinski-harabasz", CalinskiHarabasz}, {"davies-bouldin", DaviesBouldin}} {
		a, err := m.f(X, truth)
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.f(big, truth)
		if err != nil || b != a {
			t.Errorf("%s: %v at scale 1, %v, %v at scale 2^400", m.name, a, b, err)
		}
	}
}

// TestClusterMetricsOverflow: rows too large for sums of squared distances
// are an error wrapping ErrOverflow that names the metric and the row,
// never NaN or Inf.
func TestClusterMetricsOverflow(t *testing.T) {
	X := [][]float64{{1e200, 0}, {1.1e200, 1e199}, {0.9e200, -1e199}, {-1e200, 0}, {-1.1e200, 1e199}, {-0.9e200, -1e199}}
	labels := []int{0, 0, 0, 1, 1, 1}
	for _, tc := range []struct {
		name string
		f    func() error
	}{
		{"silhouette", func() error { _, err := Silhouette(X, labels); return err }},
		{"silhouette", func() error { _, err := SilhouetteSamples(X, labels); return err }},
		{"calinski-harabasz", func() error { _, err := CalinskiHarabasz(X, labels); return err }},
		{"davies-bouldin", func() error { _, err := DaviesBouldin(X, labels); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f()
			if !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), "metrics: "+tc.name+": X row 2: Euclidean norm") {
				t.Fatalf("%v; want an ErrOverflow naming %s and row 2", err, tc.name)
			}
		})
	}
}

// TestMetricsHugeLabels is the regression test for cluster metrics that
// allocated an array as long as the largest label (1<<40: out of memory,
// math.MaxInt: a panic): labels are relabelled by rank, so any values give
// the result of 0..K−1.
func TestMetricsHugeLabels(t *testing.T) {
	X := [][]float64{{1, 0}, {1.1, 0.1}, {0.9, -0.1}, {-1, 0}, {-1.1, 0.1}, {-0.9, -0.1}}
	small := []int{0, 0, 1, 1, 2, 2}
	for _, labels := range [][]int{
		{0, 0, 1 << 40, 1 << 40, math.MaxInt, math.MaxInt},
		{7, 7, 1 << 62, 1 << 62, math.MaxInt - 1, math.MaxInt - 1},
	} {
		for _, f := range []func([][]float64, []int) (float64, error){Silhouette, CalinskiHarabasz, DaviesBouldin} {
			want, err := f(X, small)
			if err != nil {
				t.Fatal(err)
			}
			got, err := f(X, labels)
			if err != nil || got != want {
				t.Fatalf("labels %v: %v, %v; with 0..2: %v", labels, got, err, want)
			}
		}
		if ari, err := AdjustedRand(labels, small); err != nil || ari != 1 {
			t.Fatalf("adjusted rand of relabelled partitions: %v, %v", ari, err)
		}
	}
	// n distinct labels on both sides: the dense contingency table would
	// hold n² cells (3.2 GB here); the sparse one holds n.
	n := 20000
	a, b := make([]int, n), make([]int, n)
	for i := range a {
		a[i], b[i] = i, n-1-i
	}
	if ari, err := AdjustedRand(a, b); err != nil || ari != 1 {
		t.Fatalf("adjusted rand of two all-singleton partitions: %v, %v", ari, err)
	}
	b[0] = b[1]
	if ari, err := AdjustedRand(a, b); err != nil || ari != 0 {
		t.Fatalf("adjusted rand: %v, %v; want 0 (no agreeing pair)", ari, err)
	}
}

// FuzzClusterMetrics: any float64 bits and labels give finite metrics or
// an error, never a panic, NaN or Inf.
func FuzzClusterMetrics(f *testing.F) {
	f.Add(uint64(0), uint64(0x3ff0000000000000), uint64(0x4014000000000000), uint64(0x4024000000000000), uint8(0b0011))
	f.Add(uint64(0x7fefffffffffffff), uint64(0xffefffffffffffff), uint64(0x0000000000000001), uint64(0x8000000000000000), uint8(0b0101))
	f.Add(uint64(0x5fe0000000000000), uint64(0x5fe0000000000001), uint64(0x5fe0000000000000), uint64(0xdfe0000000000000), uint8(0b1001))
	f.Fuzz(func(t *testing.T, a, b, c, d uint64, bits uint8) {
		X := [][]float64{{math.Float64frombits(a), math.Float64frombits(b)}, {math.Float64frombits(c), 0}, {math.Float64frombits(d), 1}, {0, math.Float64frombits(a)}}
		labels := []int{int(bits & 1), int(bits >> 1 & 1), int(bits >> 2 & 1), int(bits >> 3 & 1)}
		for _, m := range []func([][]float64, []int) (float64, error){Silhouette, CalinskiHarabasz, DaviesBouldin} {
			if v, err := m(X, labels); err == nil && !finite(v) {
				t.Fatalf("metric %v without error for X = %v, labels %v", v, X, labels)
			}
		}
		if v, err := AdjustedRand(labels, []int{int(bits >> 4 & 3), int(bits >> 6), 0, 1}); err != nil || !finite(v) {
			t.Fatalf("adjusted rand %v, %v", v, err)
		}
	})
}
