package persona

import (
	"context"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/metrics"
)

// FuzzRead checks that Read never panics and that whatever it accepts is a
// well-formed table of finite values.
func FuzzRead(f *testing.F) {
	f.Add("age,plan,spend\n31,pro,120.5\n45,free,0\n")
	f.Add("age,plan,spend,,\n1,a,2,,x\n")
	f.Add("age,plan,spend\n1,\"a\nb\",3\n")
	f.Add("spend,age,plan\n1e308,-0,x\n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := Read(strings.NewReader(in), "fuzz.csv", testSchema)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "persona: fuzz.csv") {
				t.Fatalf("error does not name the input: %v", err)
			}
			return
		}
		if tab.Len() < 1 {
			t.Fatal("accepted a table without rows")
		}
		for _, name := range []string{"age", "spend"} {
			v, err := tab.Numeric(name)
			if err != nil || len(v) != tab.Len() {
				t.Fatalf("%s: %v", name, err)
			}
			for _, x := range v {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("%s holds %v", name, x)
				}
			}
		}
		codes, levels, err := tab.Categorical("plan")
		if err != nil || len(codes) != tab.Len() {
			t.Fatal(err)
		}
		for _, c := range codes {
			if c < 0 || c >= len(levels) || levels[c] == "" {
				t.Fatalf("code %d of %q", c, levels)
			}
		}
	})
}

// FuzzKMeans feeds k-means arbitrary float64 bit patterns (huge, tiny,
// subnormal, ±0, NaN, ±Inf, duplicates) and checks the property every
// caller relies on: Fit returns a model or an error, never panics, and a
// returned model is consistent with a finite inertia; the cluster metrics
// on its labels return finite values or an error.
func FuzzKMeans(f *testing.F) {
	f64 := func(vs ...float64) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(f64(1, 2, 3, 4, 5, 6, 7, 8), uint8(2), uint8(2), uint8(0))
	f.Add(f64(1e200, 0, -1e200, 1, 0, 1e200, 3, 4), uint8(2), uint8(2), uint8(0))
	f.Add(f64(1e200, 0, -1e200, 1, 0, 1e200, 3, 4), uint8(2), uint8(2), uint8(1))
	f.Add(f64(1e154, 1e154, -1e154, 1e154, 0, 0), uint8(2), uint8(2), uint8(2))
	f.Add(f64(1e-300, 2e-300, 3e-300, 0, math.Copysign(0, -1), 5e-324), uint8(3), uint8(1), uint8(0))
	f.Add(f64(1, 1, 1, 2), uint8(2), uint8(1), uint8(3))
	f.Add(f64(math.NaN(), 1, 2, math.Inf(1)), uint8(1), uint8(1), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, k, cols, mode uint8) {
		d := 1 + int(cols)%4
		n := min(len(data)/8/d, 64)
		if n == 0 {
			return
		}
		X := NewMatrix(n, d)
		for i := range X.Data {
			X.Data[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
		km := KMeans{K: 1 + int(k)%4, Seed: uint64(mode), NInit: 2, MaxIter: 20, Workers: 2, Engine: EngineCPU}
		switch mode % 4 {
		case 1:
			km.BatchSize = 2
		case 2:
			km.Init = InitFirstRows
		case 3:
			km.Tol = -1
		}
		m, err := km.Fit(context.Background(), X)
		if err != nil {
			if m != nil {
				t.Fatalf("model and error %v", err)
			}
			return
		}
		if !finite(m.Inertia) || m.Inertia < 0 {
			t.Fatalf("inertia %v for X = %v", m.Inertia, X.Data)
		}
		if len(m.Labels) != n || m.Centroids.Rows != km.K || m.Centroids.Cols != d {
			t.Fatalf("model shape: %d labels, centroids %d×%d", len(m.Labels), m.Centroids.Rows, m.Centroids.Cols)
		}
		total := 0
		for _, s := range m.Sizes {
			total += s
		}
		if total != n {
			t.Fatalf("sizes %v for %d rows", m.Sizes, n)
		}
		for _, v := range m.Centroids.Data {
			if !finite(v) {
				t.Fatalf("centroid value %v", v)
			}
		}
		for _, metric := range []func([][]float64, []int) (float64, error){metrics.Silhouette, metrics.CalinskiHarabasz, metrics.DaviesBouldin} {
			if v, err := metric(X.RowSlices(), m.Labels); err == nil && !finite(v) {
				t.Fatalf("metric %v without error", v)
			}
		}
	})
}
