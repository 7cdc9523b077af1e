package finetune

import (
	"context"
	"math"
	"strings"
	"testing"
)

// TestSchedule trains the tiny model for 2 epochs of 2 batches (T = 4
// updates) under each schedule and checks the learning rate of every update,
// as the training graph reports it, against the schedule's formula worked by
// hand (see Schedule).
func TestSchedule(t *testing.T) {
	const lr = 1e-3
	for _, tc := range []struct {
		name     string
		schedule Schedule
		warmup   float64
		want     []float64 // learning rate of updates 0..3
	}{
		// (T − t)/T: 4/4, 3/4, 2/4, 1/4.
		{"linear", ScheduleLinear, 0, []float64{lr, 0.75 * lr, 0.5 * lr, 0.25 * lr}},
		// W = round(0.25·4) = 1: 0/1, then (4 − t)/3.
		{"linear-warmup", ScheduleLinear, 0.25, []float64{0, lr, lr * 2 / 3, lr / 3}},
		// The seed's: a fixed rate.
		{"constant", ScheduleConstant, 0, []float64{lr, lr, lr, lr}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			o.Epochs, o.BatchSize, o.LearningRate, o.Seed = 2, 8, lr, 7
			o.Schedule, o.WarmupRatio, o.RestoreBest = tc.schedule, tc.warmup, false
			a, err := o.adamW(len(tc.want))
			if err != nil {
				t.Fatal(err)
			}
			for step, w := range tc.want {
				if got := lr * a.LRFactor(step); math.Abs(got-w) > 1e-15 {
					t.Errorf("LRFactor(%d)·LR = %v, want %v", step, got, w)
				}
			}
			var got []float64
			_, err = newTrainer(t, o).Fit(context.Background(), synthetic(16, 1), synthetic(8, 2), nil, func(e Event) {
				if e.Kind == EventStep {
					got = append(got, e.LR)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d updates, want %d", len(got), len(tc.want))
			}
			for step, w := range tc.want {
				if math.Abs(got[step]-w) > 1e-12 {
					t.Errorf("update %d: learning rate %v, want %v", step, got[step], w)
				}
			}
		})
	}
}

func TestParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		name    string
		want    Schedule
		wantErr string
	}{
		{"linear", ScheduleLinear, ""},
		{"constant", ScheduleConstant, ""},
		{"cosine", 0, `schedule "cosine": unknown`},
		{"", 0, `schedule "": unknown`},
		{"Constant", 0, `schedule "Constant": unknown`},
	} {
		got, err := ParseSchedule(tc.name)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("ParseSchedule(%q) = %v, %v; want an error containing %q", tc.name, got, err, tc.wantErr)
		case tc.wantErr == "" && (err != nil || got != tc.want || got.String() != tc.name):
			t.Errorf("ParseSchedule(%q) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestScheduleOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		schedule Schedule
		warmup   float64
		wantErr  string
	}{
		{"constant with warm-up", ScheduleConstant, 0.1, "schedule constant has no warm-up, but WarmupRatio is 0.1"},
		{"unknown", Schedule(9), 0, "unknown schedule Schedule(9)"},
	} {
		o := DefaultOptions()
		o.Schedule, o.WarmupRatio = tc.schedule, tc.warmup
		_, err := NewTrainer(testBackend(t), tinyConfig(), nil, o)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: NewTrainer error %v, want one containing %q", tc.name, err, tc.wantErr)
		}
	}
}
