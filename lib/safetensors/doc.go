// Package safetensors reads and writes the safetensors weights format used by
// Hugging Face models (model.safetensors).
//
// # Format
//
// A safetensors file is
//
//	[8 bytes: N, little-endian uint64][N bytes: JSON header][data section]
//
// The JSON header is an object mapping each tensor name to
// {"dtype": "F32", "shape": [768, 3072], "data_offsets": [begin, end]}, where the
// offsets are byte positions relative to the start of the data section, plus an
// optional "__metadata__" object of string-to-string pairs. Tensor bytes are
// little-endian and row-major (C order). The header may be padded with spaces.
// The specification (https://github.com/huggingface/safetensors) requires that
// the tensors cover the data section exactly, without holes or overlaps, so a
// file cannot smuggle a second payload (a polyglot).
//
// # Validation before allocation
//
// A weights file is untrusted input: it may be truncated by a failed download or
// crafted to make a reader allocate terabytes. [NewReader] therefore checks,
// before allocating anything sized by the file's content:
//
//   - the header length N fits in the file and is at most [MaxHeaderSize];
//   - the header is valid JSON, an object, without duplicate names;
//   - every dtype is known, every dimension is non-negative and the element
//     count times the dtype size does not overflow;
//   - every tensor's data_offsets lie inside the data section, match the byte
//     size its dtype and shape imply, and together tile the data section
//     exactly (sorted by offset: no overlap, no hole, no trailing bytes).
//
// Reading a tensor then allocates at most its validated byte size, which is
// bounded by the file size. Errors name the file (when known), the tensor and
// the problem. FuzzNewReader checks that no input makes the reader panic or
// accept inconsistent offsets.
//
// # Types
//
// [DType] enumerates the element types (BOOL, U8, I8, I16, U16, F16, BF16, I32,
// U32, F32, F64, I64, U64, F8_E4M3, F8_E5M2). [Tensor] holds a name, dtype,
// shape and raw bytes; [Tensor.Float32] converts any numeric dtype to float32
// (IEEE half and bfloat16 exactly, F64 and 64-bit integers by rounding), which
// is what FounderLab's GoMLX models consume. [Open] and [NewReader] read;
// [Write] and [WriteFile] write, WriteFile atomically (temporary file in the
// same directory, fsync, rename), so a crash never leaves a half-written file
// under the final name.
//
// # Why not an existing module
//
// The Go proxy serves github.com/nlpodyssey/safetensors (only as an untagged
// pseudo-version, v0.0.0-20250209183917-bfb01cc25f7c). It deserializes from a
// []byte holding the whole file, so a 440 MB bert-base checkpoint must be read
// into memory first; it has no float32 conversion of F16/BF16, no atomic file
// writing, no file-and-tensor context in errors, and it pulls in testify. The
// format is small (an 8-byte length, a JSON object, raw bytes), so this package
// implements it directly on io.ReaderAt with the checks above.
package safetensors
