package bert

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string
		check   func(c Config) string
	}{
		{name: "defaults", json: `{}`, check: func(c Config) string {
			if c.HiddenSize != 768 || c.NumHiddenLayers != 12 || c.HiddenAct != "gelu" || c.LayerNormEps != 1e-12 || c.NumLabels() != 2 {
				return fmt.Sprintf("%+v", c)
			}
			return ""
		}},
		{name: "labels", json: `{"id2label": {"1": "pos", "0": "neg"}, "hidden_size": 64, "num_attention_heads": 4}`, check: func(c Config) string {
			if got := fmt.Sprint(c.Labels()); got != "[neg pos]" || c.HeadSize() != 16 {
				return got
			}
			return ""
		}},
		{name: "bad json", json: `{"hidden_size": "x"}`, wantErr: "hidden_size"},
		{name: "heads do not divide", json: `{"hidden_size": 100, "num_attention_heads": 12}`, wantErr: "not a multiple"},
		{name: "zero layers", json: `{"num_hidden_layers": 0}`, wantErr: "num_hidden_layers = 0"},
		{name: "other model", json: `{"model_type": "roberta"}`, wantErr: `model_type "roberta"`},
		{name: "relative positions", json: `{"position_embedding_type": "relative_key"}`, wantErr: "relative_key"},
		{name: "activation", json: `{"hidden_act": "mish"}`, wantErr: `hidden_act "mish"`},
		{name: "label index", json: `{"id2label": {"0": "a", "5": "b"}}`, wantErr: `id2label key "5"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tt.json))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.check(c); msg != "" {
				t.Fatalf("unexpected config: %s", msg)
			}
		})
	}
}

func TestConfigJSONRoundTrip(t *testing.T) {
	c, err := ReadConfig("testdata/tiny/config.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	c2, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, c2) {
		t.Fatalf("round trip changed the config:\n%+v\n%+v", c, c2)
	}
}

func TestCanonicalName(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"bert.embeddings.word_embeddings.weight", "bert.embeddings.word_embeddings.weight", true},
		{"embeddings.word_embeddings.weight", "bert.embeddings.word_embeddings.weight", true},
		{"encoder.layer.5.output.LayerNorm.weight", "bert.encoder.layer.5.output.LayerNorm.weight", true},
		{"bert.encoder.layer.0.attention.output.LayerNorm.gamma", "bert.encoder.layer.0.attention.output.LayerNorm.weight", true},
		{"embeddings.LayerNorm.beta", "bert.embeddings.LayerNorm.bias", true},
		{"pooler.dense.bias", "bert.pooler.dense.bias", true},
		{"classifier.weight", "classifier.weight", true},
		{"embeddings.position_ids", "", false},
		{"bert.embeddings.position_ids", "", false},
		{"cls.predictions.transform.dense.weight", "", false},
		{"bert.classifier.weight", "", false},
	}
	for _, tt := range tests {
		got, ok := CanonicalName(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CanonicalName(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestParameterCounts checks Parameters against the published sizes of
// bert-base-uncased (BertModel: 109,482,240 weights) and all-MiniLM-L6-v2
// (22,713,216).
func TestParameterCounts(t *testing.T) {
	count := func(c Config, classifier bool) int {
		n := 0
		for _, p := range Parameters(&c, classifier) {
			k := 1
			for _, d := range p.Shape {
				k *= d
			}
			n += k
		}
		return n
	}
	base := DefaultConfig(2)
	if got := count(base, false); got != 109_482_240 {
		t.Errorf("bert-base BertModel: %d weights, want 109482240", got)
	}
	if got := count(base, true); got != 109_482_240+768*2+2 {
		t.Errorf("bert-base with classifier: %d weights", got)
	}
	mini := base
	mini.HiddenSize, mini.NumHiddenLayers, mini.IntermediateSize = 384, 6, 1536
	if got := count(mini, false); got != 22_713_216 {
		t.Errorf("MiniLM-L6-H384: %d weights, want 22713216", got)
	}
	if got := len(Parameters(&base, true)); got != 5+16*12+2+2 {
		t.Errorf("bert-base: %d tensors", got)
	}
}

func TestSoftmaxCosineNearest(t *testing.T) {
	p := Softmax([]float32{3, 3, 3 - float32(math.Log(2))})
	if math.Abs(float64(p[0])-0.4) > 1e-6 || math.Abs(float64(p[2])-0.2) > 1e-6 {
		t.Errorf("Softmax = %v, want [0.4 0.4 0.2]", p)
	}
	if p := Softmax([]float32{1000, 1000}); p[0] != 0.5 || p[1] != 0.5 {
		t.Errorf("Softmax of large logits = %v, want [0.5 0.5]", p)
	}
	if c := CosineSimilarity([]float32{1, 0}, []float32{1, 1}); math.Abs(float64(c)-math.Sqrt(0.5)) > 1e-6 {
		t.Errorf("cos 45° = %v", c)
	}
	if c := CosineSimilarity([]float32{0, 0}, []float32{1, 1}); c != 0 {
		t.Errorf("cos with zero vector = %v", c)
	}
	corpus := [][]float32{{0, 1}, {1, 0}, {1, 1}, {-1, 0}}
	got := Nearest([]float32{1, 0.1}, corpus, 3)
	if len(got) != 3 || got[0].Index != 1 || got[1].Index != 2 || got[2].Index != 0 {
		t.Errorf("Nearest = %+v", got)
	}
	if len(Nearest([]float32{1, 0}, corpus, 10)) != 4 {
		t.Error("Nearest with k > len(corpus) should return the whole corpus")
	}
}

func TestBatchErrors(t *testing.T) {
	m := tinyModel(t)
	tests := []struct {
		name string
		b    Batch
		want string
	}{
		{"empty", Batch{}, "empty batch"},
		{"ragged", Batch{InputIDs: [][]int32{{1, 2}, {1}}}, "row 1 has 1 tokens"},
		{"id out of range", Batch{InputIDs: [][]int32{{1, 99}}}, "input_ids[0][1] = 99"},
		{"type out of range", Batch{InputIDs: [][]int32{{1, 2}}, TokenTypeIDs: [][]int32{{0, 2}}}, "token_type_ids[0][1] = 2"},
		{"mask rows", Batch{InputIDs: [][]int32{{1, 2}}, AttentionMask: [][]int32{{1, 1}, {1, 1}}}, "attention_mask has 2 rows"},
		{"too long", Batch{InputIDs: [][]int32{make([]int32, 65)}}, "exceeds max_position_embeddings 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Run(t.Context(), tt.b)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
