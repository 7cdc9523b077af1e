// Command bertforward measures the inference throughput (sentences per
// second) of lib/bert's forward pass on the pretrained all-MiniLM-L6-v2
// model; bench/bertforward/torch_forward.py measures transformers on the
// same inputs and run.sh runs both side by side (see bench/README.md).
//
// The inputs are token ids made by a fixed formula (shared with the Python
// script), so tokenization is not timed: batches of -batch sentences whose
// lengths cycle through 8…-seq tokens, padded to -seq.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/founderlab/founderlab/lib/bert"
)

// profile is the -cpuprofile file name ("" for none).
var profile string

func main() {
	home, _ := os.UserHomeDir()
	models := os.Getenv("FOUNDERLAB_MODELS")
	if models == "" {
		models = filepath.Join(home, ".cache", "founderlab", "models")
	}
	dir := flag.String("model", filepath.Join(models, "all-MiniLM-L6-v2"), "model directory (founderlab models fetch all-minilm-l6-v2)")
	batch := flag.Int("batch", 32, "sentences per batch")
	seq := flag.Int("seq", 32, "tokens per sentence after padding")
	warmup := flag.Int("warmup", 2, "untimed batches (graph compilation)")
	iters := flag.Int("iters", 10, "timed batches")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the timed batches to this file")
	flag.Parse()
	profile = *cpuprofile
	if err := run(*dir, *batch, *seq, *warmup, *iters); err != nil {
		fmt.Fprintln(os.Stderr, "bertforward:", err)
		os.Exit(1)
	}
}

// Inputs returns the benchmark batch: sentence i has 8 + (7i mod (seq-7))
// tokens, [CLS] ids… [SEP], then padding; id j of sentence i is
// 1000 + (131i + 17j) mod 20000. torch_forward.py builds the same batch.
func inputs(batch, seq int) bert.Batch {
	b := bert.Batch{InputIDs: make([][]int32, batch), AttentionMask: make([][]int32, batch)}
	for i := range batch {
		n := 8 + (7*i)%(seq-7)
		ids, mask := make([]int32, seq), make([]int32, seq)
		for j := range n {
			mask[j] = 1
			ids[j] = int32(1000 + (131*i+17*j)%20000)
		}
		ids[0], ids[n-1] = 101, 102
		b.InputIDs[i], b.AttentionMask[i] = ids, mask
	}
	return b
}

func run(dir string, batch, seq, warmup, iters int) error {
	cfg, err := bert.ReadConfig(dir)
	if err != nil {
		return err
	}
	m, err := bert.LoadWeightsFile(cfg, filepath.Join(dir, "model.safetensors"))
	if err != nil {
		return err
	}
	in := inputs(batch, seq)
	ctx := context.Background()
	for range warmup {
		if _, err := m.EmbedBatch(ctx, in); err != nil {
			return err
		}
	}
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	for range iters {
		if _, err := m.EmbedBatch(ctx, in); err != nil {
			return err
		}
	}
	elapsed := time.Since(start)
	rate := float64(batch*iters) / elapsed.Seconds()
	fmt.Printf("gomlx\tbackend=%s GOMAXPROCS=%d\tbatch=%d\tseq=%d\titers=%d\t%.1f sentences/s\t%.1f ms/batch\n",
		m.Backend(), runtime.GOMAXPROCS(0), batch, seq, iters, rate, elapsed.Seconds()*1000/float64(iters))
	return nil
}
