// Package tokenizer implements BERT's WordPiece tokenizer exactly as Hugging
// Face's fast tokenizers library does, ids and offsets included.
//
// # The pipeline
//
// Encoding a text runs five steps:
//
//  1. Added tokens. The special tokens ([CLS], [SEP], [PAD], [UNK], [MASK])
//     are found in the raw text (leftmost, longest match) and become tokens
//     on their own; the text between them goes through the next steps.
//  2. Normalization ([Normalizer], Hugging Face's BertNormalizer): remove
//     control and format characters and map whitespace to spaces; put spaces
//     around CJK ideographs; optionally strip accents (NFD, then drop
//     nonspacing marks) and lowercase.
//  3. Pre-tokenization (BertPreTokenizer): split on whitespace, and split off
//     every punctuation character (all ASCII punctuation and symbols, and the
//     Unicode punctuation categories) as a word of its own.
//  4. WordPiece: each word is split greedily into the longest vocabulary
//     entries from the left, pieces after the first carrying the "##"
//     prefix: "unaffable" → un ##aff ##able. A word that cannot be split, or
//     that is longer than 100 characters, becomes [UNK].
//  5. Post-processing: truncation ([Truncation]), the template
//     [CLS] A [SEP] or [CLS] A [SEP] B [SEP] with type ids 0 and 1
//     ([Template]), and padding ([Padding]) with attention mask 0.
//
// Every token keeps the byte range of the input it came from
// ([Encoding.Offsets]); [Encoding.RuneOffsets] converts them to the
// code-point offsets Python reports. [Tokenizer.Decode] reverses
// tokenization as far as normalization allows.
//
// # Loading
//
// [LoadJSON] reads a Hugging Face tokenizer.json (WordPiece model,
// BertNormalizer, BertPreTokenizer, TemplateProcessing or BertProcessing,
// added tokens, truncation and padding); anything else is rejected with an
// error rather than approximated. [LoadVocab] and [FromVocabFile] read a
// vocab.txt (one token per line; lines are split on "\n" only, since the
// Chinese vocabulary has entries containing U+2028) and configure it like
// transformers' BertTokenizer ([DefaultConfig]). [Load] accepts either, or a
// model directory.
//
// # Parity with Hugging Face
//
// TestGoldenCorpus compares ids and offsets with the tokenizers library on
// 10,017 texts (real sentences from banking77, fin-sentiment,
// symptom2disease and netflix, and synthetic stress cases: accents, emoji,
// control and zero-width characters, CJK, words over 100 characters, U+2028,
// random code points), for bert-base-uncased's tokenizer.json and
// bert-base-chinese's vocab.txt, each with lowercasing on and off; other
// golden tests cover pairs, truncation, padding, batches, extra added tokens
// (matched in raw or normalized text) and decoding.
// scripts/golden-tokenizer.py writes the golden file.
//
// The reference library classifies characters with Unicode tables of
// several versions (an old one for punctuation, control characters and
// nonspacing marks, a new one for lowercasing), while Go's are Unicode 15.
// The few hundred code points where they disagree are listed in this
// package (unicode_hf.go), and TestUnicodeTables checks all 1,112,064 code
// points against the reference.
//
// # Long and malformed input
//
// With truncation on, [Tokenizer.Encode] tokenizes only as much of a text
// as the kept tokens need: it works through the text in chunks from the
// end truncation keeps, cut where no word or added token spans the cut,
// and stops once MaxLength tokens are known, so a 50 MB text costs what
// its first (or last) few kilobytes cost and gives exactly the tokens the
// whole text would. Long stretches without such a cut (a megabyte-long
// word, which becomes one [UNK] whose offsets span it) are streamed:
// memory stays bounded by the truncation length, but the time is that of
// reading the stretch. Two exceptions remain: with added tokens matched in
// normalized text (Normalized: true) a stretch is normalized whole, and
// for a pair truncated LongestFirst both sequences are also counted (not
// kept) up to the end of the shorter one, because which is longer decides
// which keeps an odd token. Without truncation the whole text is
// tokenized.
//
// Go strings may hold invalid UTF-8, which Python strings (and so the
// reference library) cannot. Every byte that is not part of valid UTF-8 is
// read as U+FFFD, as Go's range loop and encoding/json do, and never causes
// an error; its offsets are those of the byte. BertNormalizer's CleanText
// removes U+FFFD, as the reference does, so with it (the default) invalid
// bytes disappear, exactly as if the text had been decoded with
// errors="replace" in Python; without it U+FFFD is a letter of its word.
// Check texts with utf8.ValidString when that is not what you want.
//
// tokenizer.json is checked as it is read: one JSON value with nothing
// after it, ids of added tokens, template tokens and padding within the
// tokenizer's ids ([Tokenizer.Size]), and padding lengths at most
// [MaxPadding].
//
// A Tokenizer is immutable and safe for concurrent use;
// [Tokenizer.EncodeBatch] encodes on all CPUs.
package tokenizer
