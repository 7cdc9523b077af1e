package iterate

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/founderlab/founderlab/internal/strictyaml"
	"github.com/founderlab/founderlab/lib/csvtable"
)

// Arm is one side of an experiment: visitors and conversions.
type Arm struct {
	Name        string `yaml:"name" json:"name"`
	Visitors    int    `yaml:"visitors" json:"visitors"`
	Conversions int    `yaml:"conversions" json:"conversions"`
}

// Experiment is an A/B test as written in a fixture: control and variant,
// the confidence level, and the power the plan asked for.
type Experiment struct {
	Name    string `yaml:"name" json:"name"`
	Control Arm    `yaml:"control" json:"control"`
	Variant Arm    `yaml:"variant" json:"variant"`
	// Level is the confidence level of the test, in (0, 1), e.g. 0.95; the
	// significance level is α = 1 − Level.
	Level float64 `yaml:"level" json:"level"`
	// Power is the statistical power the plan asked for: the probability
	// that the test detects the effect it was sized for (see
	// [SampleSize]), conventionally 0.8. It is a probability, and a test
	// declares a difference with probability α even when there is none,
	// so it must lie in (α, 1).
	Power float64 `yaml:"power" json:"power"`
}

// Check runs the experiment's test (see [Experiment.Test]) and checks
// that Power lies in (1 − Level, 1).
func (e Experiment) Check() error {
	if _, err := e.Test(); err != nil {
		return err
	}
	if alpha := 1 - e.Level; bad(e.Power) || e.Power <= alpha || e.Power >= 1 {
		return fmt.Errorf("experiment %q: power must be in (%.3g, 1), above the significance level 1 − level, got %g (0.8 is usual)", e.Name, alpha, e.Power)
	}
	return nil
}

// Test runs the two-proportion z-test of the experiment.
func (e Experiment) Test() (ABTest, error) {
	t, err := ZTest(e.Control.Conversions, e.Control.Visitors, e.Variant.Conversions, e.Variant.Visitors, e.Level)
	if err != nil {
		return t, fmt.Errorf("experiment %q: %w", e.Name, err)
	}
	return t, nil
}

// Plan is the iteration fixture of a notebook: experiments, funnel and
// backlog.
type Plan struct {
	Product     string       `yaml:"product" json:"product"`
	Experiments []Experiment `yaml:"experiments" json:"experiments"`
	Funnel      []Step       `yaml:"funnel" json:"funnel"`
	Backlog     []Item       `yaml:"backlog" json:"backlog"`
}

// LoadPlan reads a Plan from YAML, rejecting unknown fields, a second
// document, and counts that are not whole numbers (visitors: 100.5; errors
// carry line numbers), and checks its experiments (see
// [Experiment.Check]), funnel and backlog (whose RICE scores must be
// finite).
func LoadPlan(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("iterate: load plan: %w", err)
	}
	return parsePlan(data, path)
}

func parsePlan(data []byte, name string) (*Plan, error) {
	p := new(Plan)
	if _, err := strictyaml.Decode(data, p); err != nil {
		return nil, fmt.Errorf("iterate: load plan %s: %w", name, err)
	}
	var errs []error
	for _, e := range p.Experiments {
		if err := e.Check(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(p.Funnel) > 0 {
		if _, err := Funnel(p.Funnel); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := RICE(p.Backlog); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("iterate: load plan %s: %w", name, err)
	}
	return p, nil
}

// ReadColumns reads the named numeric columns of a CSV with a header row
// (names match case-insensitively, other columns are ignored), at most
// [csvtable.MaxBytes] of it. A mistake is a [*csvtable.ParseError] naming
// the line and the column of the bad cell.
func ReadColumns(r io.Reader, names ...string) ([][]float64, error) {
	return csvtable.ReadFloats(r, 0, names...)
}

// LoadColumns reads named numeric columns from a CSV file (see ReadColumns).
func LoadColumns(path string, names ...string) ([][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("iterate: %w", err)
	}
	defer f.Close()
	cols, err := ReadColumns(f, names...)
	if err != nil {
		return nil, fmt.Errorf("iterate: %s: %w", path, err)
	}
	return cols, nil
}
