package finetune

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/bert"
)

// EnvRefPython names the Python interpreter with transformers (the reference
// venv, .venv-ref/bin/python) used by TestExportRoundTrip when set.
const EnvRefPython = "FOUNDERLAB_REF_PYTHON"

// TestExportRoundTrip fine-tunes a tiny model, exports it in Hugging Face
// format with a tokenizer, reloads it with lib/bert and compares logits; with
// $FOUNDERLAB_REF_PYTHON set it also loads the export with PyPI transformers
// (scripts/golden-finetune-roundtrip.py) and requires logits within 1e-4.
func TestExportRoundTrip(t *testing.T) {
	train, dev := synthetic(48, 1), synthetic(16, 2)
	o := testOptions("")
	o.Epochs = 2
	tr := newTrainer(t, o)
	if _, err := tr.Fit(context.Background(), train, dev, nil, nil); err != nil {
		t.Fatal(err)
	}
	tokDir := t.TempDir()
	vocab := []string{"[PAD]", "[unused0]", "[CLS]", "[SEP]", "[MASK]", "[UNK]"}
	for len(vocab) < tinyConfig().VocabSize {
		vocab = append(vocab, "w"+string(rune('a'+len(vocab)%26))+string(rune('a'+len(vocab)/26)))
	}
	if err := os.WriteFile(filepath.Join(tokDir, "vocab.txt"), []byte(strings.Join(vocab, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tokDir, "tokenizer_config.json"), []byte(`{"do_lower_case": true, "tokenizer_class": "BertTokenizer"}`), 0o644)
	out := filepath.Join(t.TempDir(), "not", "yet", "there")
	if err := tr.Export(out, tokDir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("export lacks %s: %v", f, err)
		} else if st.Mode().Perm() != 0o644 {
			t.Errorf("export: %s has mode %v, want 0644", f, st.Mode().Perm())
		}
	}
	cfg, err := bert.ReadConfig(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := bert.LoadWeightsFile(cfg, filepath.Join(out, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	probs, err := tr.Predict(context.Background(), dev)
	if err != nil {
		t.Fatal(err)
	}
	var batch bert.Batch
	for _, e := range dev {
		batch.InputIDs = append(batch.InputIDs, e.InputIDs)
		batch.AttentionMask = append(batch.AttentionMask, e.AttentionMask)
	}
	res, err := m.Run(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range res.Logits {
		p := softmax(l)
		if math.Abs(p[1]-probs[i][1]) > 1e-5 {
			t.Fatalf("example %d: reloaded model gives p=%v, trainer %v", i, p, probs[i])
		}
	}
	py := os.Getenv(EnvRefPython)
	if py == "" {
		t.Logf("$%s not set: transformers round trip skipped", EnvRefPython)
		return
	}
	cases := map[string]any{"input_ids": batch.InputIDs, "attention_mask": batch.AttentionMask, "logits": res.Logits}
	js, _ := json.Marshal(cases)
	casesPath := filepath.Join(t.TempDir(), "cases.json")
	os.WriteFile(casesPath, js, 0o644)
	script, _ := filepath.Abs("../../../scripts/golden-finetune-roundtrip.py")
	cmd := exec.Command(py, script, out, casesPath)
	cmd.Env = append(os.Environ(), "HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1")
	outb, err := cmd.CombinedOutput()
	t.Logf("transformers: %s", outb)
	if err != nil {
		t.Fatalf("transformers round trip failed: %v", err)
	}
}
