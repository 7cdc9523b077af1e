package bert

import (
	"fmt"
	"strings"
)

// Parameter is one weight tensor of a BERT checkpoint.
type Parameter struct {
	// Name is the canonical Hugging Face name, as BertForSequenceClassification
	// saves it: "bert.embeddings.word_embeddings.weight",
	// "bert.encoder.layer.0.attention.self.query.weight", "classifier.bias", ...
	Name string
	// Shape is the tensor's shape in PyTorch layout (a Linear weight is [out, in]).
	Shape []int
}

// Parameters lists every weight of BertModel with its pooler, in checkpoint
// order, followed by the classifier's weight and bias when classifier is true.
func Parameters(cfg *Config, classifier bool) []Parameter {
	h, i := cfg.HiddenSize, cfg.IntermediateSize
	var ps []Parameter
	add := func(name string, shape ...int) { ps = append(ps, Parameter{Name: name, Shape: shape}) }
	linear := func(prefix string, out, in int) {
		add(prefix+".weight", out, in)
		add(prefix+".bias", out)
	}
	norm := func(prefix string) {
		add(prefix+".weight", h)
		add(prefix+".bias", h)
	}
	add("bert.embeddings.word_embeddings.weight", cfg.VocabSize, h)
	add("bert.embeddings.position_embeddings.weight", cfg.MaxPositionEmbeddings, h)
	add("bert.embeddings.token_type_embeddings.weight", cfg.TypeVocabSize, h)
	norm("bert.embeddings.LayerNorm")
	for l := 0; l < cfg.NumHiddenLayers; l++ {
		p := fmt.Sprintf("bert.encoder.layer.%d.", l)
		linear(p+"attention.self.query", h, h)
		linear(p+"attention.self.key", h, h)
		linear(p+"attention.self.value", h, h)
		linear(p+"attention.output.dense", h, h)
		norm(p + "attention.output.LayerNorm")
		linear(p+"intermediate.dense", i, h)
		linear(p+"output.dense", h, i)
		norm(p + "output.LayerNorm")
	}
	linear("bert.pooler.dense", h, h)
	if classifier {
		linear("classifier", cfg.NumLabels(), h)
	}
	return ps
}

// ignoredNames are checkpoint entries that are not weights (registered
// buffers) and are skipped silently when loading.
var ignoredNames = []string{"embeddings.position_ids", "embeddings.token_type_ids"}

// CanonicalName maps a tensor name found in a BERT checkpoint to the
// canonical name used by [Parameters]. It accepts names with the "bert."
// prefix (BertForSequenceClassification, BertForMaskedLM, ...) and without
// it (BertModel, sentence-transformers), and the TensorFlow-era LayerNorm
// names "gamma" and "beta". The second result is false for names that are not
// BertModel or classifier weights, such as "cls.predictions.bias" or the
// "embeddings.position_ids" buffer.
func CanonicalName(name string) (string, bool) {
	n := strings.TrimPrefix(name, "bert.")
	for _, ig := range ignoredNames {
		if n == ig {
			return "", false
		}
	}
	switch {
	case strings.HasPrefix(n, "embeddings."), strings.HasPrefix(n, "encoder."), strings.HasPrefix(n, "pooler."):
		n = "bert." + n
	case strings.HasPrefix(name, "classifier."):
		n = name
	default:
		return "", false
	}
	if strings.HasSuffix(n, ".LayerNorm.gamma") {
		n = strings.TrimSuffix(n, "gamma") + "weight"
	} else if strings.HasSuffix(n, ".LayerNorm.beta") {
		n = strings.TrimSuffix(n, "beta") + "bias"
	}
	return n, true
}

// scopeOf splits a canonical parameter name into the context scope path,
// relative to the model's root scope, and the variable name: the scope
// elements are the dot-separated parts of the name, so
// "bert.encoder.layer.0.output.dense.weight" lives in scope
// bert/encoder/layer/0/output/dense as variable "weight".
func scopeOf(canonical string) (scope []string, name string) {
	parts := strings.Split(canonical, ".")
	return parts[:len(parts)-1], parts[len(parts)-1]
}
