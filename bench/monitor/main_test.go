package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/monitor"
)

// labelled writes n templated tweets (15 % bearish) as a text,label CSV.
func labelled(t *testing.T, dir string, n int, seed uint64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	tpl := [][]string{
		{"$%s plunges after weak guidance", "$%s cut to sell at Goldman", "$%s shares slump on losses"},
		{"$%s soars on record revenue", "$%s upgraded to buy", "$%s rallies after strong quarter"},
		{"$%s to report results on Tuesday", "$%s annual meeting scheduled", "$%s files quarterly report"},
	}
	var b strings.Builder
	b.WriteString("text,label\n")
	for i := range n {
		k := 2
		if u := rng.Float64(); u < 0.15 {
			k = 0
		} else if u < 0.35 {
			k = 1
		}
		tk := []string{"AAPL", "TSLA", "XOM", "JPM", "SPY"}[rng.IntN(5)]
		fmt.Fprintf(&b, "%q,%d\n", fmt.Sprintf(tpl[k][rng.IntN(3)], tk)+fmt.Sprintf(" #%d", i), k)
	}
	p := filepath.Join(dir, fmt.Sprintf("labelled-%d.csv", seed))
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGenerateAndMonitor writes a simulated stream with -generate and
// replays it: the alert lines have the documented format and every surge
// is alerted within two buckets.
func TestGenerateAndMonitor(t *testing.T) {
	dir := t.TempDir()
	train, texts := labelled(t, dir, 1500, 1), labelled(t, dir, 800, 2)
	stream, truth := filepath.Join(dir, "stream.csv"), filepath.Join(dir, "truth.csv")
	ctx := context.Background()
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"-generate", "-texts", texts, "-stream", stream, "-truth", truth, "-seed", "3", "-per-bucket", "60", "-days", "10"}, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	alerts := filepath.Join(dir, "alerts.jsonl")
	out.Reset()
	errs.Reset()
	if err := run(ctx, []string{"-train", train, "-stream", stream, "-mode", "tfidf", "-truth", truth, "-alerts", alerts}, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, l := range lines {
		var ts, topic string
		var obs, exp float64
		if n, err := fmt.Sscanf(l, "alert %s %s %f %f", &ts, &topic, &obs, &exp); n != 4 || err != nil || obs <= exp {
			t.Errorf("line %q: %v", l, err)
		}
		if _, err := time.Parse(time.RFC3339, ts); err != nil {
			t.Errorf("line %q: %v", l, err)
		}
	}
	if !strings.Contains(errs.String(), "surges 4 detected 4 ") {
		t.Errorf("score: %s", errs.String())
	}
	if b, err := os.ReadFile(alerts); err != nil || bytes.Count(b, []byte("\n")) != len(lines) {
		t.Errorf("alerts file: %d lines for %d alerts, %v", bytes.Count(b, []byte("\n")), len(lines), err)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	train := labelled(t, dir, 300, 1)
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	big := write("big.csv", "time,text\n")
	f, _ := os.OpenFile(big, os.O_APPEND|os.O_WRONLY, 0)
	f.Truncate(300 << 20)
	f.Close()
	for _, c := range []struct{ name, stream, msg string }{
		{"missing column", write("a.csv", "when,text\n2024-01-01T00:00:00Z,a\n"), "a.csv: header"},
		{"bad time", write("b.csv", "time,text\n2024-01-01T00:00:00Z,a\nmonday,b\n"), "b.csv: line 3: time"},
		{"out of order", write("c.csv", "time,text\n2024-01-01T01:00:00Z,a\n2024-01-01T00:00:00Z,b\n"), "c.csv: line 3"},
		{"empty text", write("d.csv", "time,text\n2024-01-01T00:00:00Z,\n"), "d.csv: line 2: empty text"},
		{"invalid UTF-8", write("e.csv", "time,text\n2024-01-01T00:00:00Z,\xff\n"), "e.csv: line 2: text is not valid UTF-8"},
		{"huge", big, "big.csv: more than"},
		{"absent", filepath.Join(dir, "none.csv"), "none.csv"},
	} {
		var out, errs bytes.Buffer
		err := run(context.Background(), []string{"-train", train, "-stream", c.stream, "-mode", "tfidf"}, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %q", c.name, err, c.msg)
		}
	}
	if err := run(context.Background(), []string{"-stream", "x"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("no -train: no error")
	}
	texts := labelled(t, dir, 300, 2)
	for _, args := range [][]string{
		{"-generate", "-texts", texts, "-stream", filepath.Join(dir, "s.csv"), "-truth", filepath.Join(dir, "t.csv"), "-surge-buckets", "6-3"},
		{"-generate", "-texts", texts, "-stream", filepath.Join(dir, "s.csv"), "-truth", filepath.Join(dir, "t.csv"), "-base-share", "1.5"},
		{"-sweep", "-train", train, "-texts", texts, "-seeds", "x"},
	} {
		if err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("%q: no error", args)
		} else {
			t.Logf("%q: %v", args[len(args)-2:], err)
		}
	}
}

// TestRealData is the check on a stream simulated from
// fin-sentiment's validation tweets (100 an hour, no daily rhythm, four
// surges of exactly 3 hours at exactly 3 times the usual bearish share)
// replayed through the default detector with the TF-IDF classifier
// trained and calibrated on the training tweets: every surge alerted
// within 2 buckets, at most one false alert a week.
func TestRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on fin-sentiment")
	}
	d := testenv.RequireData(t, "fin-sentiment")
	dir := t.TempDir()
	stream, truth := filepath.Join(dir, "stream.csv"), filepath.Join(dir, "truth.csv")
	ctx := context.Background()
	var out, errs bytes.Buffer
	fs := filepath.Join(d, "fin-sentiment")
	if err := run(ctx, []string{"-generate", "-texts", filepath.Join(fs, "valid.csv"), "-stream", stream, "-truth", truth, "-seed", "11", "-per-bucket", "100", "-flat", "-surge-buckets", "3"}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	errs.Reset()
	if err := run(ctx, []string{"-train", filepath.Join(fs, "train.csv"), "-stream", stream, "-mode", "tfidf", "-truth", truth}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	var surges, detected, falses int
	var perWeek float64
	i := strings.Index(errs.String(), "surges ")
	if _, err := fmt.Sscanf(errs.String()[i:], "surges %d detected %d", &surges, &detected); err != nil {
		t.Fatal(err, errs.String())
	}
	j := strings.Index(errs.String(), "false alerts ")
	fmt.Sscanf(errs.String()[j:], "false alerts %d (%f per week)", &falses, &perWeek)
	t.Log(strings.TrimSpace(errs.String()))
	if detected != surges || perWeek > 1 {
		t.Errorf("%d of %d surges detected, %.2f false alerts per week", detected, surges, perWeek)
	}
}

// savedClassifier fine-tunes lib/bert's tiny random BERT (2 layers, hidden
// size 32) for one epoch on templated tweets, calibrates it on others and
// saves both as bench/sentiment -save does; it returns the directory, the
// classifier and the calibration.
func savedClassifier(t *testing.T, dir string) (string, monitor.Classifier, *monitor.Calibration) {
	t.Helper()
	model := filepath.Join(dir, "tiny")
	os.MkdirAll(model, 0o755)
	for _, f := range []string{"config.json", "model.safetensors"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "lib", "bert", "testdata", "tiny", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(model, f), b, 0o644)
	}
	vocab := append([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "$", "#"}, strings.Fields(
		"aapl tsla xom jpm spy plunges after weak guidance cut to sell at goldman shares slump on losses soars record revenue upgraded buy rallies strong quarter report results tuesday annual meeting scheduled files quarterly")...)
	for i := 0; len(vocab) < 99; i++ {
		vocab = append(vocab, fmt.Sprintf("%d", i))
	}
	os.WriteFile(filepath.Join(model, "vocab.txt"), []byte(strings.Join(vocab, "\n")+"\n"), 0o644)
	x, y, err := monitor.ReadLabelled(labelled(t, dir, 400, 4))
	if err != nil {
		t.Fatal(err)
	}
	opt := monitor.TrainOptions{ModelDir: model}
	opt.FineTune.Options = finetune.DefaultOptions()
	opt.FineTune.Epochs, opt.FineTune.MaxLength, opt.FineTune.LearningRate = 1, 16, 3e-3
	ctx := context.Background()
	c, err := monitor.Train(ctx, monitor.FineTune, x, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	cx, cy, err := monitor.ReadLabelled(labelled(t, dir, 400, 5))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := monitor.Calibrate(ctx, c, cx, cy)
	if err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(dir, "saved")
	if err := monitor.SaveFineTuned(saved, c, model, 16, cal); err != nil {
		t.Fatal(err)
	}
	return saved, c, cal
}

// TestSavedClassifier replays a stream with -classifier: the alerts are
// those of the in-memory classifier it was saved from, with the saved
// calibration.
func TestSavedClassifier(t *testing.T) {
	dir := t.TempDir()
	saved, c, cal := savedClassifier(t, dir)
	texts := labelled(t, dir, 300, 2)
	stream, truth := filepath.Join(dir, "stream.csv"), filepath.Join(dir, "truth.csv")
	ctx := context.Background()
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"-generate", "-texts", texts, "-stream", stream, "-truth", truth, "-seed", "3", "-per-bucket", "60", "-days", "5", "-surges", "2"}, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	out.Reset()
	errs.Reset()
	if err := run(ctx, []string{"-classifier", saved, "-stream", stream, "-truth", truth}, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !strings.Contains(errs.String(), "calibrated on 400 held-out dev texts") || !strings.Contains(errs.String(), "surges 2 detected") {
		t.Errorf("standard error: %s", errs.String())
	}
	events, err := monitor.ReadEventsFile(stream)
	if err != nil {
		t.Fatal(err)
	}
	all := make([]string, len(events))
	for i, e := range events {
		all[i] = e.Text
	}
	cached, err := monitor.NewCached(ctx, c, all, 0) // one shape per batch: fewer compilations
	if err != nil {
		t.Fatal(err)
	}
	opt := monitor.Options{Bucket: time.Hour}
	opt.Detector.Calibration = cal
	alerts, _, err := monitor.Run(ctx, cached, events, opt)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for _, a := range alerts {
		fmt.Fprintf(&want, "alert %s %s %.4f %.4f\n", a.Bucket.UTC().Format(time.RFC3339), a.Topic, a.Observed, a.Expected)
	}
	if out.String() != want.String() {
		t.Errorf("-classifier alerts:\n%s\nin-memory classifier's:\n%s", out.String(), want.String())
	}
	t.Logf("%d alerts; %s", len(alerts), strings.TrimSpace(errs.String()))
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-classifier", saved, "-mode", "tfidf", "-stream", stream}, "give one"},
		{[]string{"-classifier", dir, "-stream", stream}, "not a saved classifier"},
		{[]string{"-sweep", "-texts", texts}, "usage"},
	} {
		if err := run(ctx, c.args, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: %v, want %q", c.args, err, c.msg)
		}
	}
}

// TestOracle checks the oracle classifier (each text's true label, with
// probability 1) and a sweep with -oracle: at 100 texts an hour a perfect
// classifier lets the default detector (ratio 3, h = 5) catch every surge.
func TestOracle(t *testing.T) {
	dir := t.TempDir()
	texts := labelled(t, dir, 600, 7)
	x, y, err := monitor.ReadLabelled(texts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	o, cal, err := newOracle(ctx, x, y)
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.Proba(ctx, x[:20])
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range p {
		if row[y[i]] != 1 {
			t.Errorf("text %d labelled %v: probabilities %v", i, y[i], row)
		}
	}
	if cal.Recall < 0.95 || cal.FalsePositive > 0.05 {
		t.Errorf("oracle calibration: recall %.3f, false positives %.3f", cal.Recall, cal.FalsePositive)
	}
	if _, err := o.Proba(ctx, []string{"not a labelled text"}); err == nil || !strings.Contains(err.Error(), "not among the labelled texts") {
		t.Errorf("unknown text: %v", err)
	}
	if err := run(ctx, []string{"-sweep", "-oracle", "-train", texts, "-texts", texts}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("-oracle with -train: no error")
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"-sweep", "-oracle", "-texts", texts, "-seeds", "1"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "flat-100/h probabilities 3 5 ") {
			found = true
			if f := strings.Fields(line); f[4] != "0/8" {
				t.Errorf("oracle at 100/h: %s, want 0/8 missed", line)
			}
		}
	}
	if !found {
		t.Errorf("no flat-100/h row at ratio 3, h = 5 in\n%s", out.String())
	}
}
