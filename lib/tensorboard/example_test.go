package tensorboard_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/lib/tensorboard"
)

// A training loop logs its loss at every step; `tensorboard --logdir runs`
// then shows run "lr-1e-4" beside any other run under runs/.
func ExampleWriter() {
	root, err := os.MkdirTemp("", "runs")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	w, err := tensorboard.NewWriter(filepath.Join(root, "lr-1e-4"))
	if err != nil {
		log.Fatal(err)
	}
	for step, loss := range []float64{2.0, 1.5, 1.25} {
		if err := w.Scalar(int64(step), "train/loss", loss); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	scalars, err := tensorboard.ReadDir(filepath.Join(root, "lr-1e-4"))
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range scalars {
		fmt.Println(s.Step, s.Tag, s.Value)
	}
	// Output:
	// 0 train/loss 2
	// 1 train/loss 1.5
	// 2 train/loss 1.25
}
