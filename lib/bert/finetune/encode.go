package finetune

import (
	"context"
	"errors"
	"fmt"

	"github.com/founderlab/founderlab/internal/jsonfile"
	"github.com/founderlab/founderlab/lib/bert/tokenizer"
)

// Encode tokenizes texts into fixed-length examples for classification:
// [CLS] text [SEP] as the tokenizer's template makes it, truncated and
// padded with [PAD] to maxLength tokens, with labels[i] as the label of
// texts[i].
func Encode(ctx context.Context, tok *tokenizer.Tokenizer, texts []string, labels []int, maxLength int) ([]Example, error) {
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("finetune: encode: %d texts and %d labels", len(texts), len(labels))
	}
	if maxLength < 2 {
		return nil, fmt.Errorf("finetune: encode: maxLength %d, want at least 2 ([CLS] and [SEP])", maxLength)
	}
	pad, ok := tok.Vocab().ID("[PAD]")
	if !ok {
		return nil, errors.New("finetune: encode: the vocabulary has no [PAD] token")
	}
	t, err := tok.WithTruncation(&tokenizer.Truncation{MaxLength: maxLength})
	if err != nil {
		return nil, fmt.Errorf("finetune: encode: %w", err)
	}
	if t, err = t.WithPadding(&tokenizer.Padding{Length: maxLength, ID: pad, Token: "[PAD]"}); err != nil {
		return nil, fmt.Errorf("finetune: encode: %w", err)
	}
	encs, err := t.EncodeBatch(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("finetune: encode: %w", err)
	}
	out := make([]Example, len(encs))
	for i, e := range encs {
		out[i] = NewExample(e.IDs, e.TypeIDs, e.AttentionMask, labels[i])
	}
	return out, nil
}

// WriteFile writes the history as JSON to path, atomically, so that a later
// cell or program can read it with [ReadHistory].
func (h History) WriteFile(path string) error {
	if err := jsonfile.Write(path, h); err != nil {
		return fmt.Errorf("finetune: write history: %w", err)
	}
	return nil
}

// maxHistoryFile bounds the size of a history file read by ReadHistory.
const maxHistoryFile = 64 << 20

// ReadHistory reads a history written by [History.WriteFile].
func ReadHistory(path string) (History, error) {
	h, err := jsonfile.Read[History](path, maxHistoryFile)
	if err != nil {
		return h, fmt.Errorf("finetune: read history: %w", err)
	}
	return h, nil
}
