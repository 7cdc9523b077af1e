package canvas

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/founderlab/founderlab/internal/strictyaml"
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
