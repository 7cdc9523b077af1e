package bert

import (
	"fmt"
	"slices"

	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Batch is a padded batch of tokenized sequences: every row has the same
// length, and AttentionMask is 1 for real tokens and 0 for padding.
// TokenTypeIDs and AttentionMask may be nil (all zeros; no padding).
type Batch struct {
	InputIDs      [][]int32
	TokenTypeIDs  [][]int32
	AttentionMask [][]int32
}

// Output holds the results of running the model on a Batch, as plain Go
// values (batch-major).
type Output struct {
	// LastHiddenState is BertModel's last hidden state [batch][seq][hidden].
	LastHiddenState [][][]float32
	// PooledOutput is BertModel's pooler output [batch][hidden]
	// (nil when the checkpoint has no pooler).
	PooledOutput [][]float32
	// MeanPooled is the mean of the hidden states of real tokens [batch][hidden].
	MeanPooled [][]float32
	// Logits is BertForSequenceClassification's output [batch][labels]
	// (nil when the model has no classifier).
	Logits [][]float32
}

// dims checks that the batch is rectangular and returns its dimensions.
func (b *Batch) dims() (batch, seq int, err error) {
	batch = len(b.InputIDs)
	if batch == 0 {
		return 0, 0, fmt.Errorf("bert: empty batch")
	}
	seq = len(b.InputIDs[0])
	if seq == 0 {
		return 0, 0, fmt.Errorf("bert: batch row 0 has no tokens")
	}
	for name, rows := range map[string][][]int32{"input_ids": b.InputIDs, "token_type_ids": b.TokenTypeIDs, "attention_mask": b.AttentionMask} {
		if rows == nil {
			continue
		}
		if len(rows) != batch {
			return 0, 0, fmt.Errorf("bert: batch %s has %d rows, input_ids %d", name, len(rows), batch)
		}
		for i, r := range rows {
			if len(r) != seq {
				return 0, 0, fmt.Errorf("bert: batch %s row %d has %d tokens, want %d", name, i, len(r), seq)
			}
		}
	}
	return batch, seq, nil
}

// tensors converts the batch to [batch, seq] int32 tensors, filling
// nil token types with 0 and a nil mask with 1.
func (b *Batch) tensors(cfg *Config) (ids, types, mask *tensors.Tensor, err error) {
	batch, seq, err := b.dims()
	if err != nil {
		return nil, nil, nil, err
	}
	if seq > cfg.MaxPositionEmbeddings {
		return nil, nil, nil, fmt.Errorf("bert: sequence length %d exceeds max_position_embeddings %d", seq, cfg.MaxPositionEmbeddings)
	}
	flat := func(rows [][]int32, fill int32, limit int, name string) ([]int32, error) {
		out := make([]int32, 0, batch*seq)
		for i := 0; i < batch; i++ {
			if rows == nil {
				for j := 0; j < seq; j++ {
					out = append(out, fill)
				}
				continue
			}
			for j, v := range rows[i] {
				if limit > 0 && (v < 0 || int(v) >= limit) {
					return nil, fmt.Errorf("bert: batch %s[%d][%d] = %d, want [0, %d)", name, i, j, v, limit)
				}
			}
			out = append(out, rows[i]...)
		}
		return out, nil
	}
	idv, err := flat(b.InputIDs, 0, cfg.VocabSize, "input_ids")
	if err != nil {
		return nil, nil, nil, err
	}
	tv, err := flat(b.TokenTypeIDs, 0, cfg.TypeVocabSize, "token_type_ids")
	if err != nil {
		return nil, nil, nil, err
	}
	mv, err := flat(b.AttentionMask, 1, 0, "attention_mask")
	if err != nil {
		return nil, nil, nil, err
	}
	return tensors.FromFlatDataAndDimensions(idv, batch, seq),
		tensors.FromFlatDataAndDimensions(tv, batch, seq),
		tensors.FromFlatDataAndDimensions(mv, batch, seq), nil
}

// rows2 splits a [n, m] float32 tensor into rows, keeping the first keep rows.
func rows2(t *tensors.Tensor, keep int) ([][]float32, error) {
	d := t.Shape().Dimensions
	if len(d) != 2 {
		return nil, fmt.Errorf("bert: internal: tensor shape %s, want rank 2", t.Shape())
	}
	flat, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return nil, err
	}
	out := make([][]float32, min(keep, d[0]))
	for i := range out {
		out[i] = slices.Clip(flat[i*d[1] : (i+1)*d[1]])
	}
	return out, nil
}

// rows3 splits a [n, s, m] float32 tensor, keeping the first keep rows.
func rows3(t *tensors.Tensor, keep int) ([][][]float32, error) {
	d := t.Shape().Dimensions
	if len(d) != 3 {
		return nil, fmt.Errorf("bert: internal: tensor shape %s, want rank 3", t.Shape())
	}
	flat, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return nil, err
	}
	out := make([][][]float32, min(keep, d[0]))
	for i := range out {
		out[i] = make([][]float32, d[1])
		for j := range out[i] {
			k := (i*d[1] + j) * d[2]
			out[i][j] = slices.Clip(flat[k : k+d[2]])
		}
	}
	return out, nil
}
