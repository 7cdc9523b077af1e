package swot

import (
	"errors"
	"strings"
	"testing"
)

// TestParseStrict: a fractional value for an integer field (yaml.v3
// truncates target: 4.5 to 4), a second YAML document and data after the
// JSON value are errors with their line.
func TestParseStrict(t *testing.T) {
	withTRL := goodYAML + "trl:\n  target: %s\n  evidence: []\n"
	for _, tc := range []struct {
		name   string
		format Format
		text   string
		want   string
		field  *FieldError // the *FieldError's place, nil when it is not one
	}{
		{"fractional target", YAML, strings.Replace(withTRL, "%s", "4.5", 1), "trl.target: 4.5 is not a whole number", &FieldError{Path: "trl.target", Line: strings.Count(goodYAML, "\n") + 2}},
		{"second document", YAML, goodYAML + "---\nsubject: other\n", "a second YAML document", nil},
		{"empty", YAML, "", "empty document", nil},
		{"json trailing data", JSON, `{"subject": "x"} {"subject": "y"}`, "line 1: data after the JSON value", nil},
		{"unknown format", "toml", goodYAML, `unknown format "toml"`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.text), tc.format)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse: %v; want %q", err, tc.want)
			}
			var fe *FieldError
			if got := errors.As(err, &fe); got != (tc.field != nil) {
				t.Fatalf("errors.As(err, *FieldError) = %v for %v", got, err)
			}
			if fe != nil && (fe.Path != tc.field.Path || fe.Line != tc.field.Line) {
				t.Errorf("FieldError at line %d, %s; want line %d, %s", fe.Line, fe.Path, tc.field.Line, tc.field.Path)
			}
		})
	}
	if _, err := Parse([]byte(strings.Replace(withTRL, "%s", "4", 1)+"---\n"), "yaml"); err != nil {
		t.Fatalf("whole target, trailing document marker: %v", err)
	}
}
