package recommend

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// WriteCSV exports the split to dir for other tools (the reference script
// in bench/recommend): train.csv and test.csv with the columns user,item
// (dense indices; train.csv in each user's time order) and items.csv with
// item,id,train_count for the whole catalogue. Files are written atomically.
func (s *Split) WriteCSV(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("recommend: %w", err)
	}
	write := func(name string, fill func(w *bufio.Writer)) error {
		err := atomicfile.Write(filepath.Join(dir, name), func(w io.Writer) error {
			bw := bufio.NewWriter(w)
			fill(bw)
			return bw.Flush()
		}, 0o644)
		if err != nil {
			return fmt.Errorf("recommend: writing the split: %w", err)
		}
		return nil
	}
	pairs := func(sets [][]int) func(w *bufio.Writer) {
		return func(w *bufio.Writer) {
			fmt.Fprintln(w, "user,item")
			for u, items := range sets {
				for _, i := range items {
					fmt.Fprintf(w, "%d,%d\n", u, i)
				}
			}
		}
	}
	if err := write("train.csv", pairs(s.Train)); err != nil {
		return err
	}
	if err := write("test.csv", pairs(s.Test)); err != nil {
		return err
	}
	return write("items.csv", func(w *bufio.Writer) {
		fmt.Fprintln(w, "item,id,train_count")
		for i, it := range s.Items {
			fmt.Fprintf(w, "%d,%d,%d\n", i, it.ID, s.Pop[i])
		}
	})
}
