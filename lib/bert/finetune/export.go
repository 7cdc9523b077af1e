package finetune

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/lib/bert"
)

// Export writes the fine-tuned model as a Hugging Face model directory
// (config.json and model.safetensors with BertForSequenceClassification
// names) and copies the tokenizer files found in tokenizerDir (vocab.txt,
// tokenizer.json, tokenizer_config.json, special_tokens_map.json), if not
// empty. transformers' AutoModelForSequenceClassification and AutoTokenizer
// load the result.
func (t *Trainer) Export(dir, tokenizerDir string) error {
	cfg := t.cfg
	if len(cfg.Architectures) == 0 {
		cfg.Architectures = []string{"BertForSequenceClassification"}
	}
	if cfg.ProblemType == "" {
		cfg.ProblemType = "single_label_classification"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("finetune: export: %w", err)
	}
	if err := bert.Save(dir, t.vars, &cfg, true); err != nil {
		return fmt.Errorf("finetune: export %s: %w", dir, err)
	}
	if tokenizerDir == "" {
		return nil
	}
	for _, name := range []string{"vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"} {
		data, err := os.ReadFile(filepath.Join(tokenizerDir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("finetune: export tokenizer: %w", err)
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("finetune: export tokenizer: %w", err)
		}
	}
	return nil
}
