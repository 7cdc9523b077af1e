package datasets

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FinLabel is the sentiment label of a fin-sentiment tweet, numbered as in
// the data set's files.
type FinLabel uint8

// The three labels of fin-sentiment.
const (
	Bearish FinLabel = 0
	Bullish FinLabel = 1
	Neutral FinLabel = 2
)

// FinLabels lists the labels in their numeric order.
var FinLabels = [...]FinLabel{Bearish, Bullish, Neutral}

// String returns "bearish", "bullish" or "neutral".
func (l FinLabel) String() string {
	switch l {
	case Bearish:
		return "bearish"
	case Bullish:
		return "bullish"
	case Neutral:
		return "neutral"
	}
	return "FinLabel(" + strconv.Itoa(int(l)) + ")"
}

// FinTweet is one row of fin-sentiment (the "Twitter financial news
// sentiment" data set, MIT): a finance-related tweet and its label.
type FinTweet struct {
	Text  string
	Label FinLabel
}

// MaxFinSentimentBytes bounds the size of a fin-sentiment CSV that
// [ReadFinSentiment] accepts (the real files are under 1 MB).
const MaxFinSentimentBytes = 64 << 20

// LoadFinSentiment reads one split of fin-sentiment, "train" (9,543 tweets)
// or "valid" (2,388), from the data directory (downloading it first if it
// is missing and downloads are allowed).
func LoadFinSentiment(ctx context.Context, split string) ([]FinTweet, error) {
	if split != "train" && split != "valid" {
		return nil, fmt.Errorf("datasets: fin-sentiment: split %q, want train or valid", split)
	}
	p, err := Path(ctx, "fin-sentiment", split+".csv")
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("datasets: fin-sentiment: %w", err)
	}
	defer f.Close()
	ts, err := ReadFinSentiment(f)
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", p, err)
	}
	return ts, nil
}

// ReadFinSentiment parses a CSV in fin-sentiment's layout: a header naming
// the columns text and label (in any order, other columns ignored), then
// one tweet per row with label 0, 1 or 2. Errors name the line; an empty
// or invalid UTF-8 text, an unknown label or more than
// [MaxFinSentimentBytes] of input is an error.
func ReadFinSentiment(r io.Reader) ([]FinTweet, error) {
	lr := &io.LimitedReader{R: r, N: MaxFinSentimentBytes + 1}
	cr := csv.NewReader(lr)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("fin-sentiment: header: %w", err)
	}
	textCol, labelCol := slices.Index(header, "text"), slices.Index(header, "label")
	if textCol < 0 || labelCol < 0 {
		return nil, fmt.Errorf("fin-sentiment: header %q lacks the columns text and label", header)
	}
	var out []FinTweet
	for {
		rec, err := cr.Read()
		if lr.N <= 0 {
			return nil, fmt.Errorf("fin-sentiment: more than %d bytes", MaxFinSentimentBytes)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("fin-sentiment: %w", err)
		}
		line, _ := cr.FieldPos(0)
		text := strings.TrimSpace(rec[textCol])
		switch {
		case text == "":
			return nil, fmt.Errorf("fin-sentiment: line %d: empty text", line)
		case !utf8.ValidString(text):
			return nil, fmt.Errorf("fin-sentiment: line %d: text is not valid UTF-8", line)
		}
		k, err := strconv.Atoi(strings.TrimSpace(rec[labelCol]))
		if err != nil || k < 0 || k > int(Neutral) {
			return nil, fmt.Errorf("fin-sentiment: line %d: label %q, want 0, 1 or 2", line, rec[labelCol])
		}
		out = append(out, FinTweet{Text: text, Label: FinLabel(k)})
	}
	if len(out) == 0 {
		return nil, errors.New("fin-sentiment: no rows")
	}
	return out, nil
}

// FinTexts returns the texts and labels of ts as two parallel slices.
func FinTexts(ts []FinTweet) (texts []string, labels []FinLabel) {
	texts, labels = make([]string, len(ts)), make([]FinLabel, len(ts))
	for i, t := range ts {
		texts[i], labels[i] = t.Text, t.Label
	}
	return texts, labels
}
