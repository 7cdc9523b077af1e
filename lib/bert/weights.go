package bert

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/founderlab/founderlab/lib/safetensors"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// WeightSource yields checkpoint tensors by name, converted to float32.
// *safetensors.File and *safetensors.Reader implement it; [TensorMap]
// adapts in-memory GoMLX tensors.
type WeightSource interface {
	// Names lists the tensor names in the checkpoint.
	Names() []string
	// Float32 returns the named tensor's values (row-major) and shape.
	Float32(name string) ([]float32, []int, error)
}

// TensorMap is a WeightSource over in-memory GoMLX tensors keyed by
// checkpoint name.
type TensorMap map[string]*tensors.Tensor

// Names implements WeightSource.
func (m TensorMap) Names() []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Float32 implements WeightSource. The tensor must hold float32 values.
func (m TensorMap) Float32(name string) ([]float32, []int, error) {
	t, ok := m[name]
	if !ok {
		return nil, nil, fmt.Errorf("tensor %q not found", name)
	}
	values, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return nil, nil, fmt.Errorf("tensor %q: %w", name, err)
	}
	return values, slices.Clone(t.Shape().Dimensions), nil
}

// LoadReport tells how checkpoint tensors were matched to model weights.
type LoadReport struct {
	// Loaded lists the canonical names set from the checkpoint.
	Loaded []string
	// Missing lists the canonical names the checkpoint lacks (only the pooler
	// and classifier may be missing); these weights are initialised as
	// transformers initialises new weights the first time a graph runs.
	Missing []string
	// Unused lists checkpoint names that are not BertModel or classifier
	// weights, such as the masked-LM head "cls.predictions.*".
	Unused []string
}

// LoadWeights copies the weights of a Hugging Face BERT checkpoint into
// variables of ctx, under the scopes the graph functions use (see
// [SequenceOutput]), so a graph built afterwards with the same ctx computes
// the checkpoint's model. Names are matched with [CanonicalName], so
// checkpoints with or without the "bert." prefix load alike. Every
// embedding and encoder weight must be present with the shape cfg implies;
// the pooler and classifier may be missing (see LoadReport.Missing), and
// the classifier is loaded only when classifier is true. Existing variables
// are overwritten.
func LoadWeights(ctx *context.Context, cfg *Config, src WeightSource, classifier bool) (LoadReport, error) {
	var rep LoadReport
	want := make(map[string][]int)
	for _, p := range Parameters(cfg, classifier) {
		want[p.Name] = p.Shape
	}
	found := make(map[string]string) // canonical -> checkpoint name
	for _, name := range src.Names() {
		c, ok := CanonicalName(name)
		if !ok || want[c] == nil {
			if !slices.Contains(ignoredNames, strings.TrimPrefix(name, "bert.")) &&
				(classifier || !strings.HasPrefix(name, "classifier.")) {
				rep.Unused = append(rep.Unused, name)
			}
			continue
		}
		if prev, dup := found[c]; dup {
			return rep, fmt.Errorf("bert: load weights: %q and %q both name %s", prev, name, c)
		}
		found[c] = name
	}
	var missing []string
	for _, p := range Parameters(cfg, classifier) {
		name, ok := found[p.Name]
		if !ok {
			if strings.HasPrefix(p.Name, "bert.pooler.") || strings.HasPrefix(p.Name, "classifier.") {
				rep.Missing = append(rep.Missing, p.Name)
			} else {
				missing = append(missing, p.Name)
			}
			continue
		}
		values, shape, err := src.Float32(name)
		if err != nil {
			return rep, fmt.Errorf("bert: load weights: %w", err)
		}
		if !slices.Equal(shape, p.Shape) {
			return rep, fmt.Errorf("bert: load weights: %s has shape %v, config implies %v", name, shape, p.Shape)
		}
		if err := setVariable(ctx, p.Name, tensors.FromFlatDataAndDimensions(values, shape...)); err != nil {
			return rep, fmt.Errorf("bert: load weights: %s: %w", name, err)
		}
		rep.Loaded = append(rep.Loaded, p.Name)
	}
	if err := errList("bert: load weights: checkpoint lacks", missing, 5); err != nil {
		return rep, err
	}
	slices.Sort(rep.Unused)
	return rep, nil
}

// setVariable stores value in the variable of ctx that holds the canonical
// parameter name, creating it if needed.
func setVariable(ctx *context.Context, canonical string, value *tensors.Tensor) (err error) {
	scope, name := scopeOf(canonical)
	c := ctx
	for _, s := range scope {
		c = c.In(s)
	}
	if v := c.GetVariableByScopeAndName(c.Scope(), name); v != nil {
		if !v.Shape().Equal(value.Shape()) {
			return fmt.Errorf("existing variable has shape %s, checkpoint %s", v.Shape(), value.Shape())
		}
		return v.SetValue(value)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	c.VariableWithValue(name, value)
	return nil
}

// Weights returns the model weights held by ctx as safetensors tensors
// (float32) named as transformers' BertForSequenceClassification names
// them, in [Parameters] order; with classifier false it omits the classifier.
// It fails if a weight is missing or has not been initialised yet (run a
// graph or [LoadWeights] first).
func Weights(ctx *context.Context, cfg *Config, classifier bool) ([]safetensors.Tensor, error) {
	params := Parameters(cfg, classifier)
	out := make([]safetensors.Tensor, 0, len(params))
	for _, p := range params {
		scope, name := scopeOf(p.Name)
		c := ctx
		for _, s := range scope {
			c = c.In(s)
		}
		v := c.GetVariableByScopeAndName(c.Scope(), name)
		if v == nil {
			return nil, fmt.Errorf("bert: weights: no variable for %s (scope %s)", p.Name, c.Scope())
		}
		t, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("bert: weights: %s: %w", p.Name, err)
		}
		values, err := tensors.CopyFlatData[float32](t)
		if err != nil {
			return nil, fmt.Errorf("bert: weights: %s: %w", p.Name, err)
		}
		st, err := safetensors.FromFloat32(p.Name, safetensors.F32, p.Shape, values)
		if err != nil {
			return nil, fmt.Errorf("bert: weights: %w", err)
		}
		out = append(out, st)
	}
	return out, nil
}

// Save writes a Hugging Face model directory: config.json and
// model.safetensors (BertForSequenceClassification names when classifier
// is true), both atomically. transformers' from_pretrained loads it.
func Save(dir string, ctx *context.Context, cfg *Config, classifier bool) error {
	ts, err := Weights(ctx, cfg, classifier)
	if err != nil {
		return err
	}
	c := *cfg
	if len(c.Architectures) == 0 {
		if classifier {
			c.Architectures = []string{"BertForSequenceClassification"}
		} else {
			c.Architectures = []string{"BertModel"}
		}
	}
	if err := WriteConfig(dir, &c); err != nil {
		return err
	}
	if err := safetensors.WriteFile(filepath.Join(dir, "model.safetensors"), ts, map[string]string{"format": "pt"}); err != nil {
		return fmt.Errorf("bert: save %s: %w", dir, err)
	}
	return nil
}
