package datasets_test

import (
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
)

// TestCardsNameTheirNotebooks keeps the cards true: the notebook each card
// says uses it reads it, and every data set a notebook reads names that
// notebook on its card.
func TestCardsNameTheirNotebooks(t *testing.T) {
	uses := map[string][]string{} // data set → notebooks that read it
	nbs, err := filepath.Glob("../notebooks/[0-9][0-9]-*.ipynb")
	if err != nil || len(nbs) < 6 {
		t.Fatalf("notebooks: %v (%d found)", err, len(nbs))
	}
	for _, nb := range nbs {
		names, err := testenv.NotebookData(nb)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			uses[n] = append(uses[n], filepath.Base(nb)[:2])
		}
	}
	mention := regexp.MustCompile(`\bnotebook (\d\d)\b`)
	for _, c := range datasets.Cards() {
		var said []string
		for _, m := range mention.FindAllStringSubmatch(c.Description, -1) {
			said = append(said, m[1])
		}
		if len(said) == 0 {
			t.Errorf("card %s: description names no notebook: %q", c.Name, c.Description)
		}
		for _, n := range said {
			if !slices.Contains(uses[c.Name], n) {
				t.Errorf("card %s says notebook %s uses it, but notebook %s reads no %s (readers: %v)", c.Name, n, n, c.Name, uses[c.Name])
			}
		}
		for _, n := range uses[c.Name] {
			if !slices.Contains(said, n) {
				t.Errorf("card %s: notebook %s reads it, but the card does not say so", c.Name, n)
			}
		}
	}
}
