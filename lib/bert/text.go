package bert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/founderlab/founderlab/lib/bert/tokenizer"
)

// Load reads a Hugging Face BERT model directory: config.json,
// model.safetensors, and the tokenizer (tokenizer.json, or vocab.txt with
// tokenizer_config.json's do_lower_case). It also reads the
// sentence-transformers files when present: max_seq_length from
// sentence_bert_config.json becomes MaxLength, and a Normalize module in
// modules.json sets NormalizeEmbeddings. The model runs on the backend chosen
// by lib/backend (SimpleGo unless an XLA plugin is installed).
//
// For the pretrained all-MiniLM-L6-v2 installed by `founderlab models fetch all-minilm-l6-v2` (see [Pretrained]):
//
//	m, err := bert.Load(filepath.Join(os.Getenv("HOME"), ".cache/founderlab/models/all-MiniLM-L6-v2"))
func Load(dir string) (*Model, error) {
	cfg, err := ReadConfig(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	weights := filepath.Join(dir, "model.safetensors")
	if !fileExists(weights) {
		if fileExists(filepath.Join(dir, "pytorch_model.bin")) {
			return nil, fmt.Errorf("bert: load %s: only pytorch_model.bin found; convert it to model.safetensors (safetensors.torch.save_file)", dir)
		}
		return nil, fmt.Errorf("bert: load %s: no model.safetensors", dir)
	}
	tok, err := loadTokenizer(dir)
	if err != nil {
		return nil, err
	}
	m, err := LoadWeightsFile(cfg, weights)
	if err != nil {
		return nil, err
	}
	m.MaxLength = min(512, cfg.MaxPositionEmbeddings)
	var st struct {
		MaxSeqLength int `json:"max_seq_length"`
	}
	if ok, err := readJSON(filepath.Join(dir, "sentence_bert_config.json"), &st); err != nil {
		return nil, err
	} else if ok && st.MaxSeqLength > 0 {
		m.MaxLength = min(st.MaxSeqLength, cfg.MaxPositionEmbeddings)
	}
	var modules []struct {
		Type string `json:"type"`
	}
	if ok, err := readJSON(filepath.Join(dir, "modules.json"), &modules); err != nil {
		return nil, err
	} else if ok {
		for _, mod := range modules {
			if strings.HasSuffix(mod.Type, ".Normalize") {
				m.NormalizeEmbeddings = true
			}
		}
	}
	if err := m.SetTokenizer(tok); err != nil {
		return nil, err
	}
	return m, nil
}

// MustLoad is like [Load] but panics on error; it is meant for notebook cells.
func MustLoad(dir string) *Model {
	m, err := Load(dir)
	if err != nil {
		panic(err)
	}
	return m
}

// loadTokenizer reads dir/tokenizer.json, or else dir/vocab.txt.
func loadTokenizer(dir string) (*tokenizer.Tokenizer, error) {
	if path := filepath.Join(dir, "tokenizer.json"); fileExists(path) {
		t, err := tokenizer.LoadJSON(path)
		if err != nil {
			return nil, fmt.Errorf("bert: load %s: %w", dir, err)
		}
		return t, nil
	}
	vpath := filepath.Join(dir, "vocab.txt")
	if !fileExists(vpath) {
		return nil, fmt.Errorf("bert: load %s: no tokenizer.json or vocab.txt", dir)
	}
	vocab, err := tokenizer.LoadVocab(vpath)
	if err != nil {
		return nil, fmt.Errorf("bert: load %s: %w", dir, err)
	}
	tc := struct {
		DoLowerCase *bool `json:"do_lower_case"`
	}{}
	if _, err := readJSON(filepath.Join(dir, "tokenizer_config.json"), &tc); err != nil {
		return nil, err
	}
	lower := tc.DoLowerCase == nil || *tc.DoLowerCase
	t, err := tokenizer.New(vocab, tokenizer.DefaultConfig(lower))
	if err != nil {
		return nil, fmt.Errorf("bert: load %s: %w", dir, err)
	}
	return t, nil
}

// readJSON decodes the JSON file at path into v; it reports false (and no
// error) when the file does not exist.
func readJSON(path string, v any) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bert: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("bert: %s: %w", path, err)
	}
	return true, nil
}

// SetTokenizer sets the tokenizer Embed and Predict use. Truncation is set to
// MaxLength (or max_position_embeddings) and padding is left to the model,
// which pads each batch to a multiple of 8 tokens.
func (m *Model) SetTokenizer(t *tokenizer.Tokenizer) error {
	if m.MaxLength <= 0 || m.MaxLength > m.Config.MaxPositionEmbeddings {
		m.MaxLength = min(512, m.Config.MaxPositionEmbeddings)
	}
	t, err := t.WithTruncation(&tokenizer.Truncation{MaxLength: m.MaxLength, Strategy: tokenizer.LongestFirst})
	if err != nil {
		return fmt.Errorf("bert: tokenizer: %w", err)
	}
	if t, err = t.WithPadding(nil); err != nil {
		return fmt.Errorf("bert: tokenizer: %w", err)
	}
	if n := t.Vocab().Size(); n > m.Config.VocabSize {
		return fmt.Errorf("bert: tokenizer has %d ids, model vocab_size %d", n, m.Config.VocabSize)
	}
	m.tok = t
	return nil
}

// Tokenizer returns the model's tokenizer (nil for a model made by New until
// SetTokenizer is called).
func (m *Model) Tokenizer() *tokenizer.Tokenizer { return m.tok }

// Prediction is the classifier's answer for one text.
type Prediction struct {
	// Label is the most probable label's name and Index its position.
	Label string
	Index int
	// Probability is the softmax probability of Label.
	Probability float32
	// Probabilities holds the softmax probability of every label, in
	// Config.Labels() order.
	Probabilities []float32
}

// Embed returns one sentence embedding per text: the mean of the model's
// last hidden states over the text's tokens, normalised to unit length when
// NormalizeEmbeddings is set (so that a dot product is the cosine
// similarity). Texts are tokenized, truncated to MaxLength tokens, sorted by
// length and run in batches of BatchSize.
func (m *Model) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	encs, err := m.encode(ctx, texts, nil)
	if err != nil {
		return nil, err
	}
	return m.runEncodings(ctx, encs, m.EmbedBatch)
}

// Predict classifies each text with the sequence-classification head: the
// softmax of the logits, and the most probable label.
func (m *Model) Predict(ctx context.Context, texts []string) ([]Prediction, error) {
	return m.predict(ctx, texts, nil)
}

// PredictPairs classifies pairs of texts (such as premise and hypothesis),
// each encoded as [CLS] a [SEP] b [SEP] with token type 1 for b.
func (m *Model) PredictPairs(ctx context.Context, pairs [][2]string) ([]Prediction, error) {
	return m.predict(ctx, nil, pairs)
}

func (m *Model) predict(ctx context.Context, texts []string, pairs [][2]string) ([]Prediction, error) {
	if !m.classifier || !m.pooler {
		return nil, errors.New("bert: Predict: model has no sequence-classification head (classifier.* weights)")
	}
	encs, err := m.encode(ctx, texts, pairs)
	if err != nil {
		return nil, err
	}
	logits, err := m.runEncodings(ctx, encs, m.LogitsBatch)
	if err != nil {
		return nil, err
	}
	labels := m.Config.Labels()
	out := make([]Prediction, len(logits))
	for i, l := range logits {
		p := Softmax(l)
		best := 0
		for j := range p {
			if p[j] > p[best] {
				best = j
			}
		}
		out[i] = Prediction{Label: labels[best], Index: best, Probability: p[best], Probabilities: p}
	}
	return out, nil
}

// encode tokenizes texts, or pairs when texts is nil, without padding.
func (m *Model) encode(ctx context.Context, texts []string, pairs [][2]string) ([]tokenizer.Encoding, error) {
	if m.tok == nil {
		return nil, errors.New("bert: model has no tokenizer (see SetTokenizer)")
	}
	var encs []tokenizer.Encoding
	var err error
	if texts != nil {
		encs, err = m.tok.EncodeBatch(ctx, texts)
	} else {
		encs, err = m.tok.EncodePairBatch(ctx, pairs)
	}
	if err != nil {
		return nil, fmt.Errorf("bert: %w", err)
	}
	return encs, nil
}

// Softmax returns exp(x)/Σexp(x), computed stably in float64.
func Softmax(x []float32) []float32 {
	if len(x) == 0 {
		return nil
	}
	mx := float64(slices.Max(x))
	sum := 0.0
	e := make([]float64, len(x))
	for i, v := range x {
		e[i] = math.Exp(float64(v) - mx)
		sum += e[i]
	}
	out := make([]float32, len(x))
	for i := range e {
		out[i] = float32(e[i] / sum)
	}
	return out
}

// Tokenize tokenizes texts into one padded Batch (to the longest text, rounded
// up to a multiple of 8), as Embed and Predict do for each of their batches.
func (m *Model) Tokenize(ctx context.Context, texts []string) (Batch, error) {
	encs, err := m.encode(ctx, texts, nil)
	if err != nil {
		return Batch{}, err
	}
	idx := make([]int, len(encs))
	for i := range idx {
		idx[i] = i
	}
	return m.pad(encs, idx, len(encs)), nil
}

// runEncodings runs encodings through f in length-sorted batches and
// returns the rows in the order of encs.
func (m *Model) runEncodings(ctx context.Context, encs []tokenizer.Encoding, f func(context.Context, Batch) ([][]float32, error)) ([][]float32, error) {
	if len(encs) == 0 {
		return nil, nil
	}
	order := make([]int, len(encs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return encs[order[a]].Len() < encs[order[b]].Len() })
	bs := m.BatchSize
	if bs <= 0 {
		bs = DefaultBatchSize
	}
	out := make([][]float32, len(encs))
	for start := 0; start < len(order); start += bs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		idx := order[start:min(start+bs, len(order))]
		rows := len(idx)
		// Pad the batch dimension to a power of two, so that few distinct
		// shapes (graphs to compile) occur.
		padded := 1
		for padded < rows {
			padded *= 2
		}
		res, err := f(ctx, m.pad(encs, idx, min(padded, max(bs, rows))))
		if err != nil {
			return nil, err
		}
		for k, i := range idx {
			out[i] = res[k]
		}
	}
	return out, nil
}

// DefaultBatchSize is the batch size Embed and Predict use when
// Model.BatchSize is 0.
const DefaultBatchSize = 32

// pad builds a Batch of rows encodings (encs[idx[k]] for the first
// len(idx) rows, empty rows after), padded to the longest, rounded up to a
// multiple of 8 tokens and at most MaxLength.
func (m *Model) pad(encs []tokenizer.Encoding, idx []int, rows int) Batch {
	width := 1
	for _, i := range idx {
		width = max(width, encs[i].Len())
	}
	width = min((width+7)/8*8, max(m.MaxLength, width))
	b := Batch{InputIDs: make([][]int32, rows), TokenTypeIDs: make([][]int32, rows), AttentionMask: make([][]int32, rows)}
	pad := int32(m.Config.PadTokenID)
	for k := range rows {
		ids, types, mask := make([]int32, width), make([]int32, width), make([]int32, width)
		for j := range ids {
			ids[j] = pad
		}
		if k < len(idx) {
			e := encs[idx[k]]
			for j := range e.IDs {
				ids[j], types[j], mask[j] = int32(e.IDs[j]), int32(e.TypeIDs[j]), int32(e.AttentionMask[j])
			}
		}
		b.InputIDs[k], b.TokenTypeIDs[k], b.AttentionMask[k] = ids, types, mask
	}
	return b
}

// CosineSimilarity returns a·b / (‖a‖‖b‖), or 0 when either vector is zero.
func CosineSimilarity(a, b []float32) float32 {
	var dot, na, nb float64
	for i := range min(len(a), len(b)) {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return float32(dot / math.Sqrt(na*nb))
}

// Match is one result of [Nearest].
type Match struct {
	// Index is the position of the match in the corpus.
	Index int
	// Score is its cosine similarity with the query.
	Score float32
}

// Nearest returns the k corpus vectors most similar to query by cosine
// similarity, best first (ties by lower index): a brute-force semantic search
// over embeddings made by [Model.Embed].
func Nearest(query []float32, corpus [][]float32, k int) []Match {
	ms := make([]Match, len(corpus))
	for i, c := range corpus {
		ms[i] = Match{Index: i, Score: CosineSimilarity(query, c)}
	}
	sort.SliceStable(ms, func(a, b int) bool { return ms[a].Score > ms[b].Score })
	return ms[:min(k, len(ms))]
}
