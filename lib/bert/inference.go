package bert

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sync"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert/tokenizer"
	"github.com/founderlab/founderlab/lib/safetensors"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// Model is a BERT model ready for inference: BertModel, with the pooler
// and the sequence-classification head when its checkpoint has them, on a
// GoMLX backend. Its methods are safe for concurrent use.
//
// Config and the exported fields may be set before the first call that runs
// the model; Config must not change afterwards (graphs are compiled once per
// input shape).
type Model struct {
	// Config is the architecture.
	Config Config
	// NormalizeEmbeddings makes Embed return unit-length vectors (so a dot
	// product is the cosine similarity). Load sets it when the directory is a
	// sentence-transformers model whose modules.json ends with Normalize.
	NormalizeEmbeddings bool
	// MaxLength is the most tokens per text (special tokens included) that
	// Embed and Predict feed the model; longer texts are truncated.
	MaxLength int
	// BatchSize is how many texts Embed and Predict run at once
	// (DefaultBatchSize when 0).
	BatchSize int

	tok *tokenizer.Tokenizer

	backend     backends.Backend
	backendNote string
	vars        *mlctx.Context
	pooler      bool
	classifier  bool

	mu        sync.Mutex
	runExec   *mlctx.Exec
	embedExec *mlctx.Exec
	logitExec *mlctx.Exec
}

// LoadWeightsFile reads a model.safetensors checkpoint into a new Model for
// cfg on the backend chosen by lib/backend. The classifier head is loaded
// when the checkpoint has one.
func LoadWeightsFile(cfg Config, path string) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bert: %w", err)
	}
	defer f.Close()
	vars := mlctx.New()
	hasClassifier := false
	for _, n := range f.Names() {
		if c, ok := CanonicalName(n); ok && c == "classifier.weight" {
			hasClassifier = true
		}
	}
	// Pooler and classifier presence is read back from vars by newModel.
	_, err = LoadWeights(vars, &cfg, f, hasClassifier)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	choice, err := backend.New()
	if err != nil {
		return nil, fmt.Errorf("bert: %w", err)
	}
	m := newModel(choice.Backend, cfg, vars)
	m.backendNote = choice.String()
	return m, nil
}

// New wraps weights already held in vars (for example a model being
// fine-tuned, whose graph was built with [ClassifierLogits] on vars) as a
// Model running on b. The pooler and classifier are used when vars has
// their weights.
func New(b backends.Backend, cfg Config, vars *mlctx.Context) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, errors.New("bert: New: nil backend")
	}
	m := newModel(b, cfg, vars)
	m.backendNote = b.Name()
	return m, nil
}

func newModel(b backends.Backend, cfg Config, vars *mlctx.Context) *Model {
	has := func(canonical string) bool {
		scope, name := scopeOf(canonical)
		c := vars
		for _, s := range scope {
			c = c.In(s)
		}
		return c.GetVariableByScopeAndName(c.Scope(), name) != nil
	}
	return &Model{
		Config:     cfg,
		MaxLength:  min(512, cfg.MaxPositionEmbeddings),
		backend:    b,
		vars:       vars,
		pooler:     has("bert.pooler.dense.weight"),
		classifier: has("classifier.weight"),
	}
}

// Backend describes the backend the model runs on (for example
// "go:parallelism=-1 (no XLA PJRT plugin installed ...)").
func (m *Model) Backend() string { return m.backendNote }

// Vars returns the GoMLX context holding the weights, for building training
// graphs with [ClassifierLogits] on the same variables.
func (m *Model) Vars() *mlctx.Context { return m.vars }

// HasClassifier reports whether the model has a sequence-classification head.
func (m *Model) HasClassifier() bool { return m.classifier }

// HasPooler reports whether the model has BertModel's pooler.
func (m *Model) HasPooler() bool { return m.pooler }

// Save writes the model as a Hugging Face model directory (config.json and
// model.safetensors); see [Save].
func (m *Model) Save(dir string) error {
	if !m.pooler {
		return fmt.Errorf("bert: save %s: model has no pooler weights", dir)
	}
	return Save(dir, m.vars, &m.Config, m.classifier)
}

// Run computes the model's outputs for a batch of token ids. Pooled output
// and logits are nil when the model lacks a pooler or classifier.
func (m *Model) Run(ctx context.Context, b Batch) (*Output, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ids, types, mask, err := b.tensors(&m.Config)
	if err != nil {
		return nil, err
	}
	e, err := m.exec(&m.runExec, func(c *mlctx.Context, ids, types, mask *graph.Node) []*graph.Node {
		seq := SequenceOutput(c, &m.Config, ids, types, mask)
		out := []*graph.Node{seq, MeanPooling(seq, mask)}
		if m.pooler {
			pooled := Pooled(c, &m.Config, seq)
			out = append(out, pooled)
			if m.classifier {
				out = append(out, linear(c.In("classifier"), &m.Config, pooled, m.Config.NumLabels()))
			}
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	res, err := execute(e, ids, types, mask)
	if err != nil {
		return nil, err
	}
	n := len(b.InputIDs)
	out := &Output{}
	if out.LastHiddenState, err = rows3(res[0], n); err != nil {
		return nil, err
	}
	if out.MeanPooled, err = rows2(res[1], n); err != nil {
		return nil, err
	}
	if len(res) > 2 {
		if out.PooledOutput, err = rows2(res[2], n); err != nil {
			return nil, err
		}
	}
	if len(res) > 3 {
		if out.Logits, err = rows2(res[3], n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EmbedBatch returns the sentence embeddings of a batch of token ids: the
// mean of the last hidden states of real tokens, normalised to unit length
// when NormalizeEmbeddings is set.
func (m *Model) EmbedBatch(ctx context.Context, b Batch) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ids, types, mask, err := b.tensors(&m.Config)
	if err != nil {
		return nil, err
	}
	e, err := m.exec(&m.embedExec, func(c *mlctx.Context, ids, types, mask *graph.Node) []*graph.Node {
		return []*graph.Node{MeanPooling(SequenceOutput(c, &m.Config, ids, types, mask), mask)}
	})
	if err != nil {
		return nil, err
	}
	res, err := execute(e, ids, types, mask)
	if err != nil {
		return nil, err
	}
	rows, err := rows2(res[0], len(b.InputIDs))
	if err != nil {
		return nil, err
	}
	if m.NormalizeEmbeddings {
		for _, r := range rows {
			normalize(r)
		}
	}
	return rows, nil
}

// normalize scales v to unit Euclidean length in place, dividing by
// max(‖v‖, 1e-12) as torch.nn.functional.normalize does.
func normalize(v []float32) {
	var ss float64
	for _, x := range v {
		ss += float64(x) * float64(x)
	}
	n := max(math.Sqrt(ss), 1e-12)
	for i := range v {
		v[i] = float32(float64(v[i]) / n)
	}
}

// LogitsBatch returns the classifier logits [batch][labels] of a batch of
// token ids.
func (m *Model) LogitsBatch(ctx context.Context, b Batch) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !m.classifier || !m.pooler {
		return nil, errors.New("bert: model has no sequence-classification head (classifier.* weights)")
	}
	ids, types, mask, err := b.tensors(&m.Config)
	if err != nil {
		return nil, err
	}
	e, err := m.exec(&m.logitExec, func(c *mlctx.Context, ids, types, mask *graph.Node) []*graph.Node {
		return []*graph.Node{ClassifierLogits(c, &m.Config, ids, types, mask)}
	})
	if err != nil {
		return nil, err
	}
	res, err := execute(e, ids, types, mask)
	if err != nil {
		return nil, err
	}
	return rows2(res[0], len(b.InputIDs))
}

// exec returns *slot, creating the executor for fn on first use.
func (m *Model) exec(slot **mlctx.Exec, fn func(c *mlctx.Context, ids, types, mask *graph.Node) []*graph.Node) (*mlctx.Exec, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if *slot != nil {
		return *slot, nil
	}
	e, err := mlctx.NewExec(m.backend, m.vars.Checked(false), fn)
	if err != nil {
		return nil, fmt.Errorf("bert: %w", err)
	}
	e.SetMaxCache(64)
	*slot = e
	return e, nil
}

// execute runs e, turning panics raised while building the graph into errors.
func execute(e *mlctx.Exec, args ...any) (out []*tensors.Tensor, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bert: %v", r)
		}
	}()
	out, err = e.Exec(args...)
	if err != nil {
		return nil, fmt.Errorf("bert: %w", err)
	}
	return out, nil
}

// fileExists reports whether path names a regular file.
func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
