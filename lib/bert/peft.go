package bert

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/founderlab/founderlab/internal/jsonfile"
	"github.com/founderlab/founderlab/lib/safetensors"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Files of a PEFT adapter directory.
const (
	AdapterConfigFile  = "adapter_config.json"
	AdapterWeightsFile = "adapter_model.safetensors"
)

// peftPrefix starts every tensor name of a PEFT adapter: the PeftModel's
// base_model (the LoRA model) wraps the transformers model as "model".
const peftPrefix = "base_model.model."

// maxAdapterConfig bounds the size of adapter_config.json we read.
const maxAdapterConfig = 1 << 20

// peftConfig holds the fields of PEFT's LoraConfig that we write and check.
type peftConfig struct {
	BaseModel         *string        `json:"base_model_name_or_path"`
	PeftType          string         `json:"peft_type"`
	TaskType          string         `json:"task_type"`
	R                 int            `json:"r"`
	LoraAlpha         float64        `json:"lora_alpha"`
	LoraDropout       float64        `json:"lora_dropout"`
	TargetModules     any            `json:"target_modules"`
	ModulesToSave     []string       `json:"modules_to_save"`
	Bias              string         `json:"bias"`
	FanInFanOut       bool           `json:"fan_in_fan_out"`
	InferenceMode     bool           `json:"inference_mode"`
	InitLoraWeights   any            `json:"init_lora_weights"`
	UseRSLoRA         bool           `json:"use_rslora"`
	UseDoRA           bool           `json:"use_dora"`
	LoraBias          bool           `json:"lora_bias"`
	RankPattern       map[string]any `json:"rank_pattern"`
	AlphaPattern      map[string]any `json:"alpha_pattern"`
	LayersToTransform any            `json:"layers_to_transform"`
}

// peftModuleName is PEFT's target_modules entry of a target: the shortest
// suffix of the module name that names only it.
func peftModuleName(t Target) string {
	switch t {
	case TargetQuery:
		return "query"
	case TargetKey:
		return "key"
	case TargetValue:
		return "value"
	case TargetAttentionOutput:
		return "attention.output.dense"
	case TargetIntermediate:
		return "intermediate.dense"
	}
	return "output.dense"
}

// peftTargetModules is target_modules for targets: a list of module-name
// suffixes, or, when TargetOutput is adapted (whose suffix "output.dense"
// also ends "attention.output.dense"), a regular expression that PEFT
// matches against whole module names.
func peftTargetModules(targets Target) any {
	var names, res []string
	for _, m := range targetModules {
		if targets.has(m.t) {
			names = append(names, peftModuleName(m.t))
			res = append(res, regexp.QuoteMeta(m.path))
		}
	}
	if !targets.has(TargetOutput) {
		return names
	}
	return `.*\.encoder\.layer\.\d+\.(` + strings.Join(res, "|") + `)`
}

// SaveLoRAAdapter writes the LoRA adapter of cfg.LoRA and the classifier
// head held by ctx as a Hugging Face PEFT adapter directory, for a model
// fine-tuned with task_type SEQ_CLS: adapter_config.json and
// adapter_model.safetensors, whose tensors are named
// "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight"
// ([r, in]), "...lora_B.weight" ([out, r]) and, since the classifier is in
// modules_to_save, "base_model.model.classifier.weight" and ".bias" (with
// LoRA.TrainPooler, "pooler" is in modules_to_save too and
// "base_model.model.bert.pooler.dense.weight" and ".bias" are written). PEFT's
// PeftModel.from_pretrained(base, dir) loads it over the base model named
// baseModel (written as base_model_name_or_path; may be empty). Both files
// are written atomically.
func SaveLoRAAdapter(dir string, ctx *context.Context, cfg *Config, baseModel string) error {
	if cfg.LoRA == nil {
		return fmt.Errorf("%w: save adapter: the configuration has no LoRA", ErrLoRA)
	}
	l := *cfg.LoRA
	if err := l.Validate(); err != nil {
		return err
	}
	params := adapterTensors(cfg)
	ts := make([]safetensors.Tensor, 0, len(params))
	for _, p := range params {
		values, err := float32Var(ctx, p.Name)
		if err != nil {
			return fmt.Errorf("bert: save adapter: %w", err)
		}
		t, err := safetensors.FromFloat32(peftPrefix+p.Name, safetensors.F32, p.Shape, values)
		if err != nil {
			return fmt.Errorf("bert: save adapter: %w", err)
		}
		ts = append(ts, t)
	}
	pc := peftConfig{PeftType: "LORA", TaskType: "SEQ_CLS", R: l.Rank, LoraAlpha: l.Alpha, LoraDropout: l.Dropout,
		TargetModules: peftTargetModules(l.targets()), ModulesToSave: []string{"classifier", "score"},
		Bias: "none", InferenceMode: true, InitLoraWeights: true,
		RankPattern: map[string]any{}, AlphaPattern: map[string]any{}}
	if l.TrainPooler {
		pc.ModulesToSave = append(pc.ModulesToSave, "pooler")
	}
	if baseModel != "" {
		pc.BaseModel = &baseModel
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bert: save adapter: %w", err)
	}
	if err := safetensors.WriteFile(filepath.Join(dir, AdapterWeightsFile), ts, map[string]string{"format": "pt"}); err != nil {
		return fmt.Errorf("bert: save adapter: %w", err)
	}
	if err := jsonfile.Write(filepath.Join(dir, AdapterConfigFile), pc); err != nil {
		return fmt.Errorf("bert: save adapter: %w", err)
	}
	return nil
}

// LoadLoRAAdapter reads a PEFT LoRA adapter directory (adapter_config.json
// and adapter_model.safetensors, as [SaveLoRAAdapter] or PEFT's
// save_pretrained write them) for the model described by cfg, stores its
// matrices and classifier head in ctx, and returns its settings; set them as
// cfg.LoRA to build the adapted model over the base weights already in
// ctx. The adapted layers are read from the tensor names, so any
// target_modules that selects whole layer types of every encoder layer
// loads. Settings this package does not implement (DoRA, rsLoRA, per-layer
// ranks or alphas, trained biases, layers_to_transform) give an error
// wrapping [ErrLoRA], as do missing or misshapen tensors.
func LoadLoRAAdapter(dir string, ctx *context.Context, cfg *Config) (LoRA, error) {
	cpath := filepath.Join(dir, AdapterConfigFile)
	pc, err := jsonfile.Read[peftConfig](cpath, maxAdapterConfig)
	if err != nil {
		return LoRA{}, fmt.Errorf("bert: load adapter: %w", err)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrLoRA, cpath, fmt.Sprintf(format, args...))
	}
	switch {
	case pc.PeftType != "LORA":
		return LoRA{}, bad("peft_type %q, want LORA", pc.PeftType)
	case pc.TaskType != "SEQ_CLS":
		return LoRA{}, bad("task_type %q, want SEQ_CLS", pc.TaskType)
	case pc.UseDoRA || pc.UseRSLoRA || pc.LoraBias || pc.FanInFanOut:
		return LoRA{}, bad("use_dora, use_rslora, lora_bias and fan_in_fan_out are not supported")
	case pc.Bias != "" && pc.Bias != "none":
		return LoRA{}, bad("bias %q is not supported (want none)", pc.Bias)
	case len(pc.RankPattern) > 0 || len(pc.AlphaPattern) > 0:
		return LoRA{}, bad("rank_pattern and alpha_pattern are not supported")
	case pc.LayersToTransform != nil:
		return LoRA{}, bad("layers_to_transform is not supported")
	}
	l := LoRA{Rank: pc.R, Alpha: pc.LoraAlpha, Dropout: pc.LoraDropout}
	wpath := filepath.Join(dir, AdapterWeightsFile)
	ts, _, err := safetensors.ReadFile(wpath)
	if err != nil {
		return LoRA{}, fmt.Errorf("bert: load adapter: %w", err)
	}
	byName := make(map[string]safetensors.Tensor, len(ts))
	for _, t := range ts {
		name, ok := strings.CutPrefix(t.Name, peftPrefix)
		if !ok {
			return LoRA{}, fmt.Errorf("%w: %s: tensor %q does not start with %q", ErrLoRA, wpath, t.Name, peftPrefix)
		}
		name = strings.Replace(name, ".default.", ".", 1) // adapter name, when present
		if name == "bert.pooler.dense.weight" || name == "bert.pooler.dense.bias" {
			l.TrainPooler = true // in modules_to_save
			byName[name] = t
			continue
		}
		target, err := loraTarget(name, cfg.NumHiddenLayers)
		if err != nil {
			return LoRA{}, fmt.Errorf("%w: %s: %v", ErrLoRA, wpath, err)
		}
		l.Targets |= target
		byName[name] = t
	}
	if l.Targets == 0 {
		return LoRA{}, fmt.Errorf("%w: %s: no lora_A/lora_B tensors", ErrLoRA, wpath)
	}
	if err := l.Validate(); err != nil {
		return LoRA{}, fmt.Errorf("%w (%s)", err, cpath)
	}
	c := *cfg
	c.LoRA = &l
	want := adapterTensors(&c)
	if len(byName) != len(want) {
		head := "the classifier"
		if l.TrainPooler {
			head = "the pooler and the classifier"
		}
		return LoRA{}, fmt.Errorf("%w: %s: %d tensors, want %d (A and B of %v in each of %d layers, %s)",
			ErrLoRA, wpath, len(byName), len(want), l.Targets, c.NumHiddenLayers, head)
	}
	for _, p := range want {
		t, ok := byName[p.Name]
		if !ok {
			return LoRA{}, fmt.Errorf("%w: %s: lacks %s%s", ErrLoRA, wpath, peftPrefix, p.Name)
		}
		if !slices.Equal(t.Shape, p.Shape) {
			return LoRA{}, fmt.Errorf("%w: %s: %s has shape %v, want %v (rank %d)", ErrLoRA, wpath, t.Name, t.Shape, p.Shape, l.Rank)
		}
		values, err := t.Float32()
		if err != nil {
			return LoRA{}, fmt.Errorf("bert: load adapter: %s: %w", t.Name, err)
		}
		if err := setVariable(ctx, p.Name, tensors.FromFlatDataAndDimensions(values, p.Shape...)); err != nil {
			return LoRA{}, fmt.Errorf("bert: load adapter: %s: %w", t.Name, err)
		}
	}
	return l, nil
}

// adapterTensors lists the tensors of a PEFT adapter of cfg.LoRA: A and B
// of every adapted layer, the pooler when it is trained, and the
// classifier head.
func adapterTensors(cfg *Config) []Parameter {
	ps := LoRAParameters(cfg)
	if cfg.LoRA.TrainPooler {
		h := cfg.HiddenSize
		ps = append(ps, Parameter{Name: "bert.pooler.dense.weight", Shape: []int{h, h}},
			Parameter{Name: "bert.pooler.dense.bias", Shape: []int{h}})
	}
	return append(ps, Parameter{Name: "classifier.weight", Shape: []int{cfg.NumLabels(), cfg.HiddenSize}},
		Parameter{Name: "classifier.bias", Shape: []int{cfg.NumLabels()}})
}

// loraTarget returns the target that a tensor name (without the PEFT
// prefix) adapts, 0 for the classifier head, or an error for any other name.
func loraTarget(name string, layers int) (Target, error) {
	if name == "classifier.weight" || name == "classifier.bias" {
		return 0, nil
	}
	rest, ok := strings.CutPrefix(name, "bert.encoder.layer.")
	if !ok {
		return 0, fmt.Errorf("unexpected tensor %q", name)
	}
	num, rest, _ := strings.Cut(rest, ".")
	l, err := strconv.Atoi(num)
	if err != nil || l < 0 || l >= layers {
		return 0, fmt.Errorf("tensor %q: layer %q, want 0..%d", name, num, layers-1)
	}
	path, ok := strings.CutSuffix(rest, ".lora_A.weight")
	if !ok {
		path, ok = strings.CutSuffix(rest, ".lora_B.weight")
	}
	if ok {
		for _, m := range targetModules {
			if m.path == path {
				return m.t, nil
			}
		}
	}
	return 0, fmt.Errorf("unexpected tensor %q (want lora_A or lora_B of a linear layer)", name)
}
