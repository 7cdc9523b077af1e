package finetune

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/safetensors"
)

// Export writes the fine-tuned model as a Hugging Face model directory
// (config.json and model.safetensors with BertForSequenceClassification
// names) and copies the tokenizer files found in tokenizerDir (vocab.txt,
// tokenizer.json, tokenizer_config.json, special_tokens_map.json), if not
// empty. transformers' AutoModelForSequenceClassification and AutoTokenizer
// load the result. A model trained with Options.Adapter cannot be
// written so (its adapters are not BERT weights): Export returns
// [ErrAdapterExport]. With Options.LoRA the adapters are merged into the
// weights written (W + (alpha/r)·B·A); the trainer's own weights stay as
// they are.
func (t *Trainer) Export(dir, tokenizerDir string) error {
	cfg := t.cfg
	if cfg.Adapter != nil {
		return ErrAdapterExport
	}
	if len(cfg.Architectures) == 0 {
		cfg.Architectures = []string{"BertForSequenceClassification"}
	}
	if cfg.ProblemType == "" {
		cfg.ProblemType = "single_label_classification"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("finetune: export: %w", err)
	}
	if err := t.saveModel(dir, &cfg); err != nil {
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

// ErrAdapterExport is returned by [Trainer.Export] for a model trained with
// bottleneck adapters, which transformers' BertForSequenceClassification
// cannot represent and which do not fold into the base weights.
var ErrAdapterExport = errors.New("finetune: export: a model with bottleneck adapters (Options.Adapter) has no BertForSequenceClassification form")

// saveModel writes config.json and model.safetensors, the LoRA update
// merged in.
func (t *Trainer) saveModel(dir string, cfg *bert.Config) error {
	if cfg.LoRA == nil {
		return bert.Save(dir, t.vars, cfg, true)
	}
	ts, err := bert.MergedWeights(t.vars, cfg, true)
	if err != nil {
		return err
	}
	plain := *cfg
	plain.LoRA = nil
	if err := bert.WriteConfig(dir, &plain); err != nil {
		return err
	}
	return safetensors.WriteFile(filepath.Join(dir, "model.safetensors"), ts, map[string]string{"format": "pt"})
}

// ExportAdapter writes the LoRA adapter and classifier head trained with
// Options.LoRA as a Hugging Face PEFT adapter directory
// (adapter_config.json, adapter_model.safetensors; see
// bert.SaveLoRAAdapter), naming baseModel (a hub id or a path; may be
// empty) as its base. peft's PeftModel.from_pretrained loads it over that
// base model.
func (t *Trainer) ExportAdapter(dir, baseModel string) error {
	if t.cfg.LoRA == nil {
		return errors.New("finetune: export adapter: the trainer has no Options.LoRA")
	}
	if err := bert.SaveLoRAAdapter(dir, t.vars, &t.cfg, baseModel); err != nil {
		return fmt.Errorf("finetune: export adapter %s: %w", dir, err)
	}
	return nil
}
