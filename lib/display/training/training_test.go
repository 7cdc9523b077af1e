package training

import (
	"strings"
	"testing"
	"time"

	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/janpfeifer/gonb/gonbui"
)

// TestViewRedraws feeds the notebook view a run's events: steps redraw at
// most twice a second (and at the last step), epochs and resumes always.
func TestViewRedraws(t *testing.T) {
	var v view
	t0 := time.Unix(1000, 0)
	var redraws []int
	feed := func(e finetune.Event, at time.Duration) {
		if v.update(e, t0.Add(at)) {
			redraws = append(redraws, e.Step)
		}
	}
	feed(finetune.Event{Kind: finetune.EventResume, Epoch: 1, Epochs: 2, Step: 1, Steps: 4}, 0)
	feed(finetune.Event{Kind: finetune.EventStep, Epoch: 1, Epochs: 2, Step: 2, Steps: 4, Loss: 0.7, Elapsed: time.Second}, 100*time.Millisecond)
	feed(finetune.Event{Kind: finetune.EventCheckpoint, Epoch: 1, Epochs: 2, Step: 2, Steps: 4}, 200*time.Millisecond)
	feed(finetune.Event{Kind: finetune.EventStep, Epoch: 1, Epochs: 2, Step: 3, Steps: 4, Loss: 0.6, Elapsed: 2 * time.Second}, 700*time.Millisecond)
	feed(finetune.Event{Kind: finetune.EventEpoch, Epoch: 1, Epochs: 2, Step: 3, Steps: 4, Elapsed: 3 * time.Second,
		Result: &finetune.EpochResult{Epoch: 1, TrainLoss: 0.65, TrainAcc: 0.5, Dev: metrics.Report{N: 4, Accuracy: 0.75, F1: 0.8}}}, 800*time.Millisecond)
	feed(finetune.Event{Kind: finetune.EventStep, Epoch: 2, Epochs: 2, Step: 4, Steps: 4, Loss: 0.5, Elapsed: 4 * time.Second}, 900*time.Millisecond)
	if got := redraws; len(got) != 4 || got[0] != 1 || got[1] != 3 || got[2] != 3 || got[3] != 4 {
		t.Errorf("redrawn at steps %v, want [1 3 3 4] (resume, step 3, epoch, last step)", got)
	}
	page := v.html()
	for _, want := range []string{
		"epoch 2/2 · step 4/4 · loss 0.5000 · 1.00 s/step eta 0s",
		`<div style="width:100.0%;`,
		"<div>resumed from checkpoint at step 1</div>",
		"<div>epoch 1: train loss 0.6500 acc 0.5000 | dev loss 0.0000 acc 0.7500 f1 0.8000</div>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("display lacks %q:\n%s", want, page)
		}
	}
}

func TestProgressOutsideNotebookWritesLines(t *testing.T) {
	if gonbui.IsNotebook {
		t.Skip("running inside a GoNB cell")
	}
	var b strings.Builder
	p := Progress(&b)
	p(finetune.Event{Kind: finetune.EventResume, Epoch: 2, Epochs: 5, Step: 10, Steps: 50})
	if got, want := b.String(), "resuming from checkpoint at step 10/50 (epoch 2/5)\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}
