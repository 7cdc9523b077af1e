package safetensors

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Write writes tensors and optional metadata in safetensors format to w.
// Tensors are laid out by decreasing element size, then by name (keeping
// every tensor aligned to its element size); the header is padded with
// spaces to a multiple of 8 bytes. Names must be unique, non-empty and not
// "__metadata__"; each tensor's data must match its dtype and shape.
func Write(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	header, order, err := buildHeader(tensors, metadata)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(header)))
	if _, err := bw.Write(lenBuf[:]); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	if _, err := bw.Write(header); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	for _, t := range order {
		if _, err := bw.Write(t.Data); err != nil {
			return fmt.Errorf("safetensors: write tensor %q: %w", t.Name, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	return nil
}

// buildHeader validates the tensors and returns the padded JSON header and
// the tensors in data order.
func buildHeader(tensors []Tensor, metadata map[string]string) ([]byte, []Tensor, error) {
	seen := make(map[string]bool, len(tensors))
	for _, t := range tensors {
		switch {
		case t.Name == "":
			return nil, nil, fmt.Errorf("safetensors: a tensor has an empty name")
		case t.Name == metadataKey:
			return nil, nil, fmt.Errorf("safetensors: tensor name %q is reserved", t.Name)
		case seen[t.Name]:
			return nil, nil, fmt.Errorf("safetensors: duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		if err := t.check(); err != nil {
			return nil, nil, err
		}
	}
	order := slices.Clone(tensors)
	slices.SortStableFunc(order, func(a, b Tensor) int {
		if a.DType.Size() != b.DType.Size() {
			return b.DType.Size() - a.DType.Size()
		}
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	if len(metadata) > 0 {
		m, err := json.Marshal(metadata) // keys sorted
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: metadata: %w", err)
		}
		buf.WriteString(`"` + metadataKey + `":`)
		buf.Write(m)
		first = false
	}
	var offset int64
	for _, t := range order {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		name, err := json.Marshal(t.Name)
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: tensor name %q: %w", t.Name, err)
		}
		buf.Write(name)
		buf.WriteString(`:{"dtype":"` + t.DType.String() + `","shape":[`)
		for i, d := range t.Shape {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(strconv.Itoa(d))
		}
		end := offset + int64(len(t.Data))
		fmt.Fprintf(&buf, `],"data_offsets":[%d,%d]}`, offset, end)
		offset = end
	}
	buf.WriteByte('}')
	for buf.Len()%8 != 0 {
		buf.WriteByte(' ')
	}
	if buf.Len() > MaxHeaderSize {
		return nil, nil, fmt.Errorf("safetensors: header of %d bytes exceeds the %d-byte limit", buf.Len(), MaxHeaderSize)
	}
	return buf.Bytes(), order, nil
}

// WriteFile writes tensors and metadata to path atomically, with
// permissions 0644: it writes a temporary file in the same directory, syncs
// it to disk, and renames it over path (see internal/atomicfile), so readers
// see either the old file or the complete new one.
func WriteFile(path string, tensors []Tensor, metadata map[string]string) error {
	// Validate before creating anything.
	if _, _, err := buildHeader(tensors, metadata); err != nil {
		return err
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		return Write(w, tensors, metadata)
	}, 0o644)
	if err != nil {
		return fmt.Errorf("safetensors: write %s: %w", path, err)
	}
	return nil
}
