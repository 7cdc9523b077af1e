package canvas

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// parseYAML strictly decodes one YAML document into v: unknown fields, a
// second document and a fractional value for an integer field (such as
// months: 12.5, which yaml.v3 would truncate) are errors naming the input
// and, from yaml.v3, the line.
func parseYAML(data []byte, name string, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: empty document", name)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := yamlEnd(dec); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := yamlInts(&root, reflect.TypeOf(v), ""); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
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

// LoadCanvas reads and validates a canvas from a YAML file.
func LoadCanvas(path string) (*Canvas, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("canvas: load: %w", err)
	}
	return parseCanvas(data, path)
}

func parseCanvas(data []byte, name string) (*Canvas, error) {
	c := new(Canvas)
	if err := parseYAML(data, name, c); err != nil {
		return nil, fmt.Errorf("canvas: load: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("canvas: load %s: %w", name, err)
	}
	return c, nil
}

// LoadModel reads and validates a revenue model from a YAML file.
func LoadModel(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("canvas: load: %w", err)
	}
	return parseModel(data, path)
}

func parseModel(data []byte, name string) (*Model, error) {
	m := new(Model)
	if err := parseYAML(data, name, m); err != nil {
		return nil, fmt.Errorf("canvas: load: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("canvas: load %s: %w", name, err)
	}
	return m, nil
}

// ReadPSM reads Van Westendorp answers from CSV with a header naming the
// columns too_cheap, cheap, expensive and too_expensive (in any order;
// other columns are ignored). Errors name the line and column.
func ReadPSM(r io.Reader) ([]PSMAnswer, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.ToLower(h))] = i
	}
	names := []string{"too_cheap", "cheap", "expensive", "too_expensive"}
	idx := make([]int, 4)
	for k, n := range names {
		i, ok := col[n]
		if !ok {
			return nil, fmt.Errorf("header: no %q column (have %s)", n, strings.Join(header, ", "))
		}
		idx[k] = i
	}
	var out []PSMAnswer
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		var v [4]float64
		for k, i := range idx {
			x, err := strconv.ParseFloat(strings.TrimSpace(rec[i]), 64)
			if err != nil {
				return nil, fmt.Errorf("line %d, column %q: %q is not a number", line, names[k], rec[i])
			}
			v[k] = x
		}
		out = append(out, PSMAnswer{v[0], v[1], v[2], v[3]})
	}
	return out, nil
}

// LoadPSM reads Van Westendorp answers from a CSV file (see ReadPSM).
func LoadPSM(path string) ([]PSMAnswer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("canvas: load answers: %w", err)
	}
	defer f.Close()
	a, err := ReadPSM(f)
	if err != nil {
		return nil, fmt.Errorf("canvas: load answers %s: %w", path, err)
	}
	return a, nil
}
