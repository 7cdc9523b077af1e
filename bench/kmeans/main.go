// Command kmeans benchmarks persona's Lloyd k-means against scikit-learn.
//
//	go run ./bench/kmeans -gen 100000,16 -out /tmp/km-100k.csv   # seeded data
//	go run ./bench/kmeans -data /tmp/km-100k.csv -k 8 -iters 20
//
// With -data it reads a numeric CSV with a header row, runs Lloyd k-means
// initialised with the first K rows for exactly -iters iterations (no early
// stop) on persona's CPU engine, and prints one line
//
//	fit_ms <milliseconds> inertia <value>
//
// where the time covers the fit only (not reading the file) and the inertia
// is Σ_i ||x_i − μ_{label(i)}||² after the final assignment, as
// scikit-learn's KMeans.inertia_. sklearn_kmeans.py runs the reference on
// the same file; run.sh runs both and prints the ratio.
//
// With -gen N,D it writes N rows of D features (a seeded mixture of 2·16
// overlapping Gaussian blobs, so Lloyd keeps moving for many iterations) to
// -out and exits.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/lib/persona"
	"github.com/founderlab/founderlab/lib/persona/accel"
)

func main() {
	data := flag.String("data", "", "numeric CSV with a header row")
	k := flag.Int("k", 8, "number of clusters")
	iters := flag.Int("iters", 20, "Lloyd iterations (exactly)")
	workers := flag.Int("workers", 0, "goroutines (0: GOMAXPROCS)")
	engine := flag.String("engine", "cpu", "cpu or gomlx")
	gen := flag.String("gen", "", "N,D: write a seeded synthetic data set to -out and exit")
	out := flag.String("out", "", "output CSV for -gen")
	seed := flag.Uint64("seed", 1, "seed for -gen")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the fit to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "kmeans:", err)
			os.Exit(1)
		}
		profile = f
	}
	if err := run(*data, *k, *iters, *workers, *engine, *gen, *out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "kmeans:", err)
		os.Exit(1)
	}
}

// profile, when set by -cpuprofile, receives a CPU profile of the fit.
var profile *os.File

func run(data string, k, iters, workers int, engine, gen, out string, seed uint64) error {
	if gen != "" {
		return generate(gen, out, seed)
	}
	if data == "" {
		return fmt.Errorf("need -data FILE.csv (or -gen N,D -out FILE.csv)")
	}
	X, err := readCSV(data)
	if err != nil {
		return err
	}
	eng := persona.EngineCPU
	switch engine {
	case "cpu":
	case "gomlx":
		eng = persona.EngineGoMLX
	default:
		return fmt.Errorf("unknown -engine %q", engine)
	}
	km := persona.KMeans{K: k, Init: persona.InitFirstRows, MaxIter: iters, Tol: -1, Engine: eng, Workers: workers}
	if eng == persona.EngineGoMLX {
		km.Accelerator = accel.New(nil)
	}
	if profile != nil {
		if err := pprof.StartCPUProfile(profile); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	m, err := km.Fit(context.Background(), X)
	if err != nil {
		return err
	}
	ms := float64(time.Since(start).Microseconds()) / 1000
	fmt.Printf("fit_ms %.1f inertia %.10g\n", ms, m.Inertia)
	return nil
}

// readCSV reads a header row and then rows of numbers.
func readCSV(path string) (persona.Matrix, error) {
	f, err := os.Open(path)
	if err != nil {
		return persona.Matrix{}, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	if !sc.Scan() {
		return persona.Matrix{}, fmt.Errorf("%s: empty file", path)
	}
	d := len(strings.Split(sc.Text(), ","))
	var vals []float64
	line := 1
	for sc.Scan() {
		line++
		s := sc.Text()
		if s == "" {
			continue
		}
		n := 0
		for len(s) > 0 {
			field := s
			if i := strings.IndexByte(s, ','); i >= 0 {
				field, s = s[:i], s[i+1:]
			} else {
				s = ""
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(field), 64)
			if err != nil {
				return persona.Matrix{}, fmt.Errorf("%s:%d: field %d: %v", path, line, n+1, err)
			}
			vals = append(vals, v)
			n++
		}
		if n != d {
			return persona.Matrix{}, fmt.Errorf("%s:%d: %d fields, header has %d", path, line, n, d)
		}
	}
	if err := sc.Err(); err != nil {
		return persona.Matrix{}, fmt.Errorf("%s: %w", path, err)
	}
	return persona.Matrix{Rows: len(vals) / d, Cols: d, Data: vals}, nil
}

// generate writes the synthetic benchmark data set atomically.
func generate(spec, out string, seed uint64) error {
	var n, d int
	if _, err := fmt.Sscanf(spec, "%d,%d", &n, &d); err != nil || n < 1 || d < 1 {
		return fmt.Errorf("-gen %q: want N,D with N, D ≥ 1", spec)
	}
	if out == "" {
		return fmt.Errorf("-gen needs -out FILE.csv")
	}
	rng := rand.New(rand.NewPCG(seed, 0xbe4c))
	const blobs = 32
	centers := make([]float64, blobs*d)
	for i := range centers {
		centers[i] = rng.Float64()*6 - 3
	}
	return atomicfile.Write(out, func(f io.Writer) error {
		w := bufio.NewWriterSize(f, 1<<20)
		for j := 0; j < d; j++ {
			if j > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, "x%d", j)
		}
		w.WriteByte('\n')
		buf := make([]byte, 0, 32)
		for i := 0; i < n; i++ {
			c := centers[rng.IntN(blobs)*d:]
			for j := 0; j < d; j++ {
				if j > 0 {
					w.WriteByte(',')
				}
				buf = strconv.AppendFloat(buf[:0], c[j]+rng.NormFloat64()*1.5, 'f', 6, 64)
				w.Write(buf)
			}
			w.WriteByte('\n')
		}
		return w.Flush()
	}, 0o644)
}
