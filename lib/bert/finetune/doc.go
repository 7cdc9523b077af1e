// Package finetune fine-tunes a BERT sequence classifier (lib/bert) with
// AdamW, a linear warm-up/decay schedule and gradient clipping.
package finetune
