package bert

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Config is the architecture of a BERT model, read from a Hugging Face
// config.json. Field names follow the JSON keys of transformers' BertConfig.
type Config struct {
	// VocabSize is the number of rows of the word-embedding table.
	VocabSize int `json:"vocab_size"`
	// HiddenSize is the width H of every token vector.
	HiddenSize int `json:"hidden_size"`
	// NumHiddenLayers is the number of encoder layers.
	NumHiddenLayers int `json:"num_hidden_layers"`
	// NumAttentionHeads divides HiddenSize into heads of HiddenSize/NumAttentionHeads.
	NumAttentionHeads int `json:"num_attention_heads"`
	// IntermediateSize is the width of the feed-forward layer inside each encoder layer.
	IntermediateSize int `json:"intermediate_size"`
	// HiddenAct is the feed-forward activation: "gelu" (exact, with erf),
	// "gelu_new" or "gelu_pytorch_tanh" (tanh approximation), "relu", "silu".
	HiddenAct string `json:"hidden_act"`
	// HiddenDropoutProb is the dropout rate after embeddings and sub-layers (training only).
	HiddenDropoutProb float64 `json:"hidden_dropout_prob"`
	// AttentionProbsDropoutProb is the dropout rate of attention probabilities (training only).
	AttentionProbsDropoutProb float64 `json:"attention_probs_dropout_prob"`
	// ClassifierDropout, when set, replaces HiddenDropoutProb before the classifier.
	ClassifierDropout *float64 `json:"classifier_dropout,omitempty"`
	// MaxPositionEmbeddings is the longest sequence the model accepts.
	MaxPositionEmbeddings int `json:"max_position_embeddings"`
	// TypeVocabSize is the number of token types (segments), usually 2.
	TypeVocabSize int `json:"type_vocab_size"`
	// InitializerRange is the standard deviation used to initialise new weights.
	InitializerRange float64 `json:"initializer_range"`
	// LayerNormEps is the ε added to the variance in every LayerNorm.
	LayerNormEps float64 `json:"layer_norm_eps"`
	// PadTokenID is the id of [PAD].
	PadTokenID int `json:"pad_token_id"`
	// PositionEmbeddingType must be "absolute" (the only kind implemented).
	PositionEmbeddingType string `json:"position_embedding_type,omitempty"`
	// ID2Label names the classifier outputs, keyed by the decimal index.
	ID2Label map[string]string `json:"id2label,omitempty"`
	// Label2ID is the inverse of ID2Label.
	Label2ID map[string]int `json:"label2id,omitempty"`
	// ProblemType is "single_label_classification" for softmax classifiers.
	ProblemType string `json:"problem_type,omitempty"`
	// Architectures lists the transformers classes the checkpoint was saved from.
	Architectures []string `json:"architectures,omitempty"`
	// ModelType is "bert".
	ModelType string `json:"model_type"`

	// LoRA, if not nil, adds low-rank adapters to the encoder's linear
	// layers (see [LoRA]). It is not part of config.json: an adapter is
	// saved apart from its base model ([SaveLoRAAdapter]).
	LoRA *LoRA `json:"-"`
	// Adapter, if not nil, adds bottleneck adapters after the attention
	// and feed-forward blocks of every encoder layer (see [Adapter]). It is
	// not part of config.json.
	Adapter *Adapter `json:"-"`
}

// DefaultConfig returns the bert-base-uncased architecture with the given
// number of labels (label names LABEL_0, LABEL_1, ...).
func DefaultConfig(numLabels int) Config {
	c := Config{
		VocabSize: 30522, HiddenSize: 768, NumHiddenLayers: 12, NumAttentionHeads: 12,
		IntermediateSize: 3072, HiddenAct: "gelu", HiddenDropoutProb: 0.1,
		AttentionProbsDropoutProb: 0.1, MaxPositionEmbeddings: 512, TypeVocabSize: 2,
		InitializerRange: 0.02, LayerNormEps: 1e-12, PositionEmbeddingType: "absolute",
		ModelType: "bert",
	}
	names := make([]string, numLabels)
	for i := range names {
		names[i] = "LABEL_" + strconv.Itoa(i)
	}
	c.SetLabels(names)
	return c
}

// ParseConfig decodes a Hugging Face config.json. Missing fields take the
// transformers BertConfig defaults; the result is validated.
func ParseConfig(data []byte) (Config, error) {
	c := DefaultConfig(2)
	c.ID2Label, c.Label2ID = nil, nil
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, fmt.Errorf("bert: config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// ReadConfig reads and validates a config.json file, or the config.json
// inside a directory.
func ReadConfig(path string) (Config, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "config.json")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("bert: read config: %w", err)
	}
	c, err := ParseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("%w (file %s)", err, path)
	}
	return c, nil
}

// Validate reports the first inconsistency in c.
func (c *Config) Validate() error {
	check := []struct {
		name string
		v    int
	}{
		{"vocab_size", c.VocabSize}, {"hidden_size", c.HiddenSize},
		{"num_hidden_layers", c.NumHiddenLayers}, {"num_attention_heads", c.NumAttentionHeads},
		{"intermediate_size", c.IntermediateSize}, {"max_position_embeddings", c.MaxPositionEmbeddings},
		{"type_vocab_size", c.TypeVocabSize},
	}
	for _, f := range check {
		if f.v <= 0 {
			return fmt.Errorf("bert: config: %s = %d, want > 0", f.name, f.v)
		}
	}
	if c.HiddenSize%c.NumAttentionHeads != 0 {
		return fmt.Errorf("bert: config: hidden_size %d is not a multiple of num_attention_heads %d",
			c.HiddenSize, c.NumAttentionHeads)
	}
	if c.ModelType != "" && c.ModelType != "bert" {
		return fmt.Errorf("bert: config: model_type %q is not \"bert\"", c.ModelType)
	}
	if c.PositionEmbeddingType != "" && c.PositionEmbeddingType != "absolute" {
		return fmt.Errorf("bert: config: position_embedding_type %q not supported (only \"absolute\")",
			c.PositionEmbeddingType)
	}
	if _, err := activation(c.HiddenAct); err != nil {
		return fmt.Errorf("bert: config: %w", err)
	}
	if c.Adapter != nil {
		if err := c.Adapter.Validate(); err != nil {
			return err
		}
	}
	if c.LayerNormEps <= 0 {
		return fmt.Errorf("bert: config: layer_norm_eps = %g, want > 0", c.LayerNormEps)
	}
	for k := range c.ID2Label {
		if i, err := strconv.Atoi(k); err != nil || i < 0 || i >= len(c.ID2Label) {
			return fmt.Errorf("bert: config: id2label key %q is not an index in [0, %d)", k, len(c.ID2Label))
		}
	}
	return nil
}

// NumLabels is the number of classifier outputs: len(ID2Label), or 2 (the
// transformers default) when the config names no labels.
func (c *Config) NumLabels() int {
	if len(c.ID2Label) > 0 {
		return len(c.ID2Label)
	}
	return 2
}

// Labels returns the label names in index order (LABEL_i for unnamed ones).
func (c *Config) Labels() []string {
	out := make([]string, c.NumLabels())
	for i := range out {
		if name, ok := c.ID2Label[strconv.Itoa(i)]; ok {
			out[i] = name
		} else {
			out[i] = "LABEL_" + strconv.Itoa(i)
		}
	}
	return out
}

// SetLabels sets ID2Label and Label2ID from label names in index order.
func (c *Config) SetLabels(names []string) {
	c.ID2Label = make(map[string]string, len(names))
	c.Label2ID = make(map[string]int, len(names))
	for i, n := range names {
		c.ID2Label[strconv.Itoa(i)] = n
		c.Label2ID[n] = i
	}
}

// HeadSize is HiddenSize / NumAttentionHeads.
func (c *Config) HeadSize() int { return c.HiddenSize / c.NumAttentionHeads }

// classifierDropout is the dropout rate applied to the pooled output.
func (c *Config) classifierDropout() float64 {
	if c.ClassifierDropout != nil {
		return *c.ClassifierDropout
	}
	return c.HiddenDropoutProb
}

// JSON encodes c as a Hugging Face config.json (indented, keys sorted).
func (c *Config) JSON() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	cc := *c
	if cc.ModelType == "" {
		cc.ModelType = "bert"
	}
	if cc.PositionEmbeddingType == "" {
		cc.PositionEmbeddingType = "absolute"
	}
	raw, err := json.Marshal(cc)
	if err != nil {
		return nil, fmt.Errorf("bert: config: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("bert: config: %w", err)
	}
	return json.MarshalIndent(m, "", "  ") // maps are encoded with sorted keys
}

// WriteConfig writes c as config.json inside dir, atomically (see
// internal/atomicfile), readable by all (0644).
func WriteConfig(dir string, c *Config) error {
	data, err := c.JSON()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "config.json")
	if err := atomicfile.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	return nil
}

// errList joins messages into one error, sorted, at most max shown.
func errList(prefix string, items []string, max int) error {
	if len(items) == 0 {
		return nil
	}
	sort.Strings(items)
	shown := items
	if len(shown) > max {
		shown = shown[:max]
	}
	msg := prefix + ": " + strings.Join(shown, ", ")
	if len(items) > max {
		msg += fmt.Sprintf(" (and %d more)", len(items)-max)
	}
	return errors.New(msg)
}
