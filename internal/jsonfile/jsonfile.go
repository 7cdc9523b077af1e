// Package jsonfile writes a value as an indented JSON file, atomically, and
// reads one back with a bound on the file's size, so that results can pass
// from one notebook cell (or program) to the next.
package jsonfile

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Write writes v as indented JSON to path atomically, mode 0644.
func Write(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b, 0o644)
}

// Read reads the JSON file at path into a T. A file larger than max bytes
// is an error, read no further; errors name the file.
func Read[T any](path string, max int64) (T, error) {
	var v T
	st, err := os.Stat(path)
	if err != nil {
		return v, err
	}
	if st.Size() > max {
		return v, fmt.Errorf("%s: %d bytes, more than the %d allowed", path, st.Size(), max)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
