package swot

import (
	"strings"
	"testing"
)

// TestParseStrict: a fractional value for an integer field (yaml.v3
// truncates target: 4.5 to 4), a second YAML document and data after the
// JSON value are errors with their line.
func TestParseStrict(t *testing.T) {
	withTRL := goodYAML + "trl:\n  target: %s\n  evidence: []\n"
	for _, tc := range []struct{ name, format, text, want string }{
		{"fractional target", "yaml", strings.Replace(withTRL, "%s", "4.5", 1), "trl.target: 4.5 is not a whole number"},
		{"second document", "yaml", goodYAML + "---\nsubject: other\n", "a second YAML document"},
		{"empty", "yaml", "", "empty document"},
		{"json trailing data", "json", `{"subject": "x"} {"subject": "y"}`, "line 1: data after the JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.text), tc.format)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse: %v; want %q", err, tc.want)
			}
		})
	}
	if _, err := Parse([]byte(strings.Replace(withTRL, "%s", "4", 1)+"---\n"), "yaml"); err != nil {
		t.Fatalf("whole target, trailing document marker: %v", err)
	}
}
