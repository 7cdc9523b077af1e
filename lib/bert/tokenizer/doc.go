// Package tokenizer implements BERT's WordPiece tokenizer.
package tokenizer
