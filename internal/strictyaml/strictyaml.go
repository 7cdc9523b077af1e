// Package strictyaml decodes one YAML document into a Go value strictly,
// as the chapter loaders (lib/canvas, lib/iterate, lib/swot) require.
//
// yaml.v3 is lenient in three ways that hide mistakes in a hand-written
// file: it ignores keys that match no field, it stops after the first
// document of a stream (so a stray "---" line hides the rest of the
// file), and it truncates a fractional value decoded into an integer
// field (visitors: 100.5 becomes 100). [Decode] turns all three into
// errors that carry the line:
//
//   - unknown keys are rejected with the decoder's KnownFields;
//   - after the first document only empty documents may follow (a
//     trailing "---" is fine);
//   - every scalar that lands in an integer field must carry YAML's !!int
//     tag (or be null): the document's node tree is walked alongside the
//     Go type, following struct fields by their yaml names (inline
//     structs included), map values, slice and array elements and aliases.
//
// The last check runs only after a successful decode, which has already
// bounded the work (yaml.v3 limits alias expansion).
package strictyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// ErrEmpty reports input that holds no YAML document.
var ErrEmpty = errors.New("empty document")

// Error is a problem found at a line of the input. Path is the field path
// of the value, such as "experiments[0].control.visitors", or empty when
// the problem is not in one field (a second document).
type Error struct {
	Line int
	Path string
	Err  error
}

// Error returns "line L: PATH: problem", or "line L: problem" without a path.
func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d: %s: %v", e.Line, e.Path, e.Err)
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }

// Decode decodes the one YAML document in data into v, a non-nil pointer,
// rejecting unknown fields, a second non-empty document and non-integer
// values of integer fields (see the package documentation). Input with
// no document is an error wrapping [ErrEmpty]. It returns the document's
// node tree, for callers that map field paths to lines.
func Decode(data []byte, v any) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ErrEmpty
		}
		return nil, err
	}
	if err := end(dec); err != nil {
		return nil, err
	}
	root := new(yaml.Node)
	if err := yaml.Unmarshal(data, root); err != nil {
		return nil, err
	}
	if err := wholeNumbers(root, reflect.TypeOf(v), ""); err != nil {
		return nil, err
	}
	return root, nil
}

// end checks that dec, having decoded a document, holds no other (empty
// documents, such as a trailing "---", are fine).
func end(dec *yaml.Decoder) error {
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
			return &Error{Line: extra.Line, Err: errors.New("a second YAML document (a file holds one)")}
		}
	}
}

// wholeNumbers checks the scalars of the YAML tree n that decode into
// integer fields of t: each must be a YAML integer (or null). path is the
// field path of n.
func wholeNumbers(n *yaml.Node, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if err := wholeNumbers(c, t, path); err != nil {
				return err
			}
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			return wholeNumbers(n.Alias, t, path)
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
				if ft, ok := field(t, key); ok {
					if err := wholeNumbers(val, ft, p); err != nil {
						return err
					}
				}
			case reflect.Map:
				if err := wholeNumbers(val, t.Elem(), p); err != nil {
					return err
				}
			}
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, c := range n.Content {
				if err := wholeNumbers(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	case yaml.ScalarNode:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if tag := n.ShortTag(); tag != "!!int" && tag != "!!null" {
				return &Error{Line: n.Line, Path: path, Err: fmt.Errorf("%s is not a whole number", n.Value)}
			}
		}
	}
	return nil
}

// field returns the type of the field of struct t that YAML key names (as
// yaml.v3 maps them: the tag's name, or the lowercased field name; inline
// structs included).
func field(t reflect.Type, key string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue // yaml.v3 skips unexported fields but not embedded structs
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if strings.Contains(","+opts+",", ",inline,") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if t, ok := field(ft, key); ok {
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
