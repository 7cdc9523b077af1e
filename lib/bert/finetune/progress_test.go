package finetune

import (
	"strings"
	"testing"
	"time"

	"github.com/founderlab/founderlab/lib/metrics"
)

func TestTerminalProgress(t *testing.T) {
	var b strings.Builder
	p := TerminalProgress(&b, time.Hour)
	p(Event{Kind: EventResume, Epoch: 2, Epochs: 5, Step: 10, Steps: 50})
	for s := 11; s <= 20; s++ {
		p(Event{Kind: EventStep, Epoch: 2, Epochs: 5, Step: s, Steps: 50, Loss: 0.5, LR: 2e-5, Elapsed: time.Duration(s) * time.Second})
	}
	p(Event{Kind: EventEpoch, Epoch: 2, Epochs: 5, Step: 20, Steps: 50, Elapsed: 20 * time.Second,
		Result: &EpochResult{Epoch: 2, TrainLoss: 0.4, TrainAcc: 0.8, Dev: metrics.Report{N: 10, Accuracy: 0.9, F1: 0.85, ROCAUC: 0.95}}})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	// resume, the first step line only (interval of an hour), epoch summary.
	if len(lines) != 3 {
		t.Fatalf("got %d lines:\n%s", len(lines), b.String())
	}
	for i, want := range []string{"resuming from checkpoint at step 10/50", "epoch 2/5 step 11/50 (22%) loss 0.5000 lr 2e-05 1.00 s/step eta 39s", "epoch 2/5 done: train loss 0.4000 acc 0.8000 | dev loss 0.0000 acc 0.9000 f1 0.8500 auc 0.9500 | 20s"} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], want)
		}
	}
}

func TestEventKindString(t *testing.T) {
	for k, want := range map[EventKind]string{EventStep: "step", EventEpoch: "epoch", EventCheckpoint: "checkpoint", EventResume: "resume", 0: "EventKind(0)"} {
		if got := k.String(); got != want {
			t.Errorf("EventKind(%d).String() = %q, want %q", uint8(k), got, want)
		}
	}
}

func TestMetricString(t *testing.T) {
	for m, want := range map[Metric]string{MetricF1: "f1", MetricAccuracy: "accuracy", MetricROCAUC: "roc_auc", MetricLoss: "loss", 9: "Metric(9)"} {
		if got := m.String(); got != want {
			t.Errorf("Metric(%d).String() = %q, want %q", uint8(m), got, want)
		}
	}
	if DefaultOptions().Metric != MetricF1 || (Options{}).Metric != MetricF1 {
		t.Error("the default metric is not F1")
	}
}

func TestNewExample(t *testing.T) {
	e := NewExample([]int{101, 7, 102, 0}, nil, []int{1, 1, 1, 0}, 1)
	if len(e.InputIDs) != 4 || e.InputIDs[0] != 101 || e.TokenTypeIDs != nil || e.AttentionMask[3] != 0 || e.Label != 1 {
		t.Errorf("NewExample = %+v", e)
	}
}
