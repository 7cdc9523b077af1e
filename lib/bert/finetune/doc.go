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
// parameters, a linear warm-up then linear decay of the learning rate —
// or a constant one, Options.Schedule — and global-norm gradient clipping
// at 1.0 unless Options.MaxGradNorm is 0), with dropout active during training
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
// With Options.LogDir set, Fit also writes TensorBoard event files
// (through lib/tensorboard): every update's train/loss,
// train/learning_rate and train/grad_norm (the gradient norm before
// clipping, also in Event.GradNorm), and every epoch's training averages
// and dev/ and test/ metrics, at the update step. `tensorboard --logdir`
// on the parent of several runs' directories compares them.
//
// # LoRA
//
// With Options.LoRA set, only low-rank adapters (bert.LoRA: Hu et al.,
// 2021) and the classifier head (with bert.LoRA.TrainPooler, the pooler
// too) are trained; the pretrained weights are frozen. They are left out of the gradient, so the backward pass computes
// activation gradients only, and AdamW keeps no moments for them:
// [Trainer.TrainableParams] says how many parameters remain (0.33 % of
// all-MiniLM-L6-v2 for rank 8 on query and value). [Trainer.Export] writes
// the model with the adapters merged in; [Trainer.ExportAdapter] writes
// the adapter in Hugging Face PEFT's format, which peft loads over the base
// model with the same logits (scripts/golden-finetune-peft.py checks this,
// and that peft's adapters load here).
//
// # Adapters and comparisons
//
// With Options.Adapter set, Houlsby bottleneck adapters (bert.Adapter;
// Houlsby et al., 2019), the classifier head and the LayerNorms are trained
// and everything else is frozen, as with LoRA; such a model cannot be
// exported as plain BERT ([ErrAdapterExport]). A [Variant] names one way
// of fine-tuning ([Method]: full, LoRA or adapters, its size and learning
// rate); [RunTrial] trains it once and records a [Trial] (trainable
// parameters, median step time, peak memory, best-epoch dev and test
// scores), [Summarize] gives each variant's mean and spread over seeds,
// and [Grid] lists the LoRA rank × learning rate grid of a small
// hyper-parameter search. bench/peft and notebook 06 use them.
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
// # Several devices
//
// With Options.Devices above 1 each training step runs data parallel on
// that many devices of an XLA backend, through GoMLX's distributed engine
// (pkg/core/distributed, the AutoSharding strategy on XLA Shardy): the
// global batch of BatchSize examples is split along its first axis over a
// one-axis device mesh, the parameters and AdamW's state are replicated, and
// the compiler inserts the all-reduce that adds the devices' gradients. The
// updates are those of one device with the same global batch, up to float32
// rounding (the per-example terms are added in another order): on XLA's CPU
// plugin, 12 steps of a tiny model on 1 and 2 devices agree to a relative
// 1e-4 in every loss and 1e-3 in every weight (measured: 9e-8 and
// 6e-8), dropout included. Checkpoints hold the merged (replicated) values, so a run
// checkpointed on N devices resumes on M; export and TensorBoard logs are
// unchanged. Options.Devices = 0 takes [DefaultDevices]: all devices of a
// GPU or TPU, 1 on CPU.
//
// On a machine with several GPUs, install XLA's CUDA PJRT plugin (see
// bench/gpu.sh), select it with GOMLX_BACKEND=xla:cuda (or the plugin's
// path), and either leave Options.Devices at 0 or set it; the bench command
// takes -devices N:
//
//	GOMLX_BACKEND=xla:cuda go run ./bench/bert -devices 4 -batch 64
//
// To limit a run to some GPUs, set CUDA_VISIBLE_DEVICES. XLA's CPU plugin
// also exposes several host devices (4 on FounderLab's 2-core CI machine,
// whatever XLA_FLAGS=--xla_force_host_platform_device_count says: the PJRT
// CPU client does not read that flag), which is how
// the tests check parity without a GPU; on CPU they share the same cores,
// so more devices are not faster.
//
// Known limits: BatchSize must be a multiple of Devices, and a last short
// batch of an epoch drops the at most Devices−1 examples that would not
// split evenly; evaluation and prediction run on one device; SimpleGo has
// no distributed execution (an error wrapping [ErrDevices]); only one
// machine (no multi-host meshes); GoMLX's SPMD strategy is not used. It
// has not been run on GPUs here (no GPU was available).
//
// Gradients of BERT on GoMLX v0.26 need the fixes in lib/backend
// (DotGeneral-based VJPs, a Rsqrt gradient); [NewTrainer] installs them.
package finetune
