package recommend

import (
	"fmt"
	"strings"
)

// Model names one of the package's recommenders.
type Model int

// The models.
const (
	ModelPopularity Model = iota
	ModelItemKNN
	ModelBPR
	ModelText
	ModelHybrid
	ModelEASE
)

var modelNames = []string{"pop", "itemknn", "bpr", "text", "hybrid", "ease"}

// Models lists every model, in the order of the chapter.
var Models = []Model{ModelPopularity, ModelItemKNN, ModelBPR, ModelEASE, ModelText, ModelHybrid}

// String returns the model's short name ("pop", "itemknn", "bpr", "text",
// "hybrid", "ease").
func (m Model) String() string {
	if m < 0 || int(m) >= len(modelNames) {
		return fmt.Sprintf("Model(%d)", int(m))
	}
	return modelNames[m]
}

// ParseModel returns the model with the short name s.
func ParseModel(s string) (Model, error) {
	for i, n := range modelNames {
		if strings.EqualFold(s, n) {
			return Model(i), nil
		}
	}
	return 0, fmt.Errorf("recommend: unknown model %q (want one of %s)", s, strings.Join(modelNames, ", "))
}

// Config holds the settings from which [Config.New] builds any model.
type Config struct {
	BPR          BPR         // BPR's (and the hybrid's BPR) settings
	Text         Text        // Text's (and the hybrid's) settings; Embedder etc. below override
	Hybrid       Hybrid      // the hybrid's own settings (its BPR and Text come from the fields above)
	Embedder     Embedder    // for Text and Hybrid
	EmbedderName string      // cache key of the embeddings
	CacheDir     string      // embedding cache ("": the user cache)
	Embeddings   [][]float32 // precomputed item embeddings (optional)
	Seed         uint64
}

// New returns an unfitted recommender of kind m.
func (c Config) New(m Model) (Recommender, error) {
	text := c.Text
	text.Embedder, text.EmbedderName, text.CacheDir, text.Embeddings = c.Embedder, c.EmbedderName, c.CacheDir, c.Embeddings
	if text.Seed == 0 {
		text.Seed = c.Seed
	}
	switch m {
	case ModelPopularity:
		return &Popularity{}, nil
	case ModelItemKNN:
		return &ItemKNN{}, nil
	case ModelEASE:
		return &EASE{}, nil
	case ModelBPR:
		b := c.BPR
		return &b, nil
	case ModelText:
		return &text, nil
	case ModelHybrid:
		h := Hybrid{BPR: c.BPR, Text: text, Candidates: c.Hybrid.Candidates, ColdSlots: c.Hybrid.ColdSlots, Ranker: c.Hybrid.Ranker, Seed: c.Seed}
		return &h, nil
	}
	return nil, fmt.Errorf("recommend: unknown model %v", m)
}
