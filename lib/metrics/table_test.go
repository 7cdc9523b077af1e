package metrics

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReportRowAndFile(t *testing.T) {
	r := Report{N: 178, Accuracy: 0.9213, Precision: 0.9, Recall: 0.875, F1: 0.8873, ROCAUC: 0.98749}
	want := []string{"baseline / test", "178", "0.921", "0.900", "0.875", "0.887", "0.987"}
	if got := r.Row("baseline / test"); !reflect.DeepEqual(got, want) {
		t.Errorf("Row = %q, want %q", got, want)
	}
	if len(ReportHeader) != len(want) {
		t.Errorf("header has %d columns, a row %d", len(ReportHeader), len(want))
	}
	p := filepath.Join(t.TempDir(), "reports.json")
	in := map[string]Report{"dev": r, "test": {N: 2, Accuracy: 1}}
	if err := WriteReports(p, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadReports(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("ReadReports = %+v, want %+v", out, in)
	}
	os.WriteFile(p, []byte("[1,2]"), 0o644)
	if _, err := ReadReports(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("ReadReports of a list: %v", err)
	}
}
