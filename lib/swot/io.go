package swot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/founderlab/founderlab/internal/atomicfile"
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

func formatOf(path string) string {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return "json"
	}
	return "yaml"
}

// Parse decodes and validates an analysis; format is "yaml" or "json".
// The data must hold one document (a second YAML document or data after
// the JSON value is an error), and integer fields such as trl.target must
// be whole numbers (yaml.v3 would truncate 4.5 to 4).
func Parse(data []byte, format string) (*Analysis, error) {
	a := new(Analysis)
	var lines map[string]int
	switch format {
	case "json":
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
	case "yaml":
		var root yaml.Node
		if err := yaml.Unmarshal(data, &root); err != nil {
			return nil, err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(a); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("empty document")
			}
			return nil, err
		}
		if err := yamlEnd(dec); err != nil {
			return nil, err
		}
		if err := yamlInts(&root, reflect.TypeOf(a), ""); err != nil {
			return nil, err
		}
		lines = map[string]int{}
		nodeLines(&root, "", lines)
	default:
		return nil, fmt.Errorf("unknown format %q (want yaml or json)", format)
	}
	if err := a.Validate(); err != nil {
		return nil, locate(err, lines)
	}
	return a, nil
}

// yamlEnd checks that dec, having decoded a document, holds no other
// (empty documents, such as a trailing "---", are fine).
func yamlEnd(dec *yaml.Decoder) error {
	for {
		var extra yaml.Node
		err := dec.Decode(&extra)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("after the first document: %w", err)
		}
		if len(extra.Content) > 0 && extra.Content[0].ShortTag() != "!!null" {
			return fmt.Errorf("line %d: a second YAML document (a file holds one)", extra.Line)
		}
	}
}

// yamlInts checks the scalars of the YAML tree n that decode into integer
// fields of t (yaml.v3 silently truncates 100.5 to 100 there): each must
// be a YAML integer (or null). The error names the line and field path.
// Call it after a successful Decode, which bounds the work (aliases
// included).
func yamlInts(n *yaml.Node, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if err := yamlInts(c, t, path); err != nil {
				return err
			}
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			return yamlInts(n.Alias, t, path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i].Value, n.Content[i+1]
			p := key
			if path != "" {
				p = path + "." + key
			}
			switch t.Kind() {
			case reflect.Struct:
				if ft, ok := yamlField(t, key); ok {
					if err := yamlInts(val, ft, p); err != nil {
						return err
					}
				}
			case reflect.Map:
				if err := yamlInts(val, t.Elem(), p); err != nil {
					return err
				}
			}
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, c := range n.Content {
				if err := yamlInts(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	case yaml.ScalarNode:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if tag := n.ShortTag(); tag != "!!int" && tag != "!!null" {
				return fmt.Errorf("line %d: %s: %s is not a whole number", n.Line, path, n.Value)
			}
		}
	}
	return nil
}

// yamlField returns the type of the field of struct t that YAML key names
// (as yaml.v3 maps them: the tag's name, or the lowercased field name;
// inline structs included).
func yamlField(t reflect.Type, key string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(","+opts+",", ",inline,") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if t, ok := yamlField(ft, key); ok {
					return t, true
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name == key {
			return f.Type, true
		}
	}
	return nil, false
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
	if formatOf(path) == "json" {
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
