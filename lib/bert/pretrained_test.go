package bert

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/lib/safetensors"
)

// pretrainedDir returns the directory of the all-MiniLM-L6-v2 model
// installed by `founderlab models fetch all-minilm-l6-v2` (make test-deps
// runs it). When it is missing the test is skipped with
// a one-line reason (testenv.MissingData), or fails under CI=true (or
// $FOUNDERLAB_REQUIRE_DATA=1) so that CI cannot silently skip the
// real-model parity.
func pretrainedDir(t *testing.T) string {
	t.Helper()
	models := os.Getenv("FOUNDERLAB_MODELS")
	if models == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			t.Fatal(err)
		}
		models = filepath.Join(home, ".cache", "founderlab", "models")
	}
	dir := filepath.Join(models, "all-MiniLM-L6-v2")
	if _, err := os.Stat(filepath.Join(dir, "model.safetensors")); err != nil {
		msg := "needs the pretrained model all-MiniLM-L6-v2: not installed in " + dir + "; run `founderlab models fetch all-minilm-l6-v2` (make test-deps does) or set FOUNDERLAB_MODELS"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		testenv.MissingData(t, msg)
	}
	return dir
}

// minilmInputs is lib/bert/testdata/minilm/inputs.json.
type minilmInputs struct {
	Labels        []string  `json:"labels"`
	Sentences     []any     `json:"sentences"`
	InputIDs      [][]int32 `json:"input_ids"`
	TokenTypeIDs  [][]int32 `json:"token_type_ids"`
	AttentionMask [][]int32 `json:"attention_mask"`
}

func readMinilmInputs(t *testing.T) minilmInputs {
	t.Helper()
	data, err := os.ReadFile("testdata/minilm/inputs.json")
	if err != nil {
		t.Fatal(err)
	}
	var in minilmInputs
	if err := json.Unmarshal(data, &in); err != nil {
		t.Fatal(err)
	}
	return in
}

// sources is a WeightSource reading from several checkpoints in turn.
type sources []WeightSource

func (s sources) Names() []string {
	var out []string
	for _, src := range s {
		out = append(out, src.Names()...)
	}
	return out
}

func (s sources) Float32(name string) ([]float32, []int, error) {
	for _, src := range s {
		if slices.Contains(src.Names(), name) {
			return src.Float32(name)
		}
	}
	return nil, nil, safetensors.ErrNotFound
}

// TestPretrainedParity compares all-MiniLM-L6-v2 (with a seeded random
// classification head) with transformers' outputs from
// scripts/golden-bert-pretrained.py.
func TestPretrainedParity(t *testing.T) {
	dir := pretrainedDir(t)
	in := readMinilmInputs(t)
	cfg, err := ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.SetLabels(in.Labels)
	weights, err := safetensors.Open(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer weights.Close()
	head, err := safetensors.Open("testdata/minilm/classifier.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer head.Close()
	vars := newTestVars()
	rep, err := LoadWeights(vars, &cfg, sources{weights, head}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Missing) != 0 || len(rep.Unused) != 0 {
		t.Fatalf("missing %v, unused %v", rep.Missing, rep.Unused)
	}
	m, err := New(testBackend(t), cfg, vars)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Run(context.Background(), Batch{InputIDs: in.InputIDs, TokenTypeIDs: in.TokenTypeIDs, AttentionMask: in.AttentionMask})
	if err != nil {
		t.Fatal(err)
	}
	g := openGolden(t, "testdata/minilm/golden.safetensors")
	checkParity(t, g, out)
	// Padded positions hold large, meaningless values where float32
	// rounding shows most; the real tokens agree more tightly.
	want, shape := g.floats("last_hidden_state")
	real := 0.0
	for b := range shape[0] {
		for s := range shape[1] {
			if in.AttentionMask[b][s] == 0 {
				continue
			}
			k := (b*shape[1] + s) * shape[2]
			real = max(real, maxAbsDiff(t, "hidden", out.LastHiddenState[b][s], want[k:k+shape[2]]))
		}
	}
	t.Logf("last_hidden_state of real tokens: max |ours - transformers| = %.2g", real)
	if real > 1e-5 {
		t.Errorf("last_hidden_state of real tokens differs by %.3g > 1e-5", real)
	}
}
