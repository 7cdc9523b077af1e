package finetune

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/gomlx/gomlx/backends"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// TestAdapterFit fine-tunes the tiny model with bottleneck adapters and
// checks that only the adapters, the LayerNorms and the head moved, that
// the optimizer kept state only for them, that TrainableParams follows the
// formula, that the loss fell, and that Export refuses the model.
func TestAdapterFit(t *testing.T) {
	for _, freeze := range []bool{false, true} {
		name := map[bool]string{false: "layernorm trained", true: "layernorm frozen"}[freeze]
		t.Run(name, func(t *testing.T) {
			train, dev := synthetic(96, 1), synthetic(32, 2)
			o := testOptions("")
			o.Epochs, o.LearningRate = 4, 1e-2
			o.Adapter = &bert.Adapter{Size: 4, FreezeLayerNorm: freeze}
			tr := newTrainer(t, o)
			if _, err := tr.Predict(context.Background(), dev[:2]); err != nil { // materialise all weights
				t.Fatal(err)
			}
			before := weights(tr.Vars())
			var losses []float64
			if _, err := tr.Fit(context.Background(), train, dev, nil, func(e Event) {
				if e.Kind == EventStep {
					losses = append(losses, e.Loss)
				}
			}); err != nil {
				t.Fatal(err)
			}
			var moved []string
			for name, w := range weights(tr.Vars()) {
				trainable := strings.Contains(name, "/adapter/") || strings.HasPrefix(name, "/classifier") ||
					(!freeze && strings.Contains(name, "/LayerNorm"))
				changed := !slices.Equal(w, before[name])
				switch {
				case !trainable && changed:
					t.Errorf("frozen %s changed", name)
				case trainable && changed:
					moved = append(moved, name)
				}
			}
			// 2 layers × 2 adapters × (down, up) weights and biases, the head's 2; + 5 LayerNorms × 2.
			want := 2*2*4 + 2
			if !freeze {
				want += 10
			}
			if len(moved) != want {
				t.Errorf("%d variables moved, want %d: %v", len(moved), want, moved)
			}
			moments := 0
			for v := range tr.Vars().IterVariables() {
				if strings.HasPrefix(v.Scope(), OptimizerScope+"/") && strings.HasSuffix(v.Name(), "#m") {
					moments++
				}
			}
			if moments != want {
				t.Errorf("%d first moments, want one per trained variable (%d)", moments, want)
			}
			wantParams := 2*2*(2*16*4+16+4) + 16*2 + 2
			if !freeze {
				wantParams += 5 * 2 * 16
			}
			if got := tr.TrainableParams(); got != wantParams {
				t.Errorf("TrainableParams() = %d, want %d", got, wantParams)
			}
			first, last := mean(losses[:12]), mean(losses[len(losses)-12:])
			t.Logf("adapters (%s): trainable %d; loss %.3f → %.3f", name, tr.TrainableParams(), first, last)
			if !(last < first) {
				t.Errorf("loss did not fall: %.4f → %.4f", first, last)
			}
			if err := tr.Export(t.TempDir(), ""); !errors.Is(err, ErrAdapterExport) {
				t.Errorf("Export() = %v, want ErrAdapterExport", err)
			}
		})
	}
}

func TestAdapterOptionErrors(t *testing.T) {
	l := bert.DefaultLoRA(4)
	for _, c := range []struct {
		name string
		o    func(*Options)
	}{
		{"zero size", func(o *Options) { o.Adapter = &bert.Adapter{} }},
		{"with LoRA", func(o *Options) { o.Adapter, o.LoRA = &bert.Adapter{Size: 4}, &l }},
	} {
		o := testOptions("")
		c.o(&o)
		if _, err := NewTrainer(testBackend(t), tinyConfig(), mlctx.New(), o); err == nil {
			t.Errorf("%s: NewTrainer succeeded", c.name)
		}
	}
}

// TestAdapterSymptoms trains adapters of all-MiniLM-L6-v2 on 128 real
// Symptom2Disease cases (32 tokens each) for 4 epochs on XLA's CPU plugin
// and checks that the training loss and the loss on 48 dev cases fall. It needs the pretrained model, the data
// set ($FOUNDERLAB_DATA) and the plugin, and is skipped without them or
// with -short.
func TestAdapterSymptoms(t *testing.T) {
	if testing.Short() {
		t.Skip("trains all-MiniLM-L6-v2")
	}
	ctx := context.Background()
	cases, err := datasets.LoadSymptom2Disease(ctx)
	if err != nil {
		t.Skipf("no Symptom2Disease: %v", err)
	}
	t.Setenv("FOUNDERLAB_OFFLINE", "1")
	dir, err := bert.Pretrained(ctx, bert.DefaultModel)
	if err != nil {
		t.Skipf("no pretrained model: %v", err)
	}
	m, err := bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := datasets.SplitSymptoms(cases, 42, 0.15, 0.15)
	if err != nil {
		t.Fatal(err)
	}
	enc := func(part []datasets.SymptomCase, n int) []Example {
		texts, labels := datasets.SymptomTextsLabels(part[:n])
		ex, err := Encode(ctx, m.Tokenizer(), texts, labels, 32)
		if err != nil {
			t.Fatal(err)
		}
		return ex
	}
	cfg := m.Config
	cfg.SetLabels(datasets.SymptomLabelNames())
	o := DefaultOptions()
	o.Epochs, o.LearningRate, o.RestoreBest = 4, 3e-3, false
	o.Adapter = &bert.Adapter{Size: 16}
	p, err := backend.FindCPUPlugin()
	if err != nil {
		t.Skipf("no XLA CPU plugin: %v", err)
	}
	b, err := backends.NewWithConfig("xla:" + p)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Finalize()
	tr, err := NewTrainer(b, cfg, m.Vars(), o)
	if err != nil {
		t.Fatal(err)
	}
	dev := enc(s.Dev, 48)
	majority := 0
	for _, e := range dev {
		majority += 1 - e.Label
	}
	h, err := tr.Fit(ctx, enc(s.Train, 128), dev, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, last := h.Epochs[0], h.Epochs[len(h.Epochs)-1]
	base := float64(max(majority, len(dev)-majority)) / float64(len(dev))
	t.Logf("train loss %.3f → %.3f, dev loss %.3f → %.3f, dev accuracy %.3f → %.3f (majority class %.3f)",
		first.TrainLoss, last.TrainLoss, first.DevLoss, last.DevLoss, first.Dev.Accuracy, last.Dev.Accuracy, base)
	if !(last.TrainLoss < first.TrainLoss) {
		t.Errorf("training loss did not fall: %.4f → %.4f", first.TrainLoss, last.TrainLoss)
	}
	if !(last.DevLoss < first.DevLoss) {
		t.Errorf("dev loss did not fall: %.4f → %.4f", first.DevLoss, last.DevLoss)
	}
}
