package metrics

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// ReportHeader is the header of a table of reports, one per row (see
// [Report.Row]).
var ReportHeader = []string{"model / set", "n", "accuracy", "precision", "recall", "F1", "ROC-AUC"}

// Row formats the report as a table row named name, in the columns of
// [ReportHeader].
func (r Report) Row(name string) []string {
	f := func(v float64) string { return fmt.Sprintf("%.3f", v) }
	return []string{name, fmt.Sprint(r.N), f(r.Accuracy), f(r.Precision), f(r.Recall), f(r.F1), f(r.ROCAUC)}
}

// WriteReports writes named reports as JSON to path, atomically.
func WriteReports(path string, reports map[string]Report) error {
	b, err := json.MarshalIndent(reports, "", " ")
	if err != nil {
		return fmt.Errorf("metrics: reports: %w", err)
	}
	if err := atomicfile.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("metrics: write reports: %w", err)
	}
	return nil
}

// maxReportsFile bounds the size of a file read by ReadReports.
const maxReportsFile = 64 << 20

// ReadReports reads reports written by [WriteReports].
func ReadReports(path string) (map[string]Report, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("metrics: read reports: %w", err)
	}
	if st.Size() > maxReportsFile {
		return nil, fmt.Errorf("metrics: read reports %s: %d bytes, more than the %d allowed", path, st.Size(), maxReportsFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("metrics: read reports: %w", err)
	}
	var r map[string]Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("metrics: read reports %s: %w", path, err)
	}
	return r, nil
}
