// Command intent evaluates an intent classifier with out-of-scope
// rejection (lib/intent) on two CSV files of labelled queries:
//
//	go run ./bench/intent -train TRAIN.csv -test TEST.csv [-mode embed|finetune|tfidf]
//
// Both files have Banking77's layout: a header naming the columns text and
// category, then one query a row (intent.ReadCSV; a malformed file is an
// error naming it and the line). Test rows whose category is not among the
// training categories are out of scope. The classifier and the rejection
// threshold τ are fitted on the training file alone:
//
//   - embed (the default): all-MiniLM-L6-v2 sentence embeddings and
//     logistic regression (classifier.FitLinear), rejecting by
//     intent.DefaultScorer with τ from held-out-intents calibration
//     (intent.CalibrateVectors: hold a quarter of the training intents
//     out, fit on the rest, τ the -frr quantile of validation scores;
//     mean over -seeds seeds);
//   - tfidf: TF-IDF and logistic regression, rejecting by the maximum
//     softmax probability with τ calibrated the same way
//     (intent.CalibrateTexts);
//   - finetune: all-MiniLM-L6-v2 fine-tuned end to end (classifier.FineTune)
//     on 90 % of the training queries, rejecting by the maximum softmax
//     probability with τ the -frr quantile on the other 10 % (one
//     fine-tuning per seed would cost hours on a CPU).
//
// It prints four lines:
//
//	in_scope_accuracy X   (in-scope test queries whose most probable intent is right, rejected or not)
//	oos_recall Y          (out-of-scope test queries rejected; NaN when there are none)
//	in_scope_rejected Z   (in-scope test queries rejected)
//	queries_per_s Q       (test queries over the wall time of classifying and scoring them in one batch, embedding included)
//
// Progress goes to standard error (and, for finetune, to -log), ending with
// a line that gives fit_s, the wall time of everything but the test queries
// (embedding the training queries, calibration, fitting).
// sklearn_intent.py is the scikit-learn reference of the tfidf mode.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"slices"
	"time"

	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/intent"
	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "intent:", err)
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// mode is the classifier evaluated.
type mode int

const (
	modeEmbed mode = iota
	modeFineTune
	modeTFIDF
)

var modeNames = []string{"embed", "finetune", "tfidf"}

func (m mode) String() string { return modeNames[m] }

func (m *mode) Set(s string) error {
	i := slices.Index(modeNames, s)
	if i < 0 {
		return fmt.Errorf("unknown mode %q, want embed, finetune or tfidf", s)
	}
	*m = mode(i)
	return nil
}

type config struct {
	train, test, model, log string
	mode                    mode
	frr                     float64
	seeds                   int
	ft                      classifier.FineTuneOptions
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("intent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.train, "train", "", "training CSV (columns text, category)")
	fs.StringVar(&c.test, "test", "", "test CSV (columns text, category)")
	fs.Var(&c.mode, "mode", "classifier: embed, finetune or tfidf")
	fs.Float64Var(&c.frr, "frr", intent.DefaultTargetFRR, "target in-scope false-rejection rate of the calibration")
	fs.IntVar(&c.seeds, "seeds", 5, "seeds of held-out-intents calibration (embed, tfidf)")
	fs.StringVar(&c.model, "model", "", "BERT model directory (default: all-MiniLM-L6-v2, fetched on first use)")
	fs.StringVar(&c.log, "log", "", "finetune: append progress lines to this file")
	c.ft.Options = intent.DefaultFineTuneOptions().Options
	fs.IntVar(&c.ft.Epochs, "epochs", c.ft.Epochs, "finetune: epochs")
	fs.Float64Var(&c.ft.LearningRate, "lr", c.ft.LearningRate, "finetune: peak learning rate")
	fs.IntVar(&c.ft.MaxLength, "max-length", intent.DefaultFineTuneOptions().MaxLength, "finetune: tokens per query")
	fs.IntVar(&c.ft.BatchSize, "batch", c.ft.BatchSize, "finetune: batch size")
	fs.IntVar(&c.ft.MaxSteps, "max-steps", 0, "finetune: stop after this many updates (0: all epochs)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%v: %w", err, flag.ErrHelp)
	}
	if c.train == "" || c.test == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("need -train FILE.csv and -test FILE.csv and no other arguments: %w", flag.ErrHelp)
	}
	if !(c.frr > 0 && c.frr < 1) || c.seeds < 1 {
		return fmt.Errorf("-frr %v must lie in (0, 1) and -seeds %d be positive", c.frr, c.seeds)
	}
	trX, trC, err := intent.ReadCSVFile(c.train)
	if err != nil {
		return err
	}
	teX, teC, err := intent.ReadCSVFile(c.test)
	if err != nil {
		return err
	}
	_, names := classifier.Labels(trC)
	if len(names) < 4 {
		return fmt.Errorf("%s: %d categories, need at least 4 (a quarter is held out to calibrate)", c.train, len(names))
	}
	var s scores
	start := time.Now()
	switch c.mode {
	case modeEmbed:
		s, err = runEmbed(ctx, c, trX, trC, teX, stderr)
	case modeTFIDF:
		s, err = runTFIDF(ctx, c, trX, trC, teX, stderr)
	case modeFineTune:
		s, err = runFineTune(ctx, c, trX, trC, teX, stderr)
	}
	if err != nil {
		return err
	}
	fitS := time.Since(start).Seconds() - s.seconds
	m := measure(s, teC)
	fmt.Fprintf(stderr, "%s: %d training queries, %d intents; %d test queries, %d out of scope; threshold %.4g; fit_s %.2f (embedding, calibration and fit)\n",
		c.mode, len(trX), len(names), len(teX), m.outScope, s.tau, fitS)
	fmt.Fprintf(stdout, "in_scope_accuracy %.4f\noos_recall %.4f\nin_scope_rejected %.4f\nqueries_per_s %.1f\n",
		m.accuracy, m.oosRecall, m.rejected, float64(len(teX))/s.seconds)
	return nil
}

// scores are a fitted classifier's results on the test queries.
type scores struct {
	names   []string  // the training intents, sorted
	pred    []int     // most probable intent of each test query
	score   []float64 // in-scope score of each test query
	tau     float64   // rejection threshold
	seconds float64   // wall time of classifying and scoring the test queries
}

type measures struct {
	accuracy, oosRecall, rejected float64
	outScope                      int
}

func measure(s scores, teC []string) measures {
	var m measures
	var in, right, rej, oosRej int
	for i, c := range teC {
		r := s.score[i] < s.tau
		if _, ok := slices.BinarySearch(s.names, c); !ok {
			m.outScope++
			if r {
				oosRej++
			}
			continue
		}
		in++
		if s.names[s.pred[i]] == c {
			right++
		}
		if r {
			rej++
		}
	}
	m.accuracy, m.rejected = ratio(right, in), ratio(rej, in)
	m.oosRecall = ratio(oosRej, m.outScope)
	return m
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func encoder(ctx context.Context, dir string) (*bert.Model, error) {
	if dir == "" {
		var err error
		if dir, err = bert.Pretrained(ctx, bert.DefaultModel); err != nil {
			return nil, err
		}
	}
	return bert.Load(dir)
}

func runEmbed(ctx context.Context, c config, trX, trC, teX []string, log io.Writer) (scores, error) {
	m, err := encoder(ctx, c.model)
	if err != nil {
		return scores{}, err
	}
	start := time.Now()
	trV, err := m.Embed(ctx, trX)
	if err != nil {
		return scores{}, fmt.Errorf("embed %s: %w", c.train, err)
	}
	fmt.Fprintf(log, "embedded %d training queries in %.0f s\n", len(trX), time.Since(start).Seconds())
	opt := intent.OpenOptions{TargetFRR: c.frr, Seeds: seedList(c.seeds)}
	tau, err := intent.CalibrateVectors(ctx, trV, trC, intent.DefaultScorer, opt)
	if err != nil {
		return scores{}, err
	}
	lin, err := classifier.FitLinear(ctx, trV, trC, opt.Linear)
	if err != nil {
		return scores{}, err
	}
	clf := &classifier.Embedding{Encoder: m, Linear: lin}
	start = time.Now()
	p, x, err := clf.ProbaEmbed(ctx, teX)
	if err != nil {
		return scores{}, fmt.Errorf("%s: %w", c.test, err)
	}
	pred, _ := classifier.Predict(p)
	sc, err := intent.DefaultScorer.Score(lin, p, x)
	if err != nil {
		return scores{}, err
	}
	return scores{names: lin.Classes(), pred: pred, score: sc, tau: tau, seconds: time.Since(start).Seconds()}, nil
}

func runTFIDF(ctx context.Context, c config, trX, trC, teX []string, _ io.Writer) (scores, error) {
	fit := func(ctx context.Context, texts, cats []string) (classifier.Classifier, error) {
		return classifier.FitTFIDF(ctx, texts, cats, 1)
	}
	tau, err := intent.CalibrateTexts(ctx, trX, trC, fit, intent.OpenOptions{TargetFRR: c.frr, Seeds: seedList(c.seeds)})
	if err != nil {
		return scores{}, err
	}
	clf, err := fit(ctx, trX, trC)
	if err != nil {
		return scores{}, err
	}
	return classify(ctx, clf, teX, tau)
}

// classify scores the test queries by the maximum softmax probability.
func classify(ctx context.Context, clf classifier.Classifier, teX []string, tau float64) (scores, error) {
	start := time.Now()
	p, err := clf.Proba(ctx, teX)
	if err != nil {
		return scores{}, err
	}
	pred, conf := classifier.Predict(p)
	return scores{names: clf.Classes(), pred: pred, score: conf, tau: tau, seconds: time.Since(start).Seconds()}, nil
}

func runFineTune(ctx context.Context, c config, trX, trC, teX []string, stderr io.Writer) (scores, error) {
	dir := c.model
	if dir == "" {
		var err error
		if dir, err = bert.Pretrained(ctx, bert.DefaultModel); err != nil {
			return scores{}, err
		}
	}
	log := stderr
	if c.log != "" {
		f, err := os.OpenFile(c.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return scores{}, err
		}
		defer f.Close()
		log = io.MultiWriter(stderr, f)
	}
	x, cats, devX, devC := classifier.SplitDev(trX, trC, 0.1, 1)
	fmt.Fprintf(log, "fine-tuning on %d queries (dev %d): %+v\n", len(x), len(devX), c.ft)
	f, err := classifier.FineTune(ctx, dir, x, cats, devX, devC, c.ft, func(e finetune.Event) {
		if e.Kind == finetune.EventEpoch || e.Step%50 == 0 {
			fmt.Fprintf(log, "%s epoch %d/%d step %d/%d loss %.4f elapsed %.0f s", e.Kind, e.Epoch, e.Epochs, e.Step, e.Steps, e.Loss, e.Elapsed.Seconds())
			if e.Result != nil {
				fmt.Fprintf(log, " dev %+v", *e.Result)
			}
			fmt.Fprintln(log)
		}
	})
	if err != nil {
		return scores{}, err
	}
	p, err := f.Proba(ctx, devX)
	if err != nil {
		return scores{}, err
	}
	_, conf := classifier.Predict(p)
	tau, err := intent.Quantile(conf, c.frr)
	if err != nil {
		return scores{}, err
	}
	s, err := classify(ctx, f, teX, tau)
	fmt.Fprintf(log, "fine-tuned in %d steps; threshold %.4g\n", f.History.Steps, tau)
	return s, err
}

func seedList(n int) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		s[i] = uint64(i + 1)
	}
	return s
}
