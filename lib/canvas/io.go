package canvas

import (
	"fmt"
	"io"
	"os"

	"github.com/founderlab/founderlab/internal/strictyaml"
	"github.com/founderlab/founderlab/lib/csvtable"
)

// parseYAML strictly decodes one YAML document into v: unknown fields, a
// second document and a fractional value for an integer field (such as
// months: 12.5, which yaml.v3 would truncate) are errors naming the input
// and, from yaml.v3, the line.
func parseYAML(data []byte, name string, v any) error {
	if _, err := strictyaml.Decode(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
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
// columns too_cheap, cheap, expensive and too_expensive (in any order and
// case; other columns are ignored), at most [csvtable.MaxBytes] of it. A
// mistake is a [*csvtable.ParseError] naming the line and the column.
func ReadPSM(r io.Reader) ([]PSMAnswer, error) {
	cols, err := csvtable.ReadFloats(r, 0, "too_cheap", "cheap", "expensive", "too_expensive")
	if err != nil {
		return nil, err
	}
	var out []PSMAnswer
	for i := range cols[0] {
		out = append(out, PSMAnswer{cols[0][i], cols[1][i], cols[2][i], cols[3][i]})
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
