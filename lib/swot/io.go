package swot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/internal/strictyaml"
)

// Load reads and validates an analysis from a .yaml/.yml or .json file.
// Unknown fields are rejected; validation errors name the field path and,
// for YAML, its line.
func Load(path string) (*Analysis, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("swot: load: %w", err)
	}
	a, err := Parse(data, formatOf(path))
	if err != nil {
		return nil, fmt.Errorf("swot: load %s: %w", path, err)
	}
	return a, nil
}

// MustLoad is Load for notebooks: it panics on error.
func MustLoad(path string) *Analysis {
	a, err := Load(path)
	if err != nil {
		panic(err)
	}
	return a
}

// Format is the encoding of an analysis file: [YAML] or [JSON].
type Format string

// The encodings [Parse] reads; [Load] and [Save] choose JSON for a .json
// file and YAML otherwise.
const (
	YAML Format = "yaml"
	JSON Format = "json"
)

func formatOf(path string) Format {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return JSON
	}
	return YAML
}

// Parse decodes and validates an analysis in the given format.
// The data must hold one document (a second YAML document or data after
// the JSON value is an error), and integer fields such as trl.target must
// be whole numbers (yaml.v3 would truncate 4.5 to 4): such a value is a
// *FieldError with its line, as are the validation errors.
func Parse(data []byte, format Format) (*Analysis, error) {
	a := new(Analysis)
	var lines map[string]int
	switch format {
	case JSON:
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(a); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			return nil, err
		}
		if end := dec.InputOffset(); len(bytes.TrimSpace(data[end:])) > 0 {
			line := 1 + bytes.Count(data[:end], []byte("\n"))
			return nil, fmt.Errorf("line %d: data after the JSON value", line)
		}
	case YAML:
		root, err := strictyaml.Decode(data, a)
		if err != nil {
			var se *strictyaml.Error
			if errors.As(err, &se) && se.Path != "" {
				return nil, &FieldError{Path: se.Path, Line: se.Line, Msg: se.Err.Error()}
			}
			return nil, err
		}
		lines = map[string]int{}
		nodeLines(root, "", lines)
	default:
		return nil, fmt.Errorf("unknown format %q (want yaml or json)", format)
	}
	if err := a.Validate(); err != nil {
		return nil, locate(err, lines)
	}
	return a, nil
}

// locate fills in FieldError lines from a path → line map, trying the
// path and then its parents.
func locate(err error, lines map[string]int) error {
	if lines == nil {
		return err
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	for _, e := range list {
		var fe *FieldError
		if !errors.As(e, &fe) {
			continue
		}
		for p := fe.Path; p != "" && fe.Line == 0; p = parentPath(p) {
			fe.Line = lines[p]
		}
	}
	return err
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// nodeLines records the line of every mapping value and sequence item
// under n, keyed by paths such as "strengths[2].rating".
func nodeLines(n *yaml.Node, path string, out map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			nodeLines(c, path, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			p := k
			if path != "" {
				p = path + "." + k
			}
			out[p] = n.Content[i].Line
			nodeLines(n.Content[i+1], p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			out[p] = c.Line
			nodeLines(c, p, out)
		}
	}
}

// Save validates the analysis and writes it to path as YAML or JSON (by
// extension), atomically: a temporary file in the same directory is
// written, synced and renamed over path.
func Save(path string, a *Analysis) error {
	if err := a.Validate(); err != nil {
		return fmt.Errorf("swot: save %s: %w", path, err)
	}
	var data []byte
	var err error
	if formatOf(path) == JSON {
		data, err = json.MarshalIndent(a, "", "  ")
		data = append(data, '\n')
	} else {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		err = enc.Encode(a)
		if err == nil {
			err = enc.Close()
		}
		data = buf.Bytes()
	}
	if err != nil {
		return fmt.Errorf("swot: save %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("swot: save %s: %w", path, err)
	}
	return nil
}
