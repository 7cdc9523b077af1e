package recommend

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Embedder turns texts into vectors; *bert.Model is one.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// embMagic starts an embedding cache file; then uint32 count and
// dimension, then count×dimension little-endian float32s.
const embMagic = "FLEMB1\n"

// maxEmbDim bounds the dimension a cache file may claim.
const maxEmbDim = 8192

// EmbedItems returns e's embeddings of texts, read from a cache file in dir
// when one was written for the same model name and texts (the file name
// holds a sha256 of both), else computed and written there atomically. dir
// "" means the user cache directory (…/founderlab/embeddings). A damaged
// cache file is recomputed.
func EmbedItems(ctx context.Context, e Embedder, name string, texts []string, dir string) ([][]float32, error) {
	if dir == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("recommend: embedding cache: %w", err)
		}
		dir = filepath.Join(c, "founderlab", "embeddings")
	}
	h := sha256.New()
	io.WriteString(h, name)
	for _, t := range texts {
		h.Write([]byte{0})
		io.WriteString(h, t)
	}
	safe := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	path := filepath.Join(dir, fmt.Sprintf("items-%s-%s.emb", safe, hex.EncodeToString(h.Sum(nil))[:24]))
	if v, err := readEmbeddings(path, len(texts)); err == nil {
		return v, nil
	}
	v, err := e.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("recommend: embedding %d item texts: %w", len(texts), err)
	}
	if len(v) != len(texts) {
		return nil, fmt.Errorf("recommend: embedder returned %d vectors for %d texts", len(v), len(texts))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("recommend: embedding cache: %w", err)
	}
	if err := writeEmbeddings(path, v); err != nil {
		return nil, fmt.Errorf("recommend: embedding cache: %w", err)
	}
	return v, nil
}

func writeEmbeddings(path string, v [][]float32) error {
	dim := 0
	if len(v) > 0 {
		dim = len(v[0])
	}
	var buf bytes.Buffer
	buf.WriteString(embMagic)
	binary.Write(&buf, binary.LittleEndian, [2]uint32{uint32(len(v)), uint32(dim)})
	for i, x := range v {
		if len(x) != dim {
			return fmt.Errorf("vector %d has dimension %d, want %d", i, len(x), dim)
		}
		binary.Write(&buf, binary.LittleEndian, x)
	}
	return atomicfile.WriteFile(path, buf.Bytes(), 0o644)
}

// readEmbeddings reads a cache file, checking its size against its header
// before allocating.
func readEmbeddings(path string, n int) ([][]float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(embMagic)+8)
	if _, err := io.ReadFull(f, head); err != nil || string(head[:len(embMagic)]) != embMagic {
		return nil, errors.New("not an embedding cache file")
	}
	count := int(binary.LittleEndian.Uint32(head[len(embMagic):]))
	dim := int(binary.LittleEndian.Uint32(head[len(embMagic)+4:]))
	if count != n || dim > maxEmbDim || fi.Size() != int64(len(head))+int64(count)*int64(dim)*4 {
		return nil, errors.New("embedding cache file does not match")
	}
	flat := make([]float32, count*dim)
	if err := binary.Read(f, binary.LittleEndian, flat); err != nil {
		return nil, err
	}
	out := make([][]float32, count)
	for i := range out {
		out[i] = flat[i*dim : (i+1)*dim : (i+1)*dim]
		for _, x := range out[i] {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, errors.New("embedding cache file holds a non-finite value")
			}
		}
	}
	return out, nil
}
