// Package bert implements BERT (Devlin et al. 2019, "BERT: Pre-training of
// Deep Bidirectional Transformers for Language Understanding",
// https://arxiv.org/abs/1810.04805) in GoMLX, numerically equal to Hugging
// Face transformers' BertModel and BertForSequenceClassification on the
// same weights.
//
// # Model
//
// A sequence of token ids t₁…t_T (with segment ids s and a padding mask m)
// is embedded as
//
//	x = LayerNorm(E_word[t] + E_pos[0…T-1] + E_type[s])
//
// and passed through L encoder layers, each
//
//	a = LayerNorm(x + Attention(x)·W_o + b_o)
//	x = LayerNorm(a + GELU(a·W_i + b_i)·W_out + b_out)
//
// where Attention splits Q = x·W_q + b_q, K, V into heads of size d and computes
// softmax(Q·Kᵀ/√d + bias)·V per head, bias being 0 for real keys and the lowest
// float32 for padded ones (so padding gets probability exactly 0), GELU is the
// exact x·Φ(x) = x·(1+erf(x/√2))/2 and LayerNorm uses the biased variance and
// the config's ε. The pooler is tanh(W_p·x₀ + b_p) on the first ([CLS]) token
// and the classifier a linear layer on the pooled vector. Dropout is applied
// only when the GoMLX context is in training mode. GoMLX's
// layers.MultiHeadAttention is not used: it scales scores by 1/√d twice.
//
// # Weights and names
//
// Weights are GoMLX variables whose scope mirrors the Hugging Face name:
// "bert.encoder.layer.0.attention.self.query.weight" is the variable
// "weight" in scope <root>/bert/encoder/layer/0/attention/self/query, stored
// in PyTorch layout (a Linear weight is [out, in]). [CanonicalName] maps
// checkpoint names with or without the "bert." prefix (BertModel and
// sentence-transformers checkpoints have none) and TensorFlow-era
// LayerNorm gamma/beta to these names; [Parameters] lists them with their
// shapes; [LoadWeights] fills a context from a checkpoint and [Weights] and
// [Save] export one in transformers' format.
//
// # Training
//
// [ClassifierLogits] (and [Encode], [SequenceOutput], [Pooled]) are plain
// graph-building functions over a *context.Context, usable inside a GoMLX
// training loop: with ctx.SetTraining(g, true) they apply transformers'
// dropout. They avoid graph.Slice, whose gradient needs Pad, which the
// SimpleGo backend lacks: the [CLS] vector is a one-hot contraction and
// position embeddings a Gather.
//
// # Inference
//
// [Model] wraps loaded weights and a backend (lib/backend: SimpleGo unless an
// XLA PJRT plugin is installed). [Model.Run] computes hidden states, pooled
// output and logits for token ids.
//
// # Parity
//
// The tests compare with transformers' outputs made by scripts/golden-bert.py
// (a tiny random model, committed under testdata/tiny) and
// scripts/golden-bert-pretrained.py (all-MiniLM-L6-v2), requiring a maximum
// absolute difference of at most 1e-4.
package bert
