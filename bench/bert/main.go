// Command bert times fine-tuning steps of a randomly initialised
// BertForSequenceClassification (vocabulary 30522, 2 labels) on random token
// ids with a full attention mask, trained by lib/bert/finetune's AdamW.
//
//	go run ./bench/bert -layers 2 -hidden 128 -heads 2 -ffn 512 -batch 16 -seq 64 -steps 20
//	go run ./bench/bert -layers 6 -hidden 384 -heads 12 -ffn 1536 -lora 8 -logdir runs/lora8
//	GOMLX_BACKEND=xla:cuda go run ./bench/bert -devices 4 -batch 64
//
// With -devices N each step runs data parallel on N devices of an XLA
// backend (finetune.Options.Devices: the batch split over a one-axis
// mesh, the parameters replicated); 0, the default, is
// finetune.DefaultDevices (all GPUs, 1 on CPU). The batch must be a
// multiple of N. XLA's CPU plugin exposes several host devices, so
// -devices 2 runs without a GPU (but shares the same cores).
//
// With -lora R it fine-tunes LoRA adapters of rank R (alpha 2R, query and
// value; bert.DefaultLoRA; -lora-pooler trains the pooler too) instead of
// all weights, and with -adapter M Houlsby bottleneck adapters of size M
// (bert.Adapter: after the attention and feed-forward blocks of every layer,
// LayerNorms trained); with -logdir DIR it writes TensorBoard event files
// of every step into the run directory DIR (finetune.Options.LogDir). With
// -lora R -pair (or -adapter M -pair) it trains two models at once, one
// with all weights and one with LoRA (or adapters), alternating their steps
// so that the machine's load hits both alike, and prints step_ms_full,
// step_ms_lora (or step_ms_adapter) and speedup (full/LoRA). Otherwise it
// prints, after warm-up steps that include graph compilation:
//
//	trainable_params <parameters the optimizer updates> <all parameters> <share>
//	devices <devices each step ran on>
//	step_ms <median milliseconds per training step>
//	samples_per_s <batch size / median step time>
//	final_loss <mean training loss of the timed steps>
//	peak_rss_mb <peak resident memory of the process>
//
// The data, initialisation and dropout are seeded identically on every
// run, so final_loss is the same (up to float32 rounding) whatever the
// number of devices: compare it between runs to check data parallelism.
//
// The backend is lib/backend's choice ($GOMLX_BACKEND overrides it, e.g.
// "xla:cpu" with a CPU PJRT plugin on $PJRT_PLUGIN_LIBRARY_PATH). Compare
// with scripts/bench-bert-torch.py on the same machine (bench/bert/compare.sh).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"sort"
	"time"

	"github.com/founderlab/founderlab/internal/rss"
	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

func main() {
	layers := flag.Int("layers", 2, "encoder layers")
	hidden := flag.Int("hidden", 128, "hidden size")
	heads := flag.Int("heads", 2, "attention heads")
	ffn := flag.Int("ffn", 512, "intermediate (feed-forward) size")
	batch := flag.Int("batch", 16, "batch size")
	seq := flag.Int("seq", 64, "sequence length")
	steps := flag.Int("steps", 20, "timed steps")
	warmup := flag.Int("warmup", 3, "untimed warm-up steps (the first compiles the graph)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed steps to this file")
	loraRank := flag.Int("lora", 0, "LoRA rank (0: full fine-tuning)")
	loraPooler := flag.Bool("lora-pooler", false, "with -lora: also train the pooler (bert.LoRA.TrainPooler)")
	adapterSize := flag.Int("adapter", 0, "bottleneck size of Houlsby adapters (0: none)")
	logDir := flag.String("logdir", "", "TensorBoard run directory for the steps' scalars")
	devices := flag.Int("devices", 0, "devices per step, data parallel (0: finetune.DefaultDevices)")
	pair := flag.Bool("pair", false, "with -lora or -adapter: also train all weights, alternating steps, and print both step times")
	flag.Parse()
	log.SetFlags(0)

	choice, err := backend.New()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "backend: %s\n", choice)
	cfg := bert.DefaultConfig(2)
	cfg.NumHiddenLayers, cfg.HiddenSize, cfg.NumAttentionHeads, cfg.IntermediateSize = *layers, *hidden, *heads, *ffn
	if *seq > cfg.MaxPositionEmbeddings {
		log.Fatalf("seq %d exceeds max_position_embeddings %d", *seq, cfg.MaxPositionEmbeddings)
	}
	total := *warmup + *steps
	r := rand.New(rand.NewPCG(1, 2))
	ex := make([]finetune.Example, *batch*total)
	for i := range ex {
		ids := make([]int32, *seq)
		for j := range ids {
			ids[j] = int32(r.IntN(cfg.VocabSize))
		}
		ex[i] = finetune.Example{InputIDs: ids, Label: r.IntN(2)}
	}
	opt := finetune.DefaultOptions()
	opt.Epochs, opt.BatchSize, opt.MaxSteps, opt.RestoreBest = 1, *batch, total, false
	opt.LogDir, opt.Devices = *logDir, *devices
	if *loraRank > 0 {
		l := bert.DefaultLoRA(*loraRank)
		l.TrainPooler = *loraPooler
		opt.LoRA = &l
	}
	if *adapterSize > 0 {
		if opt.LoRA != nil {
			log.Fatal("-lora and -adapter exclude each other")
		}
		opt.Adapter = &bert.Adapter{Size: *adapterSize}
	}
	tr, err := finetune.NewTrainer(choice.Backend, cfg, mlctx.New(), opt)
	if err != nil {
		log.Fatal(err)
	}
	if *pair {
		if opt.LoRA == nil && opt.Adapter == nil {
			log.Fatal("-pair needs -lora R or -adapter M")
		}
		fopt := opt
		fopt.LoRA, fopt.Adapter, fopt.LogDir = nil, nil, ""
		full, err := finetune.NewTrainer(choice.Backend, cfg, mlctx.New(), fopt)
		if err != nil {
			log.Fatal(err)
		}
		fullMS, loraMS, err := runPair(full, tr, ex, *warmup)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("trainable_params %d %d\n", tr.TrainableParams(), full.TrainableParams())
		method := "lora"
		if opt.Adapter != nil {
			method = "adapter"
		}
		fmt.Printf("step_ms_full %.1f\nstep_ms_%s %.1f\nspeedup %.2f\n", fullMS, method, loraMS, fullMS/loraMS)
		return
	}
	var times []float64
	lossSum := 0.0
	last := time.Now()
	_, err = tr.Fit(context.Background(), ex, nil, nil, func(e finetune.Event) {
		if e.Kind != finetune.EventStep {
			return
		}
		now := time.Now()
		if e.Step == *warmup && *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				log.Fatal(err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				log.Fatal(err)
			}
		}
		if e.Step > *warmup {
			times = append(times, float64(now.Sub(last).Microseconds())/1000)
			lossSum += e.Loss
		}
		last = now
	})
	if err != nil {
		log.Fatal(err)
	}
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	sort.Float64s(times)
	med := times[len(times)/2]
	all := 0
	for _, p := range bert.Parameters(&cfg, true) {
		n := 1
		for _, d := range p.Shape {
			n *= d
		}
		all += n
	}
	fmt.Printf("trainable_params %d %d %.2f%%\n", tr.TrainableParams(), all, 100*float64(tr.TrainableParams())/float64(all))
	fmt.Printf("devices %d\n", tr.Devices())
	fmt.Printf("step_ms %.1f\n", med)
	fmt.Printf("samples_per_s %.1f\n", float64(*batch)*1000/med)
	fmt.Printf("final_loss %.6f\n", lossSum/float64(len(times)))
	fmt.Printf("peak_rss_mb %.0f\n", rss.PeakMiB())
}
