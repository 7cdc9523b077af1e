package intent

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// Knowledge is what the assistant answers with: one template per intent,
// a small FAQ, and hand-written out-of-scope queries for development.
type Knowledge struct {
	// Answers maps each intent to its one-line answer.
	Answers map[string]string `yaml:"answers"`
	// FAQ holds question-answer pairs searched when no intent is certain.
	FAQ []FAQEntry `yaml:"faq"`
	// OffTopic holds queries from other domains, none of which is an
	// intent: a development set for out-of-scope detection.
	OffTopic []string `yaml:"off_topic"`
}

// FAQEntry is one entry of the FAQ knowledge base.
type FAQEntry struct {
	Question string `yaml:"question"`
	Answer   string `yaml:"answer"`
}

//go:embed banking77.yaml
var banking77YAML []byte

// DefaultKnowledge returns the knowledge for Banking77's 77 intents
// (banking77.yaml in this package: hand-written templates, 8 FAQ entries,
// 30 off-topic queries).
func DefaultKnowledge() *Knowledge {
	k, err := LoadKnowledge(bytes.NewReader(banking77YAML), "banking77.yaml")
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return k
}

// LoadKnowledge reads knowledge YAML strictly: unknown fields, a second
// document, an empty answer, question or query are errors naming the file
// and the place.
func LoadKnowledge(r io.Reader, name string) (*Knowledge, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var k Knowledge
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("intent: load knowledge %s: %w", name, err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("intent: load knowledge %s: a second YAML document or trailing data", name)
	}
	if len(k.Answers) == 0 {
		return nil, fmt.Errorf("intent: load knowledge %s: no answers", name)
	}
	for in, a := range k.Answers {
		if strings.TrimSpace(a) == "" {
			return nil, fmt.Errorf("intent: load knowledge %s: answers.%s: empty answer", name, in)
		}
	}
	for i, f := range k.FAQ {
		if strings.TrimSpace(f.Question) == "" || strings.TrimSpace(f.Answer) == "" {
			return nil, fmt.Errorf("intent: load knowledge %s: faq[%d]: empty question or answer", name, i)
		}
	}
	for i, q := range k.OffTopic {
		if strings.TrimSpace(q) == "" {
			return nil, fmt.Errorf("intent: load knowledge %s: off_topic[%d]: empty query", name, i)
		}
	}
	return &k, nil
}

// Missing returns the intents that have no answer.
func (k *Knowledge) Missing(intents []string) []string {
	var out []string
	for _, in := range intents {
		if _, ok := k.Answers[in]; !ok {
			out = append(out, in)
		}
	}
	return out
}
