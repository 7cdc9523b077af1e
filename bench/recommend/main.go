// Command recommend runs one recommender of lib/recommend on a MovieLens
// directory under the fixed protocol and prints its metrics, one per line:
//
//	go run ./bench/recommend -data DIR -model pop|itemknn|bpr|ease|text|hybrid [-k 10] [-engine go|gomlx]
//
// prints ndcg@10, recall@10, coverage@10, cold_recall@10, fit_s (wall time
// of Fit) and fit_cpu_s (CPU time of the process during Fit, which a loaded
// machine distorts less). DIR
// holds ratings.csv, movies.csv and tags.csv in the MovieLens layout.
// -write-split OUT exports the split (train.csv, test.csv, items.csv) for
// reference.py, which runs the `implicit` library's BPR and ALS on it.
// -engine gomlx trains BPR (alone or inside the hybrid) with
// lib/recommend/mfgomlx on mini-batches of -batch triples (-optimizer sgd
// with -lr, or adam with -adam-lr); the backend is lib/backend's choice
// ($GOMLX_BACKEND overrides it). -versus MODEL fits a second model on the
// same split and prints a paired comparison of NDCG@k over users:
// versus_ndcg@k, the mean difference ndcg@k_diff with its 95 % interval
// (ndcg@k_diff_lo, ndcg@k_diff_hi: percentiles of 2,000 bootstrap
// resamples of the users, seeded by -seed) and how many users rank better
// and worse (users_better, users_worse).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"time"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/recommend"
	"github.com/founderlab/founderlab/lib/recommend/mfgomlx"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "recommend:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	flag := flag.NewFlagSet("recommend", flag.ContinueOnError)
	data := flag.String("data", "", "MovieLens directory (ratings.csv, movies.csv, tags.csv)")
	model := flag.String("model", "bpr", "pop, itemknn, bpr, ease, text or hybrid")
	k := flag.Int("k", 10, "list length")
	netflix := flag.String("netflix", "", "netflix_titles.csv for item descriptions (optional)")
	writeSplit := flag.String("write-split", "", "export the split to this directory")
	users := flag.Int("users", 0, "evaluate a seeded subset of this many users (0: all)")
	factors := flag.Int("factors", 64, "BPR factors")
	epochs := flag.Int("epochs", 50, "BPR epochs")
	lr := flag.Float64("lr", 0.05, "BPR learning rate")
	reg := flag.Float64("reg", 0.01, "BPR regularisation")
	textEpochs := flag.Int("text-epochs", 10, "fine-tuning epochs of the text projection (-1: zero-shot)")
	candidates := flag.Int("candidates", 100, "hybrid: candidates per base model")
	coldSlots := flag.Int("cold-slots", 0, "hybrid: last places for items nobody has liked (0: 1; negative: none)")
	seed := flag.Uint64("seed", 1, "seed")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "BPR goroutines (1: deterministic)")
	engine := flag.String("engine", "go", "BPR engine: go or gomlx")
	batch := flag.Int("batch", mfgomlx.DefaultBatch, "gomlx engine: triples per step")
	optimizer := flag.String("optimizer", "sgd", "gomlx engine: sgd or adam")
	adamLR := flag.Float64("adam-lr", 0.005, "gomlx engine: Adam's learning rate")
	ranker := flag.String("ranker", "logistic", "hybrid: logistic, pairwise or mlp")
	cacheDir := flag.String("cache", "", "embedding cache directory (default: the user cache)")
	versus := flag.String("versus", "", "a second model to compare with, paired over users (optional)")
	if err := flag.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("-data DIR is required")
	}
	kind, err := recommend.ParseModel(*model)
	if err != nil {
		return err
	}
	var other recommend.Model
	if *versus != "" {
		if other, err = recommend.ParseModel(*versus); err != nil {
			return fmt.Errorf("-versus: %w", err)
		}
	}
	eng, err := recommend.ParseEngine(*engine)
	if err != nil {
		return err
	}
	tr := &mfgomlx.Trainer{Batch: *batch}
	switch *optimizer {
	case "sgd":
	case "adam":
		tr.Optimizer, tr.LearningRate = mfgomlx.Adam, *adamLR
	default:
		return fmt.Errorf("-optimizer %q: want sgd or adam", *optimizer)
	}
	var trainer recommend.BPRTrainer
	if eng == recommend.EngineGoMLX {
		trainer = tr
	}
	rk, err := recommend.ParseRanker(*ranker)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ml, err := datasets.ReadMovieLensDir(*data)
	if err != nil {
		return err
	}
	var nf []datasets.NetflixTitle
	if *netflix != "" {
		f, err := os.Open(*netflix)
		if err != nil {
			return err
		}
		nf, err = datasets.ReadNetflix(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *netflix, err)
		}
	}
	d, err := recommend.FromMovieLens(ml, nf, recommend.TextOptions{})
	if err != nil {
		return err
	}
	s, err := recommend.NewSplit(d.SubsetUsers(*users, *seed))
	if err != nil {
		return err
	}
	if *writeSplit != "" {
		if err := s.WriteCSV(*writeSplit); err != nil {
			return err
		}
	}
	cfg := recommend.Config{
		BPR: recommend.BPR{Factors: *factors, Epochs: *epochs, LearningRate: *lr, Reg: *reg, Workers: *workers, Seed: *seed,
			Engine: eng, Trainer: trainer},
		Text:     recommend.Text{Epochs: *textEpochs},
		Hybrid:   recommend.Hybrid{Candidates: *candidates, ColdSlots: *coldSlots, Ranker: rk},
		CacheDir: *cacheDir,
		Seed:     *seed,
	}
	needsText := func(m recommend.Model) bool { return m == recommend.ModelText || m == recommend.ModelHybrid }
	if needsText(kind) || (*versus != "" && needsText(other)) {
		dir, err := bert.Pretrained(ctx, bert.DefaultModel)
		if err != nil {
			return err
		}
		m, err := bert.Load(dir)
		if err != nil {
			return err
		}
		cfg.Embedder, cfg.EmbedderName = m, bert.DefaultModel
	}
	r, err := cfg.New(kind)
	if err != nil {
		return err
	}
	start, cpu := time.Now(), cpuTime()
	if err := r.Fit(ctx, s); err != nil {
		return err
	}
	fit, fitCPU := time.Since(start), cpuTime()-cpu
	m, err := recommend.Evaluate(ctx, r, s, *k)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ndcg@%d %.4f\nrecall@%d %.4f\ncoverage@%d %.4f\ncold_recall@%d %.4f\nfit_s %.3f\nfit_cpu_s %.3f\n",
		*k, m.NDCG, *k, m.Recall, *k, m.Coverage, *k, m.ColdRecall, fit.Seconds(), fitCPU.Seconds())
	if *versus == "" {
		return nil
	}
	r2, err := cfg.New(other)
	if err != nil {
		return err
	}
	if err := r2.Fit(ctx, s); err != nil {
		return fmt.Errorf("-versus %s: %w", other, err)
	}
	m2, err := recommend.Evaluate(ctx, r2, s, *k)
	if err != nil {
		return fmt.Errorf("-versus %s: %w", other, err)
	}
	p := pairedBootstrap(m.UserNDCG, m2.UserNDCG, bootstrapResamples, *seed)
	fmt.Fprintf(stdout, "versus_ndcg@%d %.4f\nndcg@%d_diff %.4f\nndcg@%d_diff_lo %.4f\nndcg@%d_diff_hi %.4f\nusers_better %d\nusers_worse %d\n",
		*k, m2.NDCG, *k, p.mean, *k, p.lo, *k, p.hi, p.better, p.worse)
	return nil
}

// bootstrapResamples is how many resamples of the users -versus draws.
const bootstrapResamples = 2000

// paired is a paired comparison of two models' per-user scores.
type paired struct {
	mean, lo, hi  float64 // mean of a−b and its 95 % percentile interval
	better, worse int     // users with a > b and with a < b
}

// pairedBootstrap compares a and b (one value per user, same users in the
// same order): the mean difference and the 2.5th and 97.5th percentiles of
// the mean over n resamples of the users with replacement (seeded).
func pairedBootstrap(a, b []float64, n int, seed uint64) paired {
	var p paired
	if len(a) == 0 || len(a) != len(b) {
		return p
	}
	d := make([]float64, len(a))
	for u := range a {
		d[u] = a[u] - b[u]
		p.mean += d[u] / float64(len(d))
		switch {
		case d[u] > 0:
			p.better++
		case d[u] < 0:
			p.worse++
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0xb007))
	means := make([]float64, n)
	for r := range means {
		for range d {
			means[r] += d[rng.IntN(len(d))]
		}
		means[r] /= float64(len(d))
	}
	slices.Sort(means)
	p.lo, p.hi = means[int(0.025*float64(n))], means[min(n-1, int(0.975*float64(n)))]
	return p
}
