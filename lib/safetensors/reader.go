package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"unicode/utf8"
)

// MaxHeaderSize is the largest JSON header a Reader accepts (100 MB, the
// limit of the reference implementation). Real headers are a few hundred KB.
const MaxHeaderSize = 100_000_000

// metadataKey is the reserved header entry holding free-form string metadata.
const metadataKey = "__metadata__"

// TensorInfo describes one tensor in a file's header.
type TensorInfo struct {
	Name  string
	DType DType
	Shape []int
	// Begin and End are the byte offsets of the tensor's data, relative to
	// the start of the data section (the header's data_offsets).
	Begin, End int64
}

// Len returns the number of elements of the tensor.
func (ti TensorInfo) Len() int {
	n := 1
	for _, d := range ti.Shape {
		n *= d
	}
	return n
}

// Reader reads tensors from a safetensors file whose header has been
// validated. It reads tensor data lazily through an io.ReaderAt, so a large
// checkpoint is never held in memory as a whole. A Reader is safe for
// concurrent use if its io.ReaderAt is (an *os.File is).
type Reader struct {
	r         io.ReaderAt
	name      string
	dataStart int64
	metadata  map[string]string
	infos     []TensorInfo // sorted by name
	index     map[string]int
}

// NewReader reads and validates the header of the safetensors data in r,
// which is size bytes long. name identifies the input in error messages
// (a file path; "" for none). See the package documentation for the checks.
func NewReader(r io.ReaderAt, size int64, name string) (*Reader, error) {
	rd := &Reader{r: r, name: name}
	if err := rd.readHeader(size); err != nil {
		return nil, rd.errorf("%w", err)
	}
	return rd, nil
}

func (rd *Reader) errorf(format string, args ...any) error {
	if rd.name != "" {
		return fmt.Errorf("safetensors: %s: "+format, append([]any{rd.name}, args...)...)
	}
	return fmt.Errorf("safetensors: "+format, args...)
}

func (rd *Reader) readHeader(size int64) error {
	if size < 8 {
		return fmt.Errorf("file is %d bytes, too short for the 8-byte header length (truncated?)", size)
	}
	var lenBuf [8]byte
	if _, err := rd.r.ReadAt(lenBuf[:], 0); err != nil {
		return fmt.Errorf("read header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > MaxHeaderSize {
		return fmt.Errorf("header length %d exceeds the %d-byte limit (not a safetensors file?)", n, MaxHeaderSize)
	}
	if n > uint64(size-8) {
		return fmt.Errorf("header length %d exceeds the %d bytes after the length field (truncated?)", n, size-8)
	}
	if n < 2 {
		return fmt.Errorf("header length %d is too short for a JSON object", n)
	}
	header := make([]byte, n)
	if _, err := rd.r.ReadAt(header, 8); err != nil {
		return fmt.Errorf("read %d-byte header: %w", n, err)
	}
	rd.dataStart = 8 + int64(n)
	dataSize := size - rd.dataStart
	if header[0] != '{' {
		return fmt.Errorf("header does not start with '{' (not a safetensors file?)")
	}
	if !utf8.Valid(header) {
		return fmt.Errorf("header is not valid UTF-8")
	}
	entries, err := decodeObject(header)
	if err != nil {
		return fmt.Errorf("header JSON: %w", err)
	}
	rd.index = make(map[string]int, len(entries))
	for _, e := range entries {
		if e.key == metadataKey {
			if err := json.Unmarshal(e.value, &rd.metadata); err != nil {
				return fmt.Errorf("header %s: want an object of strings: %w", metadataKey, err)
			}
			continue
		}
		info, err := parseInfo(e.key, e.value)
		if err != nil {
			return err
		}
		rd.infos = append(rd.infos, info)
	}
	// Check that the tensors tile the data section exactly.
	byOffset := slices.Clone(rd.infos)
	slices.SortFunc(byOffset, func(a, b TensorInfo) int {
		if a.Begin != b.Begin {
			return cmpInt64(a.Begin, b.Begin)
		}
		return cmpInt64(a.End, b.End)
	})
	var next int64
	var prev string
	for _, ti := range byOffset {
		if ti.End > dataSize {
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] run past the %d-byte data section (truncated?)",
				ti.Name, ti.Begin, ti.End, dataSize)
		}
		if ti.Begin < next {
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] overlap tensor %q ending at %d",
				ti.Name, ti.Begin, ti.End, prev, next)
		}
		if ti.Begin > next {
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] leave a hole of %d bytes after offset %d",
				ti.Name, ti.Begin, ti.End, ti.Begin-next, next)
		}
		next, prev = ti.End, ti.Name
	}
	if next != dataSize {
		return fmt.Errorf("data section has %d bytes but the tensors cover %d (trailing or missing bytes)", dataSize, next)
	}
	slices.SortFunc(rd.infos, func(a, b TensorInfo) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	for i, ti := range rd.infos {
		rd.index[ti.Name] = i
	}
	return nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type jsonEntry struct {
	key   string
	value json.RawMessage
}

// decodeObject decodes a JSON object into its entries in order, rejecting
// duplicate keys and anything but whitespace after the object.
func decodeObject(data []byte) ([]jsonEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("want an object, got %v", tok)
	}
	var entries []jsonEntry
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("at byte %d: %w", dec.InputOffset(), err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("at byte %d: want a key, got %v", dec.InputOffset(), tok)
		}
		if seen[key] {
			return nil, fmt.Errorf("at byte %d: duplicate key %q", dec.InputOffset(), key)
		}
		seen[key] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("value of %q: %w", key, err)
		}
		entries = append(entries, jsonEntry{key, v})
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, fmt.Errorf("at byte %d: %w", dec.InputOffset(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("at byte %d: unexpected data after the header object", dec.InputOffset())
	}
	return entries, nil
}

// parseInfo validates one tensor entry {"dtype", "shape", "data_offsets"}.
func parseInfo(name string, raw json.RawMessage) (TensorInfo, error) {
	ti := TensorInfo{Name: name}
	if len(raw) == 0 || raw[0] != '{' {
		return ti, fmt.Errorf("tensor %q: entry is not an object", name)
	}
	entries, err := decodeObject(raw)
	if err != nil {
		return ti, fmt.Errorf("tensor %q: %w", name, err)
	}
	var dtype string
	var shape, offsets []json.Number
	var haveDType, haveShape, haveOffsets bool
	for _, e := range entries {
		switch e.key {
		case "dtype":
			haveDType = true
			err = json.Unmarshal(e.value, &dtype)
		case "shape":
			haveShape = true
			err = json.Unmarshal(e.value, &shape)
		case "data_offsets":
			haveOffsets = true
			err = json.Unmarshal(e.value, &offsets)
		}
		if err != nil {
			return ti, fmt.Errorf("tensor %q: field %q: %w", name, e.key, err)
		}
	}
	switch {
	case !haveDType:
		return ti, fmt.Errorf("tensor %q: missing dtype", name)
	case !haveShape:
		return ti, fmt.Errorf("tensor %q: missing shape", name)
	case !haveOffsets:
		return ti, fmt.Errorf("tensor %q: missing data_offsets", name)
	}
	if ti.DType, err = ParseDType(dtype); err != nil {
		return ti, fmt.Errorf("tensor %q: unknown dtype %q", name, dtype)
	}
	ti.Shape = make([]int, len(shape))
	for i, s := range shape {
		d, err := strconv.ParseInt(string(s), 10, strconv.IntSize)
		if err != nil || d < 0 {
			return ti, fmt.Errorf("tensor %q: shape[%d] = %s is not a non-negative integer", name, i, s)
		}
		ti.Shape[i] = int(d)
	}
	if len(offsets) != 2 {
		return ti, fmt.Errorf("tensor %q: data_offsets has %d numbers, want 2", name, len(offsets))
	}
	for i, s := range offsets {
		v, err := strconv.ParseInt(string(s), 10, 64)
		if err != nil || v < 0 {
			return ti, fmt.Errorf("tensor %q: data_offsets[%d] = %s is not a non-negative integer", name, i, s)
		}
		if i == 0 {
			ti.Begin = v
		} else {
			ti.End = v
		}
	}
	if ti.End < ti.Begin {
		return ti, fmt.Errorf("tensor %q: data_offsets [%d, %d] end before they begin", name, ti.Begin, ti.End)
	}
	_, nbytes, err := numElements(ti.Shape, ti.DType.Size())
	if err != nil {
		return ti, fmt.Errorf("tensor %q: %w", name, err)
	}
	if ti.End-ti.Begin != nbytes {
		return ti, fmt.Errorf("tensor %q: %v%v needs %d bytes but data_offsets [%d, %d] span %d",
			name, ti.DType, ti.Shape, nbytes, ti.Begin, ti.End, ti.End-ti.Begin)
	}
	return ti, nil
}

// Metadata returns the header's "__metadata__" pairs (nil when absent).
// The map is shared: do not modify it.
func (rd *Reader) Metadata() map[string]string { return rd.metadata }

// Tensors returns the descriptions of all tensors, sorted by name.
func (rd *Reader) Tensors() []TensorInfo { return slices.Clone(rd.infos) }

// Names returns the tensor names, sorted.
func (rd *Reader) Names() []string {
	names := make([]string, len(rd.infos))
	for i, ti := range rd.infos {
		names[i] = ti.Name
	}
	return names
}

// Info returns the description of the named tensor.
func (rd *Reader) Info(name string) (TensorInfo, bool) {
	i, ok := rd.index[name]
	if !ok {
		return TensorInfo{}, false
	}
	return rd.infos[i], true
}

// ErrNotFound is returned (wrapped) when a tensor name is not in the file.
var ErrNotFound = errors.New("tensor not found")

// Tensor reads the named tensor's bytes.
func (rd *Reader) Tensor(name string) (Tensor, error) {
	ti, ok := rd.Info(name)
	if !ok {
		return Tensor{}, rd.errorf("%q: %w", name, ErrNotFound)
	}
	data := make([]byte, ti.End-ti.Begin)
	if len(data) > 0 {
		if _, err := rd.r.ReadAt(data, rd.dataStart+ti.Begin); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return Tensor{}, rd.errorf("tensor %q: read %d bytes at %d: %w", name, len(data), rd.dataStart+ti.Begin, err)
		}
	}
	return Tensor{Name: name, DType: ti.DType, Shape: slices.Clone(ti.Shape), Data: data}, nil
}

// Float32 reads the named tensor and converts it to float32 (see
// Tensor.Float32). It returns the values and the shape.
func (rd *Reader) Float32(name string) ([]float32, []int, error) {
	t, err := rd.Tensor(name)
	if err != nil {
		return nil, nil, err
	}
	v, err := t.Float32()
	if err != nil {
		return nil, nil, rd.errorf("%w", err)
	}
	return v, t.Shape, nil
}

// All reads every tensor, sorted by name.
func (rd *Reader) All() ([]Tensor, error) {
	out := make([]Tensor, 0, len(rd.infos))
	for _, ti := range rd.infos {
		t, err := rd.Tensor(ti.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// File is a Reader over an open file. Close it when done.
type File struct {
	*Reader
	f *os.File
}

// Open opens and validates the safetensors file at path.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("safetensors: %s: not a regular file", path)
	}
	rd, err := NewReader(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &File{Reader: rd, f: f}, nil
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// ReadFile reads every tensor of the file at path, and its metadata.
func ReadFile(path string) ([]Tensor, map[string]string, error) {
	f, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	ts, err := f.All()
	if err != nil {
		return nil, nil, err
	}
	return ts, f.Metadata(), nil
}
