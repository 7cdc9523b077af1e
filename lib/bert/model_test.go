package bert

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/safetensors"
)

// golden reads a safetensors file of expected values written by
// scripts/golden-bert*.py.
type golden struct {
	t *testing.T
	f *safetensors.File
}

func openGolden(t *testing.T, path string) golden {
	t.Helper()
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return golden{t, f}
}

func (g golden) floats(name string) ([]float32, []int) {
	g.t.Helper()
	v, shape, err := g.f.Float32(name)
	if err != nil {
		g.t.Fatal(err)
	}
	return v, shape
}

func (g golden) ints(name string) [][]int32 {
	g.t.Helper()
	v, shape := g.floats(name)
	out := make([][]int32, shape[0])
	for i := range out {
		out[i] = make([]int32, shape[1])
		for j := range out[i] {
			out[i][j] = int32(v[i*shape[1]+j])
		}
	}
	return out
}

func (g golden) batch() Batch {
	return Batch{InputIDs: g.ints("input_ids"), TokenTypeIDs: g.ints("token_type_ids"), AttentionMask: g.ints("attention_mask")}
}

// maxAbsDiff compares got (nested rows flattened) with want of the given shape.
func maxAbsDiff(t *testing.T, name string, got []float32, want []float32) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	d := 0.0
	for i := range got {
		if math.IsNaN(float64(got[i])) {
			t.Fatalf("%s[%d] is NaN", name, i)
		}
		d = math.Max(d, math.Abs(float64(got[i]-want[i])))
	}
	return d
}

func flat2(x [][]float32) []float32 {
	var out []float32
	for _, r := range x {
		out = append(out, r...)
	}
	return out
}

func flat3(x [][][]float32) []float32 {
	var out []float32
	for _, r := range x {
		out = append(out, flat2(r)...)
	}
	return out
}

const parityTol = 1e-4

// checkParity compares every output of a run with the transformers values
// in g, within parityTol.
func checkParity(t *testing.T, g golden, out *Output) {
	t.Helper()
	for _, c := range []struct {
		name string
		got  []float32
	}{
		{"last_hidden_state", flat3(out.LastHiddenState)},
		{"pooler_output", flat2(out.PooledOutput)},
		{"logits", flat2(out.Logits)},
		{"mean_pooled", flat2(out.MeanPooled)},
	} {
		want, _ := g.floats(c.name)
		d := maxAbsDiff(t, c.name, c.got, want)
		t.Logf("%s: max |ours - transformers| = %.2g", c.name, d)
		if d > parityTol {
			t.Errorf("%s: max abs difference %.3g > %g", c.name, d, parityTol)
		}
	}
}

func tinyModel(t *testing.T) *Model {
	t.Helper()
	cfg, err := ReadConfig("testdata/tiny")
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadWeightsFile(cfg, "testdata/tiny/model.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTinyParity checks every output of the tiny random model against
// transformers (scripts/golden-bert.py).
func TestTinyParity(t *testing.T) {
	m := tinyModel(t)
	t.Logf("backend: %s", m.Backend())
	if !m.HasClassifier() || !m.HasPooler() {
		t.Fatalf("HasClassifier=%v HasPooler=%v, want both", m.HasClassifier(), m.HasPooler())
	}
	g := openGolden(t, "testdata/tiny/golden.safetensors")
	out, err := m.Run(context.Background(), g.batch())
	if err != nil {
		t.Fatal(err)
	}
	checkParity(t, g, out)
}

// renamed is a WeightSource that presents another source's tensors under
// different names.
type renamed struct {
	src    WeightSource
	rename func(string) string
	back   map[string]string
}

func newRenamed(src WeightSource, rename func(string) string) *renamed {
	r := &renamed{src: src, rename: rename, back: map[string]string{}}
	for _, n := range src.Names() {
		r.back[rename(n)] = n
	}
	return r
}

func (r *renamed) Names() []string {
	var out []string
	for n := range r.back {
		out = append(out, n)
	}
	return out
}

func (r *renamed) Float32(name string) ([]float32, []int, error) {
	return r.src.Float32(r.back[name])
}

// TestLoadNameVariants loads the tiny checkpoint under the naming schemes
// found in the wild and checks the logits do not change.
func TestLoadNameVariants(t *testing.T) {
	cfg, err := ReadConfig("testdata/tiny")
	if err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Open("testdata/tiny/model.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := openGolden(t, "testdata/tiny/golden.safetensors")
	wantHidden, _ := g.floats("last_hidden_state")
	wantLogits, _ := g.floats("logits")
	variants := []struct {
		name   string
		rename func(string) string
	}{
		{"no bert. prefix (BertModel)", func(n string) string { return strings.TrimPrefix(n, "bert.") }},
		{"TF-style gamma/beta", func(n string) string {
			n = strings.Replace(n, "LayerNorm.weight", "LayerNorm.gamma", 1)
			return strings.Replace(n, "LayerNorm.bias", "LayerNorm.beta", 1)
		}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			vars := newTestVars()
			rep, err := LoadWeights(vars, &cfg, newRenamed(f, v.rename), true)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Missing) != 0 || len(rep.Unused) != 0 || len(rep.Loaded) != len(Parameters(&cfg, true)) {
				t.Fatalf("report: %d loaded, missing %v, unused %v", len(rep.Loaded), rep.Missing, rep.Unused)
			}
			m, err := New(testBackend(t), cfg, vars)
			if err != nil {
				t.Fatal(err)
			}
			out, err := m.Run(context.Background(), g.batch())
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(t, "hidden", flat3(out.LastHiddenState), wantHidden); d > parityTol {
				t.Errorf("last_hidden_state differs by %.3g", d)
			}
			if d := maxAbsDiff(t, "logits", flat2(out.Logits), wantLogits); d > parityTol {
				t.Errorf("logits differ by %.3g", d)
			}
		})
	}
}

// TestLoadErrors checks that broken checkpoints are rejected with errors
// naming the problem.
func TestLoadErrors(t *testing.T) {
	cfg, err := ReadConfig("testdata/tiny")
	if err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Open("testdata/tiny/model.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	drop := func(name string) WeightSource {
		r := newRenamed(f, func(n string) string { return n })
		delete(r.back, name)
		return r
	}
	dup := newRenamed(f, func(n string) string { return n })
	dup.back["encoder.layer.0.output.dense.bias"] = "bert.encoder.layer.0.output.dense.bias"
	wrongCfg := cfg
	wrongCfg.IntermediateSize = 40
	tests := []struct {
		name string
		cfg  Config
		src  WeightSource
		want string
	}{
		{"missing encoder weight", cfg, drop("bert.encoder.layer.1.attention.self.key.weight"), "lacks: bert.encoder.layer.1.attention.self.key.weight"},
		{"duplicate name", cfg, dup, "both name bert.encoder.layer.0.output.dense.bias"},
		{"shape mismatch", wrongCfg, f, "config implies [40 32]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadWeights(newTestVars(), &tt.cfg, tt.src, true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
	// The pooler and classifier may be missing: they are reported, not fatal.
	rep, err := LoadWeights(newTestVars(), &cfg, drop("classifier.bias"), true)
	if err != nil || fmt.Sprint(rep.Missing) != "[classifier.bias]" {
		t.Fatalf("missing classifier.bias: report %v, err %v", rep.Missing, err)
	}
}

// TestPaddingInvariance checks that padding a sequence does not change the
// hidden states of its real tokens, nor its pooled and mean-pooled vectors.
func TestPaddingInvariance(t *testing.T) {
	m := tinyModel(t)
	ids := []int32{2, 11, 22, 33, 3}
	short, err := m.Run(context.Background(), Batch{InputIDs: [][]int32{ids}})
	if err != nil {
		t.Fatal(err)
	}
	padded, err := m.Run(context.Background(), Batch{
		InputIDs:      [][]int32{append(append([]int32{}, ids...), 0, 0, 0, 0, 0, 0, 0)},
		AttentionMask: [][]int32{{1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := maxAbsDiff(t, "hidden", flat2(padded.LastHiddenState[0][:len(ids)]), flat2(short.LastHiddenState[0]))
	d = math.Max(d, maxAbsDiff(t, "mean", padded.MeanPooled[0], short.MeanPooled[0]))
	d = math.Max(d, maxAbsDiff(t, "logits", padded.Logits[0], short.Logits[0]))
	if d > 1e-5 {
		t.Fatalf("padding changed outputs by %.3g", d)
	}
	// Without the mask the padding tokens are attended to, and outputs change.
	unmasked, err := m.Run(context.Background(), Batch{InputIDs: [][]int32{append(append([]int32{}, ids...), 0, 0, 0, 0, 0, 0, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(t, "logits", unmasked.Logits[0], short.Logits[0]); d < 1e-3 {
		t.Fatalf("ignoring the mask changed logits by only %.3g: is the mask applied at all?", d)
	}
}

// TestSaveRoundTrip saves the tiny model and loads it back.
func TestSaveRoundTrip(t *testing.T) {
	m := tinyModel(t)
	dir := t.TempDir()
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	cfg, err := ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(cfg.Labels()) != "[negative neutral positive]" {
		t.Fatalf("labels after save: %v", cfg.Labels())
	}
	for _, name := range []string{"config.json", "model.safetensors"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		} else if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", name, st.Mode().Perm())
		}
	}
	m2, err := LoadWeightsFile(cfg, filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	g := openGolden(t, "testdata/tiny/golden.safetensors")
	out, err := m2.Run(context.Background(), g.batch())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := g.floats("logits")
	if d := maxAbsDiff(t, "logits", flat2(out.Logits), want); d > parityTol {
		t.Fatalf("logits after save/load differ by %.3g", d)
	}
}
