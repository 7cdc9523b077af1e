// Command logreg benchmarks lib/textclass's dense logistic regression
// against scikit-learn:
//
//	go run ./bench/logreg -train TRAIN.csv -test TEST.csv [-C 10]
//
// Both files hold one example per row, label,x1,…,xd, with an integer class
// label and no header (bench/logreg/embed writes Banking77's sentence
// embeddings this way). It fits textclass.FitDense on the training file
// (classes 0…max label, L2 penalty 1/C, scikit-learn's default tolerance
// 1e-4, at most -max-iter iterations) and prints three lines,
//
//	fit_s <seconds>
//	iterations <L-BFGS iterations>
//	accuracy <test accuracy>
//
// where the time covers FitDense only, not reading the files.
// sklearn_logreg.py prints the same for scikit-learn's
// LogisticRegression(C, max_iter=2000), and run.sh runs both.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/founderlab/founderlab/lib/textclass"
)

func main() {
	train := flag.String("train", "", "training CSV: label,x1,…,xd per row, no header")
	test := flag.String("test", "", "test CSV in the same layout")
	c := flag.Float64("C", 10, "inverse regularisation strength")
	tol := flag.Float64("tol", 1e-4, "gradient tolerance (scikit-learn's tol)")
	maxIter := flag.Int("max-iter", 2000, "most L-BFGS iterations")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the fit to this file")
	flag.Parse()
	if err := run(*train, *test, *c, *tol, *maxIter, *cpuprofile); err != nil {
		fmt.Fprintln(os.Stderr, "logreg:", err)
		os.Exit(1)
	}
}

func run(trainFile, testFile string, c, tol float64, maxIter int, cpuprofile string) error {
	if trainFile == "" || testFile == "" {
		return errors.New("need -train FILE.csv and -test FILE.csv")
	}
	xTrain, yTrain, err := readCSV(trainFile)
	if err != nil {
		return err
	}
	xTest, yTest, err := readCSV(testFile)
	if err != nil {
		return err
	}
	if xTest.Cols != xTrain.Cols {
		return fmt.Errorf("%s has %d features, %s has %d", testFile, xTest.Cols, trainFile, xTrain.Cols)
	}
	classes := 0
	for _, v := range yTrain {
		classes = max(classes, v+1)
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	start := time.Now()
	m, err := textclass.FitDense(context.Background(), xTrain, yTrain, classes, textclass.LogRegOptions{C: c, Tol: tol, MaxIter: maxIter})
	elapsed := time.Since(start)
	if cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	pred, err := m.PredictDense(xTest)
	if err != nil {
		return err
	}
	correct := 0
	for i, p := range pred {
		if p == yTest[i] {
			correct++
		}
	}
	if !m.Converged {
		fmt.Fprintf(os.Stderr, "logreg: not converged after %d iterations\n", m.Iterations)
	}
	fmt.Printf("fit_s %.3f\n", elapsed.Seconds())
	fmt.Printf("iterations %d\n", m.Iterations)
	fmt.Printf("accuracy %.4f\n", float64(correct)/float64(len(pred)))
	return nil
}

// readCSV reads rows label,x1,…,xd.
func readCSV(path string) (textclass.Matrix, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return textclass.Matrix{}, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	var x textclass.Matrix
	var y []int
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		if x.Cols == 0 {
			x.Cols = len(fields) - 1
			if x.Cols < 1 {
				return x, nil, fmt.Errorf("%s:%d: need a label and at least one feature", path, line)
			}
		}
		if len(fields)-1 != x.Cols {
			return x, nil, fmt.Errorf("%s:%d: %d features, earlier rows have %d", path, line, len(fields)-1, x.Cols)
		}
		label, err := strconv.Atoi(fields[0])
		if err != nil || label < 0 {
			return x, nil, fmt.Errorf("%s:%d: label %q is not a class number", path, line, fields[0])
		}
		y = append(y, label)
		for _, s := range fields[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return x, nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
			x.Data = append(x.Data, v)
		}
		x.Rows++
	}
	if err := sc.Err(); err != nil {
		return x, nil, fmt.Errorf("%s: %w", path, err)
	}
	if x.Rows == 0 {
		return x, nil, fmt.Errorf("%s: no rows", path)
	}
	return x, y, nil
}
