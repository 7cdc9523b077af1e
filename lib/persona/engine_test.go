package persona

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
)

// fakeAccel is an Accelerator that runs the CPU kernel under another name,
// to see which engine KMeans picks.
type fakeAccel struct{ accelerated bool }

func (a fakeAccel) Lloyd(X Matrix, k int) (LloydStep, error) {
	return fakeStep{cpuEngine{newCPULloyd(X, k, 1)}}, nil
}
func (a fakeAccel) Accelerated() bool { return a.accelerated }

type fakeStep struct{ e cpuEngine }

func (s fakeStep) Step(C Matrix, labels, prev []int, update bool) ([]float64, []int, int, error) {
	return s.e.step(C, labels, prev, update)
}
func (fakeStep) Name() string { return "fake" }
func (fakeStep) Close()       {}

func TestEngineChoice(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	X, _ := blobs(rng, 60, 3, 2, 1)
	tests := []struct {
		name string
		km   KMeans
		want string // Model.Engine; "" for ErrNoAccelerator
	}{
		{"auto without accelerator", KMeans{K: 2}, "cpu"},
		{"auto, accelerator on a CPU", KMeans{K: 2, Accelerator: fakeAccel{false}}, "cpu"},
		{"auto, accelerator on an accelerator", KMeans{K: 2, Accelerator: fakeAccel{true}}, "fake"},
		{"cpu despite an accelerator", KMeans{K: 2, Engine: EngineCPU, Accelerator: fakeAccel{true}}, "cpu"},
		{"gomlx on the accelerator", KMeans{K: 2, Engine: EngineGoMLX, Accelerator: fakeAccel{false}}, "fake"},
		{"gomlx without accelerator", KMeans{K: 2, Engine: EngineGoMLX}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.km.Fit(context.Background(), X)
			if tt.want == "" {
				if !errors.Is(err, ErrNoAccelerator) {
					t.Fatalf("Fit = %v, want ErrNoAccelerator", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Engine != tt.want {
				t.Errorf("engine %q, want %q", m.Engine, tt.want)
			}
			ref, _ := KMeans{K: 2, Engine: EngineCPU}.Fit(context.Background(), X)
			if m.Inertia != ref.Inertia {
				t.Errorf("J = %v, CPU engine %v", m.Inertia, ref.Inertia)
			}
		})
	}
}
