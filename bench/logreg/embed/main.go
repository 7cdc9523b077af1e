// Command embed turns a labelled text CSV into sentence embeddings for the
// logistic-regression benchmark (bench/logreg):
//
//	go run ./bench/logreg/embed -in /work/shared/datasets/banking77/train.csv -out /tmp/banking77-train-emb.csv \
//	    -categories /work/shared/datasets/banking77/train.csv
//
// The input has a header row and the columns text,category (Banking77's
// layout). Each text is embedded with lib/bert's Model.Embed on the
// pretrained all-MiniLM-L6-v2 (bert.Pretrained(ctx, bert.DefaultModel),
// installed on first use, or the directory given by -model; mean pooling,
// unit length: 384 values), on the backend lib/backend chooses (XLA's CPU
// plugin when one is installed or named by $PJRT_PLUGIN_LIBRARY_PATH, which
// takes a few minutes for Banking77; SimpleGo otherwise, which takes far
// longer). The output has no header; each row is
//
//	label,x1,…,x384
//
// where label is the index of the text's category among the sorted distinct
// categories of the -categories file (default: the input itself), so that
// the train and test files share one labelling. Write the output outside the
// repository: data are never committed.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/founderlab/founderlab/lib/bert"
)

func main() {
	model := flag.String("model", "", "model directory (default: bert.Pretrained's all-MiniLM-L6-v2)")
	in := flag.String("in", "", "input CSV with a header and columns text,category")
	out := flag.String("out", "", "output CSV: label,x1,…,xd per row, no header")
	cats := flag.String("categories", "", "CSV whose sorted distinct categories define the labels (default: -in)")
	batch := flag.Int("batch", 64, "texts per batch")
	flag.Parse()
	if err := run(*model, *in, *out, *cats, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}

func run(model, in, out, catsFile string, batch int) error {
	if in == "" || out == "" {
		return errors.New("need -in FILE.csv and -out FILE.csv")
	}
	if catsFile == "" {
		catsFile = in
	}
	texts, categories, err := readTexts(in)
	if err != nil {
		return err
	}
	_, all, err := readTexts(catsFile)
	if err != nil {
		return err
	}
	slices.Sort(all)
	all = slices.Compact(all)
	labels := make([]int, len(categories))
	for i, c := range categories {
		k, ok := slices.BinarySearch(all, c)
		if !ok {
			return fmt.Errorf("%s row %d: category %q is not in %s", in, i+2, c, catsFile)
		}
		labels[i] = k
	}
	ctx := context.Background()
	if model == "" {
		if model, err = bert.Pretrained(ctx, bert.DefaultModel); err != nil {
			return err
		}
	}
	m, err := bert.Load(model)
	if err != nil {
		return err
	}
	m.BatchSize = batch
	fmt.Fprintf(os.Stderr, "embed: %d texts, %d categories, backend %s\n", len(texts), len(all), m.Backend())
	start := time.Now()
	emb, err := m.Embed(ctx, texts)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "embed: %.1f s\n", time.Since(start).Seconds())
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	buf := []byte{}
	for i, e := range emb {
		buf = strconv.AppendInt(buf[:0], int64(labels[i]), 10)
		for _, v := range e {
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, float64(v), 'g', -1, 32)
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readTexts reads the text and category columns of a CSV with a header row.
func readTexts(path string) (texts, categories []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	header, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: header: %w", path, err)
	}
	ti, ci := slices.Index(header, "text"), slices.Index(header, "category")
	if ti < 0 || ci < 0 {
		return nil, nil, fmt.Errorf("%s: header %q lacks text and category columns", path, header)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		texts = append(texts, rec[ti])
		categories = append(categories, rec[ci])
	}
	if len(texts) == 0 {
		return nil, nil, fmt.Errorf("%s: no rows", path)
	}
	return texts, categories, nil
}
