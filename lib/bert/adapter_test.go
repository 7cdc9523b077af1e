package bert

import (
	"errors"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// TestAdapterParameters checks the count 2·(2·h·m + h + m) per layer
// against the listed parameters and against the variables a graph creates.
func TestAdapterParameters(t *testing.T) {
	for _, c := range []struct{ layers, hidden, size, want int }{
		{6, 384, 64, 6 * 2 * (2*384*64 + 384 + 64)}, // all-MiniLM-L6-v2: 595,200
		{2, 16, 4, 2 * 2 * (2*16*4 + 16 + 4)},
		{1, 8, 1, 2 * (2*8 + 8 + 1)},
	} {
		cfg := DefaultConfig(2)
		cfg.NumHiddenLayers, cfg.HiddenSize = c.layers, c.hidden
		cfg.Adapter = &Adapter{Size: c.size}
		n := 0
		for _, p := range AdapterParameters(&cfg) {
			k := 1
			for _, d := range p.Shape {
				k *= d
			}
			n += k
		}
		if n != c.want {
			t.Errorf("L%d H%d m%d: %d adapter parameters, want %d", c.layers, c.hidden, c.size, n, c.want)
		}
	}
	cfg := DefaultConfig(2)
	cfg.NumHiddenLayers = 3
	if got := len(LayerNormParameters(&cfg)); got != 2*(1+2*3) {
		t.Errorf("%d LayerNorm tensors, want %d", got, 2*(1+2*3))
	}
}

// TestAdapterStartsAtBase checks that fresh adapters (up = 0) give exactly
// the base model's logits, create the listed variables with their shapes,
// and change the logits once up is not zero.
func TestAdapterStartsAtBase(t *testing.T) {
	base := loraTiny(t)
	b := loraBatch(base.Config)
	want := logits(t, base, b)
	cfg := base.Config
	cfg.Adapter = &Adapter{Size: 3}
	m, err := New(base.backend, cfg, base.Vars())
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(logits(t, m, b), want); d != 0 {
		t.Errorf("fresh adapters change logits by %g, want exactly 0", d)
	}
	ps := AdapterParameters(&cfg)
	if len(ps) != 4*2*cfg.NumHiddenLayers {
		t.Fatalf("%d adapter tensors, want %d", len(ps), 8*cfg.NumHiddenLayers)
	}
	for _, p := range ps {
		v := variableAt(base.Vars(), p.Name)
		if v == nil {
			t.Fatalf("no variable for %s", p.Name)
		}
		if !IsAdapterVariable(v.Scope()) {
			t.Errorf("%s: IsAdapterVariable(%q) false", p.Name, v.Scope())
		}
		if got := v.Shape().Dimensions; len(got) != len(p.Shape) || got[0] != p.Shape[0] {
			t.Errorf("%s: shape %v, want %v", p.Name, got, p.Shape)
		}
		vals, err := float32Var(base.Vars(), p.Name)
		if err != nil {
			t.Fatal(err)
		}
		nonzero := 0
		for _, x := range vals {
			if x != 0 {
				nonzero++
			}
			if x > 0.1 || x < -0.1 {
				t.Errorf("%s: initial value %g, want near zero", p.Name, x)
				break
			}
		}
		if wantZero := strings.Contains(p.Name, ".up.") || strings.HasSuffix(p.Name, "bias"); wantZero != (nonzero == 0) {
			t.Errorf("%s: %d of %d values non-zero; want up and biases zero, down random", p.Name, nonzero, len(vals))
		}
	}
	// Up no longer zero: the adapters must now change the function.
	for _, p := range ps {
		if strings.HasSuffix(p.Name, "up.weight") {
			v := variableAt(base.Vars(), p.Name)
			vals := make([]float32, v.Shape().Size())
			for i := range vals {
				vals[i] = float32(i%7-3) * 0.5
			}
			if err := v.SetValue(tensors.FromFlatDataAndDimensions(vals, p.Shape...)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if d := maxDiff(logits(t, m, b), want); d < 1e-4 {
		t.Errorf("adapters with up ≠ 0 change logits by only %g", d)
	}
}

func TestAdapterValidate(t *testing.T) {
	for _, size := range []int{0, -3} {
		cfg := DefaultConfig(2)
		cfg.Adapter = &Adapter{Size: size}
		if err := cfg.Validate(); !errors.Is(err, ErrAdapter) {
			t.Errorf("size %d: Validate() = %v, want ErrAdapter", size, err)
		}
	}
}
