package finetune

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/bert"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// TestLoRAFit fine-tunes the tiny model with LoRA, without and with the
// pooler trained, and checks that the base weights did not move, that the
// adapters, the head (and the pooler) did, that the optimizer kept state
// only for them, and that the loss fell.
func TestLoRAFit(t *testing.T) {
	for _, pooler := range []bool{false, true} {
		t.Run(fmt.Sprintf("pooler=%v", pooler), func(t *testing.T) {
			train, dev := synthetic(96, 1), synthetic(32, 2)
			o := testOptions("")
			o.Epochs, o.LearningRate = 4, 1e-2
			l := bert.DefaultLoRA(4)
			l.TrainPooler = pooler
			o.LoRA = &l
			tr := newTrainer(t, o)
			// Materialise the base weights before training, to compare after.
			if _, err := tr.Predict(context.Background(), dev[:2]); err != nil {
				t.Fatal(err)
			}
			before := weights(tr.Vars())
			var losses []float64
			h, err := tr.Fit(context.Background(), train, dev, nil, func(e Event) {
				if e.Kind == EventStep {
					losses = append(losses, e.Loss)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			isTrained := func(scope string) bool {
				return strings.Contains(scope, "lora_") || strings.HasPrefix(scope, "/classifier") ||
					(pooler && strings.HasPrefix(scope, "/bert/pooler"))
			}
			after := weights(tr.Vars())
			var trained []string
			for name, w := range after {
				lora := strings.Contains(name, "lora_")
				b, ok := before[name]
				switch {
				case !ok:
					t.Errorf("%s appeared during training", name)
				case !isTrained(name) && !slices.Equal(w, b):
					t.Errorf("frozen %s changed", name)
				case isTrained(name) && (!lora || strings.Contains(name, "lora_B")) && slices.Equal(w, b):
					t.Errorf("trained %s did not change", name)
				}
				if isTrained(name) {
					trained = append(trained, name)
				}
			}
			want := 2*2*2 + 2 // A, B of query and value in 2 layers; head weight and bias
			if pooler {
				want += 2
			}
			if len(trained) != want {
				t.Errorf("%d trained variables %v, want %d", len(trained), trained, want)
			}
			var moments int
			for v := range tr.Vars().IterVariables() {
				if strings.HasPrefix(v.Scope(), OptimizerScope+"/") && strings.HasSuffix(v.Name(), "#m") {
					moments++
					if s := strings.TrimPrefix(v.Scope(), OptimizerScope); !isTrained(s) {
						t.Errorf("optimizer state for frozen %s/%s", s, v.Name())
					}
				}
			}
			if moments != len(trained) {
				t.Errorf("%d first moments, want one per trained variable (%d)", moments, len(trained))
			}
			wantParams := 2*2*(4*16+16*4) + 16*2 + 2
			if pooler {
				wantParams += 16*16 + 16
			}
			if got := tr.TrainableParams(); got != wantParams {
				t.Errorf("TrainableParams() = %d, want %d", got, wantParams)
			}
			first, last := mean(losses[:12]), mean(losses[len(losses)-12:])
			t.Logf("LoRA: trainable %d of %d; loss %.3f → %.3f; dev acc %.3f", tr.TrainableParams(), newTrainer(t, testOptions("")).TrainableParams(),
				first, last, h.Epochs[len(h.Epochs)-1].Dev.Accuracy)
			if !(last < first) {
				t.Errorf("loss did not fall: %.4f → %.4f", first, last)
			}
		})
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// TestLoRAExport trains with LoRA, exports the merged model and the PEFT
// adapter, and checks that the merged model reloaded by lib/bert and the
// adapter reloaded over the base model give the trainer's predictions. With
// $FOUNDERLAB_REF_PYTHON set, PyPI peft loads the base model and our
// adapter (scripts/golden-finetune-peft.py check) and must give our logits
// within 1e-4, before and after merge_and_unload, and count the same
// trainable parameters; and an adapter written by peft must load here and
// give peft's logits within 1e-4.
func TestLoRAExport(t *testing.T) {
	for _, pooler := range []bool{false, true} {
		t.Run(fmt.Sprintf("pooler=%v", pooler), func(t *testing.T) { testLoRAExport(t, pooler) })
	}
}

func testLoRAExport(t *testing.T, pooler bool) {
	train, dev := synthetic(48, 1), synthetic(16, 2)
	o := testOptions("")
	o.Epochs = 2
	l := bert.LoRA{Rank: 4, Alpha: 8, Dropout: 0.1, Targets: bert.TargetQuery | bert.TargetValue | bert.TargetOutput, TrainPooler: pooler}
	o.LoRA = &l
	tr := newTrainer(t, o)
	// The base model, saved before training: with the pooler trained, the
	// weights in tr.Vars() after training are no longer the base model's.
	if _, err := tr.Predict(context.Background(), dev[:2]); err != nil {
		t.Fatal(err)
	}
	base, adapter := filepath.Join(t.TempDir(), "base"), filepath.Join(t.TempDir(), "adapter")
	plain := tinyConfig()
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := bert.Save(base, tr.Vars(), &plain, true); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Fit(context.Background(), train, dev, nil, nil); err != nil {
		t.Fatal(err)
	}
	// Two epochs move B (and the pooler) little on this tiny model: give
	// them random values so that a wrongly loaded or ignored adapter misses
	// the tolerance by far (the check below requires it).
	r := rand.New(rand.NewPCG(8, 9))
	for v := range tr.Vars().IterVariables() {
		if strings.HasPrefix(v.Scope(), OptimizerScope) {
			continue
		}
		if strings.HasSuffix(v.Scope(), "/lora_B") || (pooler && strings.HasSuffix(v.Scope(), "/bert/pooler/dense")) {
			vals := make([]float32, v.Shape().Size())
			for i := range vals {
				vals[i] = float32(r.NormFloat64() * 3)
			}
			if err := v.SetValue(tensors.FromFlatDataAndDimensions(vals, v.Shape().Dimensions...)); err != nil {
				t.Fatal(err)
			}
		}
	}
	probs, err := tr.Predict(context.Background(), dev)
	if err != nil {
		t.Fatal(err)
	}
	var batch bert.Batch
	for _, e := range dev {
		batch.InputIDs = append(batch.InputIDs, e.InputIDs)
		batch.AttentionMask = append(batch.AttentionMask, e.AttentionMask)
	}
	check := func(what string, m *bert.Model) [][]float32 {
		t.Helper()
		res, err := m.Run(context.Background(), batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, lg := range res.Logits {
			if p := softmax(lg); math.Abs(p[1]-probs[i][1]) > 1e-5 {
				t.Fatalf("%s: example %d: p=%v, trainer %v", what, i, p, probs[i])
			}
		}
		return res.Logits
	}

	merged := filepath.Join(t.TempDir(), "merged")
	if err := tr.Export(merged, ""); err != nil {
		t.Fatal(err)
	}
	cfg, err := bert.ReadConfig(merged)
	if err != nil {
		t.Fatal(err)
	}
	m, err := bert.LoadWeightsFile(cfg, filepath.Join(merged, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	logits := check("merged export", m)

	// The adapter, over the base model saved before training.
	if err := tr.ExportAdapter(adapter, base); err != nil {
		t.Fatal(err)
	}
	bm, err := bert.LoadWeightsFile(plain, filepath.Join(base, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := bert.LoadLoRAAdapter(adapter, bm.Vars(), &bm.Config)
	if err != nil {
		t.Fatal(err)
	}
	if got.TrainPooler != pooler {
		t.Errorf("adapter read back with TrainPooler %v, want %v", got.TrainPooler, pooler)
	}
	bm.Config.LoRA = &got
	check("base + adapter", bm)

	py := os.Getenv(EnvRefPython)
	if py == "" {
		t.Logf("$%s not set: peft round trip skipped", EnvRefPython)
		return
	}
	cases := map[string]any{"input_ids": batch.InputIDs, "attention_mask": batch.AttentionMask, "logits": logits,
		"trainable_params": tr.TrainableParams()}
	out := runPeft(t, py, "check", base, adapter, cases)
	t.Logf("peft check: %s", out)

	if pooler {
		return // the other direction does not depend on the pooler
	}
	// The other direction: an adapter that peft wrote loads here.
	written := filepath.Join(t.TempDir(), "peft-written")
	t.Logf("peft write: %s", runPeft(t, py, "write", base, written, cases))
	var want struct{ Logits [][]float64 }
	data, err := os.ReadFile(filepath.Join(written, "logits.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	pm, err := bert.LoadWeightsFile(plain, filepath.Join(base, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := bert.LoadLoRAAdapter(written, pm.Vars(), &pm.Config)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Rank != 2 || pl.Alpha != 5 || pl.Targets != bert.TargetQuery|bert.TargetKey|bert.TargetIntermediate {
		t.Errorf("peft adapter read as %+v, want rank 2, alpha 5, query|key|intermediate", pl)
	}
	pm.Config.LoRA = &pl
	res, err := pm.Run(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	d := 0.0
	for i := range res.Logits {
		for j := range res.Logits[i] {
			d = max(d, math.Abs(float64(res.Logits[i][j])-want.Logits[i][j]))
		}
	}
	t.Logf("peft-written adapter in Go: max |Go - peft| = %.2g", d)
	if d > 1e-4 {
		t.Errorf("peft-written adapter: logits differ by %g > 1e-4", d)
	}
}

// runPeft runs scripts/golden-finetune-peft.py in mode with the cases.
func runPeft(t *testing.T, py, mode, base, adapter string, cases map[string]any) string {
	t.Helper()
	js, _ := json.Marshal(cases)
	casesPath := filepath.Join(t.TempDir(), "cases.json")
	if err := os.WriteFile(casesPath, js, 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("../../../scripts/golden-finetune-peft.py")
	cmd := exec.Command(py, script, mode, base, adapter, casesPath)
	cmd.Env = append(os.Environ(), "HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("peft %s failed: %v\n%s", mode, err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}
