package finetune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/founderlab/founderlab/lib/bert"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// tinyConfig is a small random BERT that trains in milliseconds per step.
func tinyConfig() bert.Config {
	cfg := bert.DefaultConfig(2)
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads = 40, 16, 2, 2
	cfg.IntermediateSize, cfg.MaxPositionEmbeddings = 32, 16
	return cfg
}

// synthetic makes n sequences of length 8: [CLS]=1, then tokens 5..39 with
// the last two padded for odd examples; label 1 when a token 5..21 appears at
// position 1 — a rule attention must learn to read.
func synthetic(n int, seed uint64) []Example {
	r := rand.New(rand.NewPCG(seed, 9))
	out := make([]Example, n)
	for i := range out {
		ids := make([]int32, 8)
		mask := make([]int32, 8)
		ids[0] = 1
		for j := 1; j < 8; j++ {
			ids[j] = int32(5 + r.IntN(35))
			mask[j] = 1
		}
		mask[0] = 1
		if i%2 == 1 {
			ids[6], ids[7], mask[6], mask[7] = 0, 0, 0, 0
		}
		label := 0
		if ids[1] < 22 {
			label = 1
		}
		out[i] = Example{InputIDs: ids, AttentionMask: mask, Label: label}
	}
	return out
}

func testOptions(dir string) Options {
	o := DefaultOptions()
	o.Epochs, o.BatchSize, o.LearningRate, o.WarmupRatio = 6, 8, 3e-3, 0.1
	o.Seed = 7
	o.CheckpointDir = dir
	return o
}

func newTrainer(t testing.TB, o Options) *Trainer {
	t.Helper()
	tr, err := NewTrainer(testBackend(t), tinyConfig(), mlctx.New(), o)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// weights returns every model weight (not optimizer state) by name.
func weights(ctx *mlctx.Context) map[string][]float32 {
	out := map[string][]float32{}
	for v := range ctx.IterVariables() {
		if v.Trainable && v.DType().String() == "Float32" && v.HasValue() && len(v.Scope()) > 1 && v.Scope()[:len(OptimizerScope)] != OptimizerScope {
			out[v.ScopeAndName()] = tensors.MustCopyFlatData[float32](v.MustValue())
		}
	}
	return out
}

func TestFitLearns(t *testing.T) {
	train, dev, test := synthetic(160, 1), synthetic(48, 2), synthetic(48, 3)
	o := testOptions("")
	o.Epochs, o.LearningRate = 8, 5e-3
	var steps, epochs int
	tr := newTrainer(t, o)
	h, err := tr.Fit(context.Background(), train, dev, test, func(e Event) {
		switch e.Kind {
		case EventStep:
			steps++
		case EventEpoch:
			epochs++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if steps != 8*20 || epochs != 8 || h.Steps != 160 || len(h.Epochs) != 8 {
		t.Errorf("steps %d, epoch events %d, history %d steps %d epochs; want 160, 8, 160, 8", steps, epochs, h.Steps, len(h.Epochs))
	}
	first, last := h.Epochs[0], h.Epochs[len(h.Epochs)-1]
	t.Logf("first %+v\nlast %+v", first, last)
	if last.TrainLoss >= first.TrainLoss {
		t.Errorf("train loss did not fall: %.4f → %.4f", first.TrainLoss, last.TrainLoss)
	}
	if last.Dev.Accuracy < 0.8 || last.Test == nil || last.Test.ROCAUC < 0.8 {
		t.Errorf("dev accuracy %.3f, test %+v: the rule was not learned", last.Dev.Accuracy, last.Test)
	}
	probs, err := tr.Predict(context.Background(), test[:3])
	if err != nil || len(probs) != 3 || math.Abs(probs[0][0]+probs[0][1]-1) > 1e-6 {
		t.Errorf("Predict = %v, %v", probs, err)
	}
}

// TestFitEvents pins the events a progress display sees: a step event per
// update, a checkpoint event after every CheckpointEvery updates within an
// epoch and at its end, then the epoch event with its result.
func TestFitEvents(t *testing.T) {
	o := testOptions(t.TempDir())
	o.Epochs, o.CheckpointEvery = 2, 3
	var got []string
	h, err := newTrainer(t, o).Fit(context.Background(), synthetic(40, 1), synthetic(16, 2), nil, func(e Event) {
		s := fmt.Sprintf("%v%d", e.Kind, e.Step)
		if (e.Kind == EventStep && e.Epoch != (e.Step+4)/5) || e.Epochs != 2 || e.Steps != 10 {
			s += fmt.Sprintf("(epoch %d/%d, steps %d)", e.Epoch, e.Epochs, e.Steps)
		}
		if (e.Kind == EventEpoch) != (e.Result != nil) {
			s += "(result?)"
		}
		got = append(got, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "step1 step2 step3 checkpoint3 step4 step5 checkpoint5 epoch5 " +
		"step6 checkpoint6 step7 step8 step9 checkpoint9 step10 checkpoint10 epoch10"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("events\n%s\nwant\n%s", s, want)
	}
	if h.Steps != 10 || len(h.Epochs) != 2 || h.Resumed {
		t.Errorf("history %+v", h)
	}
}

// TestResumeMatchesUninterrupted stops a run midway (as a notebook interrupt
// does, by cancelling its context), resumes it in a fresh trainer from the
// checkpoint, and requires exactly the weights of a run never interrupted:
// shuffling, dropout and the optimizer all continue where they stopped.
func TestResumeMatchesUninterrupted(t *testing.T) {
	t.Run("full", func(t *testing.T) { testResume(t, nil) })
	lora := bert.DefaultLoRA(4)
	t.Run("lora", func(t *testing.T) { testResume(t, &lora) })
}

// testResume interrupts a run (all weights, or LoRA) mid-epoch and checks
// that resuming from the checkpoint gives the uninterrupted run's weights.
func testResume(t *testing.T, lora *bert.LoRA) {
	train, dev := synthetic(40, 1), synthetic(16, 2)
	o := testOptions(t.TempDir())
	o.Epochs, o.CheckpointEvery, o.LoRA = 3, 2, lora
	ref := newTrainer(t, o)
	hRef, err := ref.Fit(context.Background(), train, dev, nil, nil)
	if err != nil {
		t.Fatal(err)
	}

	o.CheckpointDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	first := newTrainer(t, o)
	_, err = first.Fit(ctx, train, dev, nil, func(e Event) {
		if e.Kind == EventStep && e.Step == 7 { // mid-epoch 2 (5 steps per epoch)
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Fit returned %v, want context.Canceled", err)
	}
	second := newTrainer(t, o)
	var resumedAt int
	h, err := second.Fit(context.Background(), train, dev, nil, func(e Event) {
		if e.Kind == EventResume {
			resumedAt = e.Step
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !h.Resumed || resumedAt != 7 {
		t.Errorf("resumed = %v at step %d, want true at 7", h.Resumed, resumedAt)
	}
	if len(h.Epochs) != len(hRef.Epochs) || h.Epochs[2].Dev.Accuracy != hRef.Epochs[2].Dev.Accuracy {
		t.Errorf("history differs: %+v vs %+v", h.Epochs, hRef.Epochs)
	}
	want, got := weights(ref.Vars()), weights(second.Vars())
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("%d weights vs %d", len(got), len(want))
	}
	for name, w := range want {
		for i := range w {
			if got[name][i] != w[i] {
				t.Fatalf("%s[%d] = %v after resume, %v uninterrupted", name, i, got[name][i], w[i])
			}
		}
	}
}

const childEnv = "FINETUNE_KILL_TEST_DIR"

// TestKillChild is the child process of TestKillAndResume: it trains for a
// long time, writing a checkpoint after every step, until it is killed.
func TestKillChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("run by TestKillAndResume")
	}
	o := testOptions(dir)
	o.Epochs, o.CheckpointEvery = 1000, 1
	tr := newTrainer(t, o)
	if _, err := tr.Fit(context.Background(), synthetic(40, 1), synthetic(16, 2), nil, nil); err != nil {
		t.Fatal(err)
	}
}

// TestKillAndResume starts a training process, kills it with SIGKILL while
// it trains and writes checkpoints, checks that the checkpoint left behind is
// intact, and resumes training from it to the end.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	ckpt := filepath.Join(dir, CheckpointFile)
	for round := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+dir)
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child has written a few checkpoints, then kill it
		// at an arbitrary moment (often in the middle of the next write).
		deadline := time.Now().Add(2 * time.Minute)
		target := 4 * (round + 1)
		for {
			var st trainState
			if err := LoadCheckpoint(ckpt, mlctx.New(), &st); err == nil && st.Step >= target {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("child wrote no checkpoint in time; its output:\n%s", stderr.String())
			}
			time.Sleep(time.Duration(5+rand.IntN(20)) * time.Millisecond)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("child ended with %v, want killed by SIGKILL", err)
		}
		var st trainState
		if err := LoadCheckpoint(ckpt, mlctx.New(), &st); err != nil {
			t.Fatalf("round %d: checkpoint not intact after kill: %v", round, err)
		}
		t.Logf("round %d: killed at or after step %d (epoch %d, batch %d)", round, st.Step, st.Epoch, st.Batch)
	}
	// Resume in this process and finish a short run.
	var st trainState
	if err := LoadCheckpoint(ckpt, mlctx.New(), &st); err != nil {
		t.Fatal(err)
	}
	o := testOptions(dir)
	o.Epochs, o.CheckpointEvery = 1000, 1
	o.MaxSteps = st.Step + 3
	tr := newTrainer(t, o)
	var resumedAt int
	h, err := tr.Fit(context.Background(), synthetic(40, 1), synthetic(16, 2), nil, func(e Event) {
		if e.Kind == EventResume {
			resumedAt = e.Step
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if resumedAt != st.Step || h.Steps != st.Step+3 {
		t.Errorf("resumed at %d and ended at %d, want %d and %d", resumedAt, h.Steps, st.Step, st.Step+3)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*")); len(left) != 0 {
		t.Errorf("temporary files left after resume: %v", left)
	}
}

// TestEarlyStopping trains with a learning rate too small to change the dev
// metric: with patience 1 the run stops after the second epoch.
func TestEarlyStopping(t *testing.T) {
	o := testOptions(t.TempDir())
	o.Epochs, o.LearningRate, o.EarlyStoppingPatience, o.Metric = 5, 1e-12, 1, MetricAccuracy
	tr := newTrainer(t, o)
	h, err := tr.Fit(context.Background(), synthetic(32, 1), synthetic(16, 2), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !h.StoppedEarly || len(h.Epochs) != 2 || h.BestEpoch != 1 {
		t.Errorf("stopped early %v after %d epochs, best %d; want true, 2, 1", h.StoppedEarly, len(h.Epochs), h.BestEpoch)
	}
	if _, err := NewTrainer(testBackend(t), tinyConfig(), mlctx.New(), Options{Epochs: 1, BatchSize: 1, LearningRate: 1, Metric: MetricLoss + 1}); err == nil {
		t.Error("unknown metric accepted")
	}
	bad := synthetic(4, 1)
	bad[2].InputIDs = bad[2].InputIDs[:5]
	if _, err := newTrainer(t, o).Fit(context.Background(), bad, nil, nil, nil); err == nil {
		t.Error("ragged examples accepted")
	}
}
