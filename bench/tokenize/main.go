// Command tokenize encodes texts with FounderLab's BERT tokenizer, for parity
// checks and throughput benchmarks against Hugging Face's (hf_tokenize.py,
// compared side by side by run.sh).
//
// Usage:
//
//	go run ./bench/tokenize (-tokenizer tokenizer.json | -vocab vocab.txt [-lower=true|false]) < texts.txt
//
// It reads one text per line (lines are split on "\n" only; "\r", U+2028
// and other separators stay inside the text) and writes, for each text, one
// line of space-separated token ids, with [CLS] and [SEP] and without
// truncation or padding. Throughput (texts/s, tokens/s) of the encoding
// alone, on one goroutine unless -parallel is given, goes to stderr.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/founderlab/founderlab/lib/bert/tokenizer"
)

func main() {
	jsonPath := flag.String("tokenizer", "", "Hugging Face tokenizer.json")
	vocabPath := flag.String("vocab", "", "vocab.txt (BERT WordPiece vocabulary)")
	lower := flag.Bool("lower", true, "with -vocab: lowercase and strip accents (uncased model)")
	parallel := flag.Bool("parallel", false, "encode on all CPUs (EncodeBatch) instead of one goroutine")
	repeat := flag.Int("repeat", 1, "encode the input this many times (for steadier timings; ids are written once)")
	flag.Parse()
	if err := run(*jsonPath, *vocabPath, *lower, *parallel, *repeat, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tokenize:", err)
		os.Exit(1)
	}
}

func run(jsonPath, vocabPath string, lower, parallel bool, repeat int, in io.Reader, out, errOut io.Writer) error {
	var tok *tokenizer.Tokenizer
	var err error
	switch {
	case (jsonPath == "") == (vocabPath == ""):
		return fmt.Errorf("give exactly one of -tokenizer and -vocab")
	case jsonPath != "":
		tok, err = tokenizer.LoadJSON(jsonPath)
	default:
		tok, err = tokenizer.FromVocabFile(vocabPath, lower)
	}
	if err != nil {
		return err
	}
	cfg := tok.Config()
	cfg.Truncation, cfg.Padding, cfg.AddSpecialTokens = nil, nil, true
	if tok, err = tokenizer.New(tok.Vocab(), cfg); err != nil {
		return err
	}
	data, err := io.ReadAll(in)
	if err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	var texts []string
	if len(data) > 0 { // a final "\n" ends the last text rather than starting one
		for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte{'\n'}), []byte{'\n'}) {
			texts = append(texts, string(line))
		}
	}
	var encs []tokenizer.Encoding
	nbytes := len(data)
	repeat = max(repeat, 1)
	start := time.Now()
	for r := 0; r < repeat; r++ {
		if parallel {
			encs, err = tok.EncodeBatch(context.Background(), texts)
			if err != nil {
				return err
			}
			continue
		}
		if encs == nil {
			encs = make([]tokenizer.Encoding, len(texts))
		}
		for i, t := range texts {
			if encs[i], err = tok.Encode(t); err != nil {
				return fmt.Errorf("line %d: %w", i+1, err)
			}
		}
	}
	elapsed := time.Since(start)
	ntok := 0
	w := bufio.NewWriterSize(out, 1<<20)
	var buf []byte
	for _, e := range encs {
		ntok += e.Len()
		buf = buf[:0]
		for j, id := range e.IDs {
			if j > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, int64(id), 10)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	sec := elapsed.Seconds() / float64(repeat)
	mode := "1 goroutine"
	if parallel {
		mode = fmt.Sprintf("parallel, GOMAXPROCS=%d", runtime.GOMAXPROCS(0))
	}
	fmt.Fprintf(errOut, "go: %d texts, %d tokens, %.1f MB in %.3f s (%s): %.0f texts/s, %.0f tokens/s\n",
		len(texts), ntok, float64(nbytes)/1e6, sec, mode, float64(len(texts))/sec, float64(ntok)/sec)
	return nil
}
