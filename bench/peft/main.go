// Command peft compares ways of fine-tuning all-MiniLM-L6-v2 on the
// binary Symptom2Disease task of notebook 06 (infectious or not; the
// notebook's seeded 70/15/15 split): full fine-tuning, LoRA of several
// ranks and bottleneck adapters, each with several seeds, or a small grid
// of LoRA ranks × learning rates (the seed's §5.3 hyper-parameter search).
//
//	FOUNDERLAB_DATA=/work/shared/datasets go run ./bench/peft \
//	    -variants full,lora-r4,lora-r8,lora-r16,adapter-m64 -seeds 42,43 -epochs 3 \
//	    -logdir /tmp/peft/runs -out /tmp/peft/trials.json
//	go run ./bench/peft -grid-ranks 4,8 -grid-lrs 2e-4,5e-4,1e-3 -seeds 42 -epochs 2 -logdir /tmp/peft/grid -out /tmp/peft/grid.json
//
// Variants are written as finetune.ParseVariant reads them: full,
// lora-r<rank>, adapter-m<bottleneck>, each optionally @<learning rate>;
// without one, full fine-tuning uses -lr and the others -peft-lr. Every
// trial (variant and seed; seeds outermost, so the first seed of every
// variant finishes first) runs in a child process of its own, so that its
// peak resident memory is its own, and is appended to the JSON file -out
// as it ends (rewritten atomically); a trial already there is skipped, so
// an interrupted comparison resumes. Each trial logs its steps and
// evaluations to TensorBoard in <logdir>/<variant>-seed<seed>. At the end
// it prints a Markdown table: trainable parameters, median step time, peak
// resident memory, and dev and test accuracy (mean ± sample standard
// deviation over the seeds) at each trial's best dev epoch. With -report it
// only prints that table for the trials in the -out file(s):
//
//	go run ./bench/peft -report -out /tmp/peft/trials.json,/tmp/peft/trials43.json
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/display"
)

func main() {
	variants := flag.String("variants", "full,lora-r4,lora-r8,lora-r16,adapter-m64", "comma-separated variants")
	gridRanks := flag.String("grid-ranks", "", "LoRA ranks of a grid search (replaces -variants), e.g. 4,8")
	gridLRs := flag.String("grid-lrs", "2e-4,5e-4,1e-3", "learning rates of the grid search")
	seeds := flag.String("seeds", "42", "comma-separated training seeds")
	epochs := flag.Int("epochs", 5, "epochs per trial")
	batch := flag.Int("batch", 16, "batch size")
	lr := flag.Float64("lr", 2e-5, "learning rate of full fine-tuning")
	peftLR := flag.Float64("peft-lr", 5e-4, "learning rate of LoRA and adapters")
	maxLength := flag.Int("max-length", 80, "tokens per description")
	trainLimit := flag.Int("train-limit", 0, "train on the first N training cases only (0: all)")
	evalLimit := flag.Int("eval-limit", 0, "evaluate on the first N dev and test cases only (0: all)")
	modelDir := flag.String("model", "", "pretrained BERT directory (default all-MiniLM-L6-v2)")
	logDir := flag.String("logdir", "", "parent of the trials' TensorBoard run directories")
	out := flag.String("out", "trials.json", "JSON file of the trials")
	report := flag.Bool("report", false, "print the table of the trials in -out (several files: comma-separated) and run nothing")
	trial := flag.String("trial", "", "internal: run one trial <variant>,<seed> and print it as JSON")
	flag.Parse()
	log.SetFlags(0)

	p := params{epochs: *epochs, batch: *batch, lr: *lr, peftLR: *peftLR, maxLength: *maxLength,
		trainLimit: *trainLimit, evalLimit: *evalLimit, modelDir: *modelDir, logDir: *logDir}
	if *report {
		var all []finetune.Trial
		for _, f := range strings.Split(*out, ",") {
			ts, err := finetune.ReadTrials(f)
			if err != nil {
				log.Fatal(err)
			}
			all = append(all, ts...)
		}
		printTable(all)
		return
	}
	if *trial != "" {
		v, sd, ok := strings.Cut(*trial, ",")
		seed, err := strconv.ParseUint(sd, 10, 64)
		if !ok || err != nil {
			log.Fatalf("-trial %q: want <variant>,<seed>", *trial)
		}
		if err := runChild(p, v, seed); err != nil {
			log.Fatal(err)
		}
		return
	}
	var vs []finetune.Variant
	var err error
	if *gridRanks != "" {
		ranks, err1 := ints(*gridRanks)
		lrs, err2 := floats(*gridLRs)
		if err := errors.Join(err1, err2); err != nil {
			log.Fatal(err)
		}
		vs = finetune.Grid(ranks, lrs)
	} else if vs, err = parseVariants(*variants); err != nil {
		log.Fatal(err)
	}
	sds, err := ints(*seeds)
	if err != nil {
		log.Fatal(err)
	}
	trials, err := compare(vs, sds, *out)
	if err != nil {
		log.Fatal(err)
	}
	printTable(trials)
}

// params are the settings a child trial gets from its parent.
type params struct {
	epochs, batch, maxLength, trainLimit, evalLimit int
	lr, peftLR                                      float64
	modelDir, logDir                                string
}

// compare runs every variant with every seed not yet in the file out, each
// in a child process, and returns all trials of the file.
func compare(vs []finetune.Variant, seeds []int, out string) ([]finetune.Trial, error) {
	trials, err := finetune.ReadTrials(out)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, t := range trials {
		done[t.Name()] = true
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	for _, sd := range seeds {
		for _, v := range vs {
			name := finetune.TrialName(v.String(), uint64(sd))
			if done[name] {
				fmt.Fprintf(os.Stderr, "%s: already in %s\n", name, out)
				continue
			}
			start := time.Now()
			fmt.Fprintf(os.Stderr, "%s: started %s\n", name, start.UTC().Format(time.TimeOnly))
			args := append(childArgs(), "-trial", fmt.Sprintf("%s,%d", v, sd))
			cmd := exec.Command(self, args...)
			cmd.Stderr = os.Stderr
			stdout, err := cmd.Output()
			if err != nil {
				return trials, fmt.Errorf("trial %s: %w", name, err)
			}
			var t finetune.Trial
			if err := json.Unmarshal(lastLine(stdout), &t); err != nil {
				return trials, fmt.Errorf("trial %s: output: %w", name, err)
			}
			trials = append(trials, t)
			if err := finetune.WriteTrials(out, trials); err != nil {
				return trials, err
			}
			fmt.Fprintf(os.Stderr, "%s: done in %s: dev acc %.3f, test acc %.3f, %.0f ms/step, peak %.0f MiB\n", name,
				time.Since(start).Round(time.Second), t.Dev.Accuracy, testAcc(t), 1000*t.StepSeconds, t.PeakRSSMB)
		}
	}
	return trials, nil
}

// childArgs are this process's flags without -trial.
func childArgs() []string {
	var args []string
	flag.Visit(func(f *flag.Flag) {
		if f.Name != "trial" {
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	return args
}

// runChild runs one trial and prints it as one JSON line.
func runChild(p params, variant string, seed uint64) error {
	v, err := finetune.ParseVariant(variant)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	dir := p.modelDir
	if dir == "" {
		if dir, err = bert.Pretrained(ctx, bert.DefaultModel); err != nil {
			return err
		}
	}
	m, err := bert.Load(dir)
	if err != nil {
		return err
	}
	cfg := m.Config
	cfg.SetLabels(datasets.SymptomLabelNames())
	cases, err := datasets.LoadSymptom2Disease(ctx)
	if err != nil {
		return err
	}
	s, err := datasets.SplitSymptoms(cases, 42, 0.15, 0.15) // notebook 06's split
	if err != nil {
		return err
	}
	if p.trainLimit > 0 && p.trainLimit < len(s.Train) {
		s.Train = s.Train[:p.trainLimit]
	}
	if p.evalLimit > 0 {
		s.Dev, s.Test = s.Dev[:min(p.evalLimit, len(s.Dev))], s.Test[:min(p.evalLimit, len(s.Test))]
	}
	var sets [3][]finetune.Example
	for i, part := range [][]datasets.SymptomCase{s.Train, s.Dev, s.Test} {
		texts, labels := datasets.SymptomTextsLabels(part)
		if sets[i], err = finetune.Encode(ctx, m.Tokenizer(), texts, labels, p.maxLength); err != nil {
			return err
		}
	}
	choice, err := backend.New()
	if err != nil {
		return err
	}
	opt := finetune.DefaultOptions()
	opt.Epochs, opt.BatchSize, opt.Seed, opt.LogDir, opt.RestoreBest = p.epochs, p.batch, seed, p.logDir, false
	opt.LearningRate = p.lr
	if v.Method != finetune.MethodFull && v.LearningRate == 0 {
		v.LearningRate = p.peftLR
	}
	fmt.Fprintf(os.Stderr, "backend %s, %d/%d/%d cases\n", choice, len(sets[0]), len(sets[1]), len(sets[2]))
	t, err := finetune.RunTrial(ctx, choice.Backend, cfg, m.Vars(), opt, v, sets[0], sets[1], sets[2],
		finetune.TerminalProgress(os.Stderr, 60*time.Second))
	if err != nil {
		return err
	}
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	fmt.Println(string(data))
	return nil
}

// printTable prints the summary of the trials as a Markdown table.
func printTable(trials []finetune.Trial) {
	cfg := bert.DefaultConfig(2)
	cfg.NumHiddenLayers, cfg.HiddenSize, cfg.IntermediateSize = 6, 384, 1536 // all-MiniLM-L6-v2
	total := 0
	for _, p := range bert.Parameters(&cfg, true) {
		n := 1
		for _, d := range p.Shape {
			n *= d
		}
		total += n
	}
	var rows [][]string
	for _, s := range finetune.Summarize(trials) {
		rows = append(rows, s.Row(total))
	}
	fmt.Print(display.MarkdownTable(finetune.ComparisonHeader, rows))
}

func testAcc(t finetune.Trial) float64 {
	if t.Test == nil {
		return 0
	}
	return t.Test.Accuracy
}

func lastLine(b []byte) []byte {
	b = bytes.TrimSpace(b)
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return b
}

func parseVariants(list string) ([]finetune.Variant, error) {
	var vs []finetune.Variant
	for _, f := range strings.Split(list, ",") {
		v, err := finetune.ParseVariant(f)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, nil
}

func ints(list string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("list %q: %w", list, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func floats(list string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(list, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("list %q: %w", list, err)
		}
		out = append(out, x)
	}
	return out, nil
}
