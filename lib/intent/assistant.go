package intent

import (
	"context"
	"errors"
	"fmt"

	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// Reason says why the assistant answered as it did.
type Reason int

const (
	// ReasonIntent: the in-scope score reached the threshold; the answer
	// is the intent's template.
	ReasonIntent Reason = iota
	// ReasonRetrieved: no intent was certain enough, and the answer is the
	// nearest entry of the FAQ knowledge base.
	ReasonRetrieved
	// ReasonHandOver: neither an intent nor the FAQ fits; a person takes
	// over.
	ReasonHandOver
)

// String returns the reason's name.
func (r Reason) String() string {
	switch r {
	case ReasonIntent:
		return "intent"
	case ReasonRetrieved:
		return "retrieved"
	case ReasonHandOver:
		return "hand-over"
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// DefaultHandOver is the answer of [ReasonHandOver].
const DefaultHandOver = "I'm not sure I can help with that, so I'm passing you to a colleague who will reply here shortly."

// Reply is the assistant's answer to one query.
type Reply struct {
	// Intent is the most probable intent and Confidence its probability,
	// whether or not the answer uses it.
	Intent     string
	Confidence float64
	// Score is the in-scope score compared with the threshold.
	Score  float64
	Answer string
	Why    Reason
	// Passage is the FAQ question or intent template that was retrieved
	// (ReasonRetrieved), and Similarity its cosine similarity with the
	// query.
	Passage    string
	Similarity float64
}

// Assistant answers customer queries (see the package documentation).
type Assistant struct {
	Classifier *classifier.Embedding
	Scorer     Scorer
	Threshold  float64
	// MinSimilarity is the cosine similarity a retrieved passage needs;
	// below it the query is handed over.
	MinSimilarity float64
	HandOver      string

	answers  map[string]string
	passages []string // FAQ questions, then the templates
	replies  []string // the answer of each passage
	vectors  [][]float32
}

// DefaultMinSimilarity is the retrieval threshold of [NewAssistant].
const DefaultMinSimilarity = 0.5

// NewAssistant builds an assistant over a fitted classifier, answering
// from k (which must have an answer for every intent), rejecting queries
// whose scorer s scores below threshold. It embeds the FAQ questions and
// the templates once, for retrieval.
func NewAssistant(ctx context.Context, c *classifier.Embedding, k *Knowledge, s Scorer, threshold float64) (*Assistant, error) {
	if c == nil || c.Linear == nil || c.Encoder == nil {
		return nil, errors.New("intent: NewAssistant: no classifier")
	}
	if miss := k.Missing(c.Classes()); len(miss) > 0 {
		return nil, fmt.Errorf("intent: NewAssistant: no answer for the intents %q", miss)
	}
	a := &Assistant{Classifier: c, Scorer: s, Threshold: threshold, MinSimilarity: DefaultMinSimilarity,
		HandOver: DefaultHandOver, answers: k.Answers}
	for _, f := range k.FAQ {
		a.passages, a.replies = append(a.passages, f.Question), append(a.replies, f.Answer)
	}
	for _, in := range c.Classes() {
		a.passages, a.replies = append(a.passages, k.Answers[in]), append(a.replies, k.Answers[in])
	}
	v, err := c.Encoder.Embed(ctx, a.passages)
	if err != nil {
		return nil, fmt.Errorf("intent: NewAssistant: embed the knowledge base: %w", err)
	}
	a.vectors = v
	return a, nil
}

// Reply answers one query.
func (a *Assistant) Reply(ctx context.Context, text string) (Reply, error) {
	r, err := a.ReplyAll(ctx, []string{text})
	if err != nil {
		return Reply{}, err
	}
	return r[0], nil
}

// ReplyAll answers queries in one batch: one embedding pass, one matrix
// product for the probabilities.
func (a *Assistant) ReplyAll(ctx context.Context, texts []string) ([]Reply, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	p, x, err := a.Classifier.ProbaEmbed(ctx, texts)
	if err != nil {
		return nil, err
	}
	pred, conf := classifier.Predict(p)
	score, err := a.Scorer.Score(a.Classifier.Linear, p, x)
	if err != nil {
		return nil, err
	}
	out := make([]Reply, len(texts))
	for i := range texts {
		name := a.Classifier.Classes()[pred[i]]
		r := Reply{Intent: name, Confidence: conf[i], Score: score[i]}
		if score[i] >= a.Threshold {
			r.Answer, r.Why = a.answers[name], ReasonIntent
		} else if j, sim := a.nearest(x[i]); j >= 0 && sim >= a.MinSimilarity {
			r.Answer, r.Why, r.Passage, r.Similarity = a.replies[j], ReasonRetrieved, a.passages[j], sim
		} else {
			r.Answer, r.Why, r.Similarity = a.HandOver, ReasonHandOver, sim
		}
		out[i] = r
	}
	return out, nil
}

// nearest returns the most similar passage to v and its cosine
// similarity, or -1.
func (a *Assistant) nearest(v []float32) (int, float64) {
	m := bert.Nearest(v, a.vectors, 1)
	if len(m) == 0 {
		return -1, 0
	}
	return m[0].Index, float64(m[0].Score)
}

// Counts returns how many replies have each reason.
func Counts(replies []Reply) map[Reason]int {
	m := map[Reason]int{}
	for _, r := range replies {
		m[r.Why]++
	}
	return m
}
