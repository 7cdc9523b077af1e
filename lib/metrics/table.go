package metrics

import (
	"fmt"

	"github.com/founderlab/founderlab/internal/jsonfile"
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
	if err := jsonfile.Write(path, reports); err != nil {
		return fmt.Errorf("metrics: write reports: %w", err)
	}
	return nil
}

// maxReportsFile bounds the size of a file read by ReadReports.
const maxReportsFile = 64 << 20

// ReadReports reads reports written by [WriteReports].
func ReadReports(path string) (map[string]Report, error) {
	r, err := jsonfile.Read[map[string]Report](path, maxReportsFile)
	if err != nil {
		return nil, fmt.Errorf("metrics: read reports: %w", err)
	}
	return r, nil
}
