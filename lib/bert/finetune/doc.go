// Package finetune fine-tunes a BERT sequence classifier (lib/bert) for text
// classification, the way transformers' Trainer does, in Go.
//
// A [Trainer] runs the classic recipe of Devlin et al. (2019, §4): the
// pretrained encoder plus a new linear classifier on the pooled [CLS]
// vector, trained end to end with softmax cross-entropy
//
//	L = −(1/B) Σ_i log softmax(W·pool(x_i) + b)[y_i]
//
// by [AdamW] (decoupled weight decay that skips biases and LayerNorm
// parameters, a linear warm-up then linear decay of the learning rate,
// global-norm gradient clipping at 1.0), with dropout active during training
// and each epoch's order drawn from a seeded generator. After every epoch it
// evaluates on a dev set (and a test set, if given) with lib/metrics:
// accuracy, precision, recall, F1, confusion matrix and, for two classes,
// ROC-AUC; it can stop early when the chosen dev metric stops improving and
// restore the best epoch's weights.
//
// # Progress
//
// [Trainer.Fit] reports every update, checkpoint and epoch as an [Event] to
// a plain callback. [TerminalProgress] writes them as lines of text; the
// notebook display (a progress bar and a live loss and accuracy chart) is
// training.Progress in lib/display/training, so that this package does not
// depend on the notebook front end.
//
// # Checkpoints
//
// With Options.CheckpointDir set, the trainer writes checkpoint.safetensors
// there: all GoMLX variables (weights, AdamW moments and step, the random
// state used by dropout) plus the loop's position (epoch, batch, running
// sums, history) as metadata. Every write goes to a temporary file that is
// synced and renamed into place, so a process killed at any moment leaves
// the previous checkpoint intact, and [Trainer.Fit] resumes from it: the
// resumed run produces exactly the weights of an uninterrupted one.
//
// # Export
//
// [Trainer.Export] writes a Hugging Face model directory (config.json,
// model.safetensors, tokenizer files) that transformers'
// AutoModelForSequenceClassification loads with the same logits
// (scripts/golden-finetune-roundtrip.py checks this).
//
// Gradients of BERT on GoMLX v0.26 need the fixes in lib/backend
// (DotGeneral-based VJPs, a Rsqrt gradient); [NewTrainer] installs them.
package finetune
