package bert

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/safetensors"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// loraTiny is tinyModel on SimpleGo: the LoRA tests build some thirty
// graphs of the tiny model, which SimpleGo runs at once and XLA would
// compile for minutes on a loaded machine; the parity tests cover XLA.
func loraTiny(t *testing.T) *Model {
	t.Helper()
	t.Setenv(backend.EnvBackend, "go")
	return tinyModel(t)
}

// loraBatch is a fixed batch of token ids for the tiny model, the second
// row padded.
func loraBatch(cfg Config) Batch {
	r := rand.New(rand.NewPCG(3, 4))
	var b Batch
	for i := range 3 {
		ids, mask := make([]int32, 9), make([]int32, 9)
		for j := range ids {
			ids[j], mask[j] = int32(r.IntN(cfg.VocabSize)), 1
		}
		if i == 1 {
			ids[7], ids[8], mask[7], mask[8] = 0, 0, 0, 0
		}
		b.InputIDs, b.AttentionMask = append(b.InputIDs, ids), append(b.AttentionMask, mask)
	}
	return b
}

// adaptedTiny returns the tiny checkpoint's model with a LoRA adapter of
// rank 3, alpha 6, on targets, whose A and B hold seeded random values (B is
// not zero, so the adapter changes the logits), and its base model (the
// same variables without LoRA).
func adaptedTiny(t *testing.T, targets Target) (adapted, base *Model) {
	t.Helper()
	base = loraTiny(t)
	cfg := base.Config
	cfg.LoRA = &LoRA{Rank: 3, Alpha: 6, Targets: targets}
	r := rand.New(rand.NewPCG(5, uint64(targets)))
	for _, p := range LoRAParameters(&cfg) {
		v := make([]float32, p.Shape[0]*p.Shape[1])
		for i := range v {
			v[i] = float32(r.NormFloat64() * 0.2)
		}
		if err := setVariable(base.Vars(), p.Name, tensors.FromFlatDataAndDimensions(v, p.Shape...)); err != nil {
			t.Fatal(err)
		}
	}
	adapted, err := New(base.backend, cfg, base.Vars())
	if err != nil {
		t.Fatal(err)
	}
	return adapted, base
}

func logits(t *testing.T, m *Model, b Batch) [][]float32 {
	t.Helper()
	out, err := m.Run(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return out.Logits
}

func maxDiff(a, b [][]float32) float64 {
	d := 0.0
	for i := range a {
		for j := range a[i] {
			d = max(d, math.Abs(float64(a[i][j]-b[i][j])))
		}
	}
	return d
}

var targetCases = []struct {
	name    string
	targets Target
}{
	{"default query|value", 0},
	{"key", TargetKey},
	{"attention output", TargetAttentionOutput},
	{"feed-forward", TargetIntermediate | TargetOutput},
	{"all", targetAll},
}

// TestLoRAStartsAtBase checks that a fresh adapter (B = 0) leaves the
// model's function unchanged and creates A and B with PEFT's shapes.
func TestLoRAStartsAtBase(t *testing.T) {
	base := loraTiny(t)
	b := loraBatch(base.Config)
	want := logits(t, base, b)
	cfg := base.Config
	cfg.LoRA = &LoRA{Rank: 4, Alpha: 8, Targets: targetAll}
	m, err := New(base.backend, cfg, base.Vars())
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(logits(t, m, b), want); d > 1e-6 {
		t.Errorf("fresh adapter changes logits by %g, want 0 (up to rounding)", d)
	}
	for _, p := range LoRAParameters(&cfg) {
		v := variableAt(base.Vars(), p.Name)
		if v == nil {
			t.Fatalf("no variable for %s", p.Name)
		}
		if got := v.Shape().Dimensions; got[0] != p.Shape[0] || got[1] != p.Shape[1] {
			t.Errorf("%s: shape %v, want %v", p.Name, got, p.Shape)
		}
		vals, _ := float32Var(base.Vars(), p.Name)
		bound, nonzero := 1/math.Sqrt(float64(p.Shape[1])), 0
		for _, x := range vals {
			if x != 0 {
				nonzero++
			}
			if math.Abs(float64(x)) > bound {
				t.Fatalf("%s: value %g outside ±%g", p.Name, x, bound)
			}
		}
		if isB := strings.Contains(p.Name, "lora_B"); isB != (nonzero == 0) {
			t.Errorf("%s: %d of %d values non-zero; want B all zero and A random", p.Name, nonzero, len(vals))
		}
	}
}

// TestMergeLoRA checks W' = W + (alpha/r)·B·A: the merged weights, loaded
// into a plain model, and the weights merged in place give the adapted
// model's logits within 1e-5, for every kind of target.
func TestMergeLoRA(t *testing.T) {
	for _, c := range targetCases {
		t.Run(c.name, func(t *testing.T) {
			adapted, base := adaptedTiny(t, c.targets)
			b := loraBatch(base.Config)
			want := logits(t, adapted, b)
			if d := maxDiff(want, logits(t, base, b)); d < 1e-3 {
				t.Fatalf("adapter changes logits by only %g: the test would not see a wrong merge", d)
			}
			ts, err := MergedWeights(adapted.Vars(), &adapted.Config, true)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "merged.safetensors")
			if err := safetensors.WriteFile(path, ts, nil); err != nil {
				t.Fatal(err)
			}
			plain, err := LoadWeightsFile(base.Config, path)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(logits(t, plain, b), want); d > 1e-5 {
				t.Errorf("merged weights: logits differ by %g > 1e-5", d)
			}
			cfg, err := MergeLoRA(adapted.Vars(), adapted.Config)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.LoRA != nil {
				t.Fatal("MergeLoRA returned a config with LoRA")
			}
			for _, p := range LoRAParameters(&adapted.Config) {
				if variableAt(adapted.Vars(), p.Name) != nil {
					t.Errorf("%s still exists after MergeLoRA", p.Name)
				}
			}
			merged, err := New(adapted.backend, cfg, adapted.Vars())
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(logits(t, merged, b), want); d > 1e-5 {
				t.Errorf("merged in place: logits differ by %g > 1e-5", d)
			}
		})
	}
}

// TestAdapterRoundTrip saves an adapter in PEFT's format, loads it over a
// fresh copy of the base model and compares logits.
func TestAdapterRoundTrip(t *testing.T) {
	for _, c := range targetCases {
		t.Run(c.name, func(t *testing.T) {
			adapted, _ := adaptedTiny(t, c.targets)
			adapted.Config.LoRA.Dropout = 0.05
			b := loraBatch(adapted.Config)
			want := logits(t, adapted, b)
			dir := filepath.Join(t.TempDir(), "adapter")
			if err := SaveLoRAAdapter(dir, adapted.Vars(), &adapted.Config, "tiny"); err != nil {
				t.Fatal(err)
			}
			fresh := loraTiny(t)
			l, err := LoadLoRAAdapter(dir, fresh.Vars(), &fresh.Config)
			if err != nil {
				t.Fatal(err)
			}
			if wantL := *adapted.Config.LoRA; l.Rank != wantL.Rank || l.Alpha != wantL.Alpha || l.Dropout != wantL.Dropout || l.targets() != wantL.targets() {
				t.Errorf("loaded %+v, saved %+v", l, wantL)
			}
			cfg := fresh.Config
			cfg.LoRA = &l
			m, err := New(fresh.backend, cfg, fresh.Vars())
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(logits(t, m, b), want); d > 1e-6 {
				t.Errorf("reloaded adapter: logits differ by %g", d)
			}
		})
	}
}

// TestBadAdapters checks that damaged adapters give errors wrapping
// ErrLoRA that name the problem.
func TestBadAdapters(t *testing.T) {
	adapted, _ := adaptedTiny(t, 0)
	good := filepath.Join(t.TempDir(), "good")
	if err := SaveLoRAAdapter(good, adapted.Vars(), &adapted.Config, ""); err != nil {
		t.Fatal(err)
	}
	cfgJSON, _ := os.ReadFile(filepath.Join(good, AdapterConfigFile))
	weights, _ := os.ReadFile(filepath.Join(good, AdapterWeightsFile))
	for _, c := range []struct {
		name, want string
		config     func(string) string
		tensors    func([]safetensors.Tensor) []safetensors.Tensor
	}{
		{name: "dora", want: "use_dora", config: func(s string) string {
			return strings.Replace(s, `"use_dora": false`, `"use_dora": true`, 1)
		}},
		{name: "task", want: "task_type", config: func(s string) string {
			return strings.Replace(s, `"SEQ_CLS"`, `"CAUSAL_LM"`, 1)
		}},
		{name: "rank pattern", want: "rank_pattern", config: func(s string) string {
			return strings.Replace(s, `"rank_pattern": {}`, `"rank_pattern": {"query": 2}`, 1)
		}},
		{name: "rank mismatch", want: "shape", config: func(s string) string {
			return strings.Replace(s, `"r": 3`, `"r": 4`, 1)
		}},
		{name: "missing layer", want: "tensors, want", tensors: func(ts []safetensors.Tensor) []safetensors.Tensor {
			return ts[1:]
		}},
		{name: "layer out of range", want: "layer", tensors: func(ts []safetensors.Tensor) []safetensors.Tensor {
			ts[0].Name = strings.Replace(ts[0].Name, "layer.0.", "layer.7.", 1)
			return ts
		}},
		{name: "foreign tensor", want: "unexpected tensor", tensors: func(ts []safetensors.Tensor) []safetensors.Tensor {
			ts[0].Name = strings.Replace(ts[0].Name, "lora_A", "lora_embedding_A", 1)
			return ts
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cj, w := string(cfgJSON), weights
			if c.config != nil {
				if cj = c.config(cj); cj == string(cfgJSON) {
					t.Fatal("config edit did not apply")
				}
			}
			os.WriteFile(filepath.Join(dir, AdapterConfigFile), []byte(cj), 0o644)
			os.WriteFile(filepath.Join(dir, AdapterWeightsFile), w, 0o644)
			if c.tensors != nil {
				ts, _, err := safetensors.ReadFile(filepath.Join(good, AdapterWeightsFile))
				if err != nil {
					t.Fatal(err)
				}
				if err := safetensors.WriteFile(filepath.Join(dir, AdapterWeightsFile), c.tensors(ts), nil); err != nil {
					t.Fatal(err)
				}
			}
			fresh := loraTiny(t)
			_, err := LoadLoRAAdapter(dir, fresh.Vars(), &fresh.Config)
			if !errors.Is(err, ErrLoRA) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want ErrLoRA mentioning %q", err, c.want)
			}
		})
	}
}

func TestLoRAValidate(t *testing.T) {
	for _, c := range []struct {
		l  LoRA
		ok bool
	}{
		{DefaultLoRA(8), true},
		{LoRA{Rank: 1, Alpha: 1}, true},
		{LoRA{Rank: 0, Alpha: 1}, false},
		{LoRA{Rank: 4, Alpha: 0}, false},
		{LoRA{Rank: 4, Alpha: math.NaN()}, false},
		{LoRA{Rank: 4, Alpha: 4, Dropout: 1}, false},
		{LoRA{Rank: 4, Alpha: 4, Targets: 1 << 7}, false},
	} {
		if err := c.l.Validate(); (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrLoRA)) {
			t.Errorf("%+v: Validate() = %v, want ok=%v", c.l, err, c.ok)
		}
	}
	if got, want := (TargetQuery | TargetOutput).String(), "attention.self.query|output.dense"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := DefaultLoRA(8).Scaling(); got != 2 {
		t.Errorf("DefaultLoRA(8).Scaling() = %g, want 2", got)
	}
}
