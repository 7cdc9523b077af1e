package training

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/charts"
	"github.com/founderlab/founderlab/lib/tensorboard"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// TestLiveChartSeesWhatTensorBoardSees trains a tiny BERT with a
// TensorBoard log directory and a live chart side by side, and checks that
// the chart recorded exactly the scalars the event files hold: the same
// tags, steps and values (float32, as tfevents stores them).
func TestLiveChartSeesWhatTensorBoardSees(t *testing.T) {
	t.Setenv(backend.EnvBackend, "go")
	choice, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	cfg := bert.DefaultConfig(2)
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads = 30, 8, 1, 2
	cfg.IntermediateSize, cfg.MaxPositionEmbeddings = 16, 8
	r := rand.New(rand.NewPCG(1, 2))
	examples := func(n int) []finetune.Example {
		ex := make([]finetune.Example, n)
		for i := range ex {
			ids := []int32{1, int32(2 + r.IntN(28)), int32(2 + r.IntN(28)), 2}
			ex[i] = finetune.Example{InputIDs: ids, Label: int(ids[1]) % 2}
		}
		return ex
	}
	opt := finetune.DefaultOptions()
	opt.Epochs, opt.BatchSize, opt.LearningRate, opt.RestoreBest, opt.LogDir = 2, 4, 1e-3, false, t.TempDir()
	tr, err := finetune.NewTrainer(choice.Backend, cfg, mlctx.New(), opt)
	if err != nil {
		t.Fatal(err)
	}
	live := NewLiveChart("test")
	if _, err := tr.Fit(context.Background(), examples(12), examples(8), examples(8), live.Observe); err != nil {
		t.Fatal(err)
	}
	logged, err := tensorboard.ReadDir(opt.LogDir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Point{}
	for _, s := range logged {
		if s.Tag != finetune.TagTrainableParams {
			want[s.Tag] = append(want[s.Tag], Point{int(s.Step), s.Value})
		}
	}
	got := live.Scalars()
	if len(got.Tags()) != len(want) {
		t.Errorf("chart has tags %v, TensorBoard %d tags", got.Tags(), len(want))
	}
	for tag, pts := range want {
		chart := got.Series(tag)
		if len(chart) != len(pts) {
			t.Errorf("%s: chart has %d points, TensorBoard %d", tag, len(chart), len(pts))
			continue
		}
		for i := range pts {
			if chart[i].Step != pts[i].Step || float32(chart[i].Value) != float32(pts[i].Value) {
				t.Errorf("%s point %d: chart %+v, TensorBoard %+v", tag, i, chart[i], pts[i])
			}
		}
	}
	if n := len(got.Series(finetune.TagLoss)); n != 6 {
		t.Errorf("%d loss points, want 6 (3 steps × 2 epochs)", n)
	}
	if n := len(got.Series("test/accuracy")); n != 2 {
		t.Errorf("%d test accuracy points, want one per epoch", n)
	}
	if live.ChartTitle() != "test: step 6/6" {
		t.Errorf("title %q", live.ChartTitle())
	}
}

// option returns the ECharts option of the scalars' chart as generic JSON.
func option(t *testing.T, s *Scalars) map[string]any {
	t.Helper()
	js, err := charts.OptionJSON(s.Chart("run"))
	if err != nil {
		t.Fatal(err)
	}
	var o map[string]any
	if err := json.Unmarshal([]byte(js), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestChartPanels(t *testing.T) {
	var s Scalars
	for step := 1; step <= 3; step++ {
		s.AddEvent(finetune.Event{Kind: finetune.EventStep, Step: step, Loss: 0.7 / float64(step), LR: 1e-5, GradNorm: 2})
	}
	s.AddEvent(finetune.Event{Kind: finetune.EventCheckpoint, Step: 3}) // no scalars
	s.Add(3, "dev/accuracy", 0.75)
	s.Add(3, "dev/precision", 0.5)
	s.Add(3, "dev/f1", math.NaN())
	o := option(t, &s)
	if n := len(o["grid"].([]any)); n != 4 {
		t.Fatalf("%d grids, want 4", n)
	}
	axis := map[string]float64{}
	data := map[string][]any{}
	for _, x := range o["series"].([]any) {
		m := x.(map[string]any)
		axis[m["name"].(string)] = m["yAxisIndex"].(float64)
		data[m["name"].(string)] = m["data"].([]any)
	}
	for tag, want := range map[string]float64{"train/loss": 0, "train/learning_rate": 1, "train/grad_norm": 2, "dev/accuracy": 3, "dev/precision": 3, "dev/f1": 3} {
		if got, ok := axis[tag]; !ok || got != want {
			t.Errorf("%s drawn on plot %v (present %v), want %v", tag, got, ok, want)
		}
	}
	if got := data["train/loss"]; len(got) != 3 || got[2].([]any)[0].(float64) != 3 || math.Abs(got[2].([]any)[1].(float64)-0.7/3) > 1e-12 {
		t.Errorf("train/loss data %v", got)
	}
	if got := data["dev/f1"][0].([]any)[1]; got != "-" {
		t.Errorf("NaN drawn as %v, want a gap", got)
	}
	sel := o["legend"].(map[string]any)["selected"].(map[string]any)
	if sel["dev/precision"] != false || sel["dev/accuracy"] != nil {
		t.Errorf("legend selection %v: want precision hidden, accuracy shown", sel)
	}
	if !slices.Equal(s.Tags(), []string{"train/grad_norm", "train/learning_rate", "train/loss", "dev/accuracy", "dev/precision", "dev/f1"}) {
		t.Errorf("tags %v", s.Tags())
	}
}

func TestChartThinsLongSeries(t *testing.T) {
	var s Scalars
	for step := 1; step <= 2500; step++ {
		s.Add(step, "train/loss", float64(step))
	}
	o := option(t, &s)
	d := o["series"].([]any)[0].(map[string]any)["data"].([]any)
	if len(d) > maxPoints+1 || len(d) < maxPoints/2 {
		t.Errorf("%d points drawn of 2500", len(d))
	}
	if last := d[len(d)-1].([]any)[0].(float64); last != 2500 {
		t.Errorf("last point at step %v, want 2500", last)
	}
}

func TestChartChinese(t *testing.T) {
	for en, zh := range map[string]string{"Training: step 3/3": "训练：第 3/3 步", "gradient norm": "梯度范数", "step": "步"} {
		if got, ok := charts.TranslateTo(charts.Chinese, en); !ok || got != zh {
			t.Errorf("TranslateTo(Chinese, %q) = %q, %v; want %q", en, got, ok, zh)
		}
	}
}
