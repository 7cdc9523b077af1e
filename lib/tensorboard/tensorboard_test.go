package tensorboard

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// EnvPython names a Python with the PyPI tensorboard package
// (scripts/test-deps.sh makes .venv-tensorboard); with it set, the files
// written here are read back by TensorBoard's own reader.
const EnvPython = "FOUNDERLAB_TENSORBOARD_PYTHON"

func writeRun(t *testing.T, dir string) []Scalar {
	t.Helper()
	w, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []Scalar
	for step := int64(0); step < 50; step++ {
		loss := 2.5 * math.Exp(-float64(step)/10)
		lr := 1e-4 * float64(step+1) / 50
		if err := w.Scalars(step, map[string]float64{"train/loss": loss, "train/lr": lr}); err != nil {
			t.Fatal(err)
		}
		want = append(want, Scalar{Tag: "train/loss", Step: step, Value: float64(float32(loss))},
			Scalar{Tag: "train/lr", Step: step, Value: float64(float32(lr))})
		if step%10 == 9 {
			acc := 0.5 + float64(step)/100
			if err := w.Scalar(step, "dev/accuracy", acc); err != nil {
				t.Fatal(err)
			}
			want = append(want, Scalar{Tag: "dev/accuracy", Step: step, Value: float64(float32(acc))})
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	return want
}

func sameScalars(t *testing.T, got, want []Scalar) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d scalars, wrote %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Tag != w.Tag || g.Step != w.Step || g.Value != w.Value {
			t.Fatalf("scalar %d: got %+v, want %+v", i, g, w)
		}
		if g.Wall < 1.7e9 {
			t.Fatalf("scalar %d: wall time %v is not a current Unix time", i, g.Wall)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := writeRun(t, dir)
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// ReadDir orders by step, then tag.
	sortScalars(want)
	sameScalars(t, got, want)
	steps, values := Series(got, "dev/accuracy")
	if len(steps) != 5 || steps[0] != 9 || values[4] != float64(float32(0.99)) {
		t.Fatalf("Series: %v %v", steps, values)
	}
}

func sortScalars(s []Scalar) {
	slices.SortStableFunc(s, func(a, b Scalar) int {
		return cmp.Or(cmp.Compare(a.Step, b.Step), cmp.Compare(a.Tag, b.Tag))
	})
}

func TestTwoWritersTwoFiles(t *testing.T) {
	dir := t.TempDir()
	a, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a.Path() == b.Path() {
		t.Fatal("two writers share a file")
	}
	a.Scalar(1, "x", 1)
	b.Scalar(2, "x", 2)
	a.Close()
	b.Close()
	got, err := ReadDir(dir)
	if err != nil || len(got) != 2 || got[0].Value != 1 || got[1].Value != 2 {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestConcurrentScalars(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				w.Scalar(int64(i), "g", float64(g))
			}
		}()
	}
	wg.Wait()
	w.Close()
	got, err := ReadScalars(w.Path())
	if err != nil || len(got) != 400 {
		t.Fatalf("read %d scalars, %v", len(got), err)
	}
}

func TestBadInput(t *testing.T) {
	w, err := NewWriter(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, tc := range []struct {
		name  string
		step  int64
		tag   string
		value float64
	}{
		{"empty tag", 0, "", 1},
		{"invalid UTF-8", 0, "a\xff", 1},
		{"negative step", -1, "a", 1},
		{"float32 overflow", 0, "a", 1e300},
	} {
		if err := w.Scalar(tc.step, tc.tag, tc.value); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	// NaN and infinities are legitimate values (a diverged loss).
	if err := w.Scalar(0, "loss", math.NaN()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := w.Scalar(1, "loss", 1); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("Scalar after Close: %v", err)
	}
}

func TestDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*tfevents*"))
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	all, _ := ReadScalars(files[0])
	huge := make([]byte, 12)
	binary.LittleEndian.PutUint64(huge, 1<<40)
	binary.LittleEndian.PutUint32(huge[8:], maskedCRC(huge[:8]))
	for _, tc := range []struct {
		name    string
		data    []byte
		corrupt bool
		min     int // scalars still read
	}{
		{"truncated last record", good[:len(good)-7], false, len(all) - 3},
		{"flipped data byte", flip(good, len(good)-10), true, 0},
		{"flipped length byte", flip(good, 60), true, 0},
		{"hostile length", append(append([]byte{}, good...), huge...), true, len(all)},
		{"empty", nil, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "events.out.tfevents.x")
			os.WriteFile(p, tc.data, 0o644)
			got, err := ReadScalars(p)
			if tc.corrupt != errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want corrupt %v", err, tc.corrupt)
			}
			if len(got) < tc.min {
				t.Fatalf("read %d scalars, want at least %d", len(got), tc.min)
			}
		})
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x40
	return c
}

// TestTensorBoardReadsOurFiles reads a run with the PyPI tensorboard
// package's EventAccumulator, what `tensorboard --logdir` uses.
func TestTensorBoardReadsOurFiles(t *testing.T) {
	py := os.Getenv(EnvPython)
	if py == "" {
		t.Skipf("set %s to a Python with the tensorboard package (scripts/test-deps.sh makes .venv-tensorboard)", EnvPython)
	}
	if _, err := os.Stat(py); err != nil {
		t.Skipf("%s: %v (scripts/test-deps.sh makes .venv-tensorboard)", EnvPython, err)
	}
	dir := t.TempDir()
	want := writeRun(t, dir)
	out, err := exec.Command(py, "testdata/read_events.py", dir).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var got []Scalar
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r struct {
			Tag   string
			Step  int64
			Wall  float64
			Value float64
		}
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		got = append(got, Scalar{Tag: r.Tag, Step: r.Step, Wall: r.Wall, Value: r.Value})
	}
	// The script lists by tag, then step.
	byTag := map[string][]Scalar{}
	for _, s := range want {
		byTag[s.Tag] = append(byTag[s.Tag], s)
	}
	var ordered []Scalar
	for _, tag := range []string{"dev/accuracy", "train/loss", "train/lr"} {
		ordered = append(ordered, byTag[tag]...)
	}
	sameScalars(t, got, ordered)
}
