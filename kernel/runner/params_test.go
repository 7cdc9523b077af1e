package runner

import (
	"strings"
	"testing"

	"github.com/founderlab/founderlab/kernel/notebook"
)

func TestParseParam(t *testing.T) {
	tests := []struct {
		in      string
		want    Param
		wantErr bool
	}{
		{in: "epochs=1", want: Param{"epochs", "1"}},
		{in: "name=a=b", want: Param{"name", "a=b"}},
		{in: " quick =true", want: Param{"quick", "true"}},
		{in: "novalue", wantErr: true},
		{in: "2x=1", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseParam(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseParam(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func paramsNotebook(src string) *notebook.Notebook {
	return &notebook.Notebook{NBFormat: 4, NBFormatMinor: 5, Cells: []*notebook.Cell{
		{ID: "a", CellType: notebook.Markdown, Source: "# t"},
		{ID: "p", CellType: notebook.Code, Source: src, Metadata: map[string]any{"tags": []any{"parameters"}}},
		{ID: "b", CellType: notebook.Code, Source: "%%\nfmt.Println(epochs)"},
	}}
}

const paramsCell = `// Parameters
var epochs = 5
var lr = 2e-5
var quick = false
var name = "model"
var seed uint64 = 1
var (
	dir string = "out"
	ratio float32 = 0.5
)
`

func TestInjectParams(t *testing.T) {
	tests := []struct {
		params  []Param
		want    []string // lines of the injected cell
		wantErr string
	}{
		{params: []Param{{"epochs", "1"}, {"quick", "true"}}, want: []string{"var epochs = 1", "var quick = true"}},
		{params: []Param{{"name", "my model"}}, want: []string{`var name = "my model"`}},
		{params: []Param{{"name", `"quoted"`}}, want: []string{`var name = "quoted"`}},
		{params: []Param{{"seed", "7"}, {"dir", "x/y"}, {"ratio", "0.25"}}, want: []string{"var seed uint64 = 7", `var dir string = "x/y"`, "var ratio float32 = 0.25"}},
		{params: []Param{{"lr", "1e-3"}}, want: []string{"var lr = 1e-3"}},
		{params: []Param{{"epochs", "many"}}, wantErr: "not an integer"},
		{params: []Param{{"quick", "maybe"}}, wantErr: "not a bool"},
		{params: []Param{{"nope", "1"}}, wantErr: `no parameter "nope"`},
	}
	for _, tt := range tests {
		nb := paramsNotebook(paramsCell)
		err := injectParams(nb, tt.params)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: err = %v, want %q", tt.params, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tt.params, err)
		}
		if len(nb.Cells) != 4 || !nb.Cells[2].HasTag("injected-parameters") || nb.Cells[2].ID == "" {
			t.Fatalf("%v: injected cell missing: %+v", tt.params, nb.Cells)
		}
		for _, w := range tt.want {
			if !strings.Contains(nb.Cells[2].Source, w+"\n") {
				t.Errorf("%v: injected cell lacks %q:\n%s", tt.params, w, nb.Cells[2].Source)
			}
		}
	}
}

func TestInjectParamsReplacesEarlierInjection(t *testing.T) {
	nb := paramsNotebook(paramsCell)
	if err := injectParams(nb, []Param{{"epochs", "1"}}); err != nil {
		t.Fatal(err)
	}
	if err := injectParams(nb, []Param{{"epochs", "2"}}); err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 4 || !strings.Contains(nb.Cells[2].Source, "var epochs = 2") {
		t.Fatalf("second run did not replace the injected cell: %d cells, %q", len(nb.Cells), nb.Cells[2].Source)
	}
}

func TestInjectParamsNeedsParametersCell(t *testing.T) {
	nb := paramsNotebook(paramsCell)
	nb.Cells[1].Metadata = map[string]any{}
	if err := injectParams(nb, []Param{{"epochs", "1"}}); err == nil || !strings.Contains(err.Error(), "tagged") {
		t.Fatalf("err = %v", err)
	}
	if err := injectParams(nb, nil); err != nil {
		t.Fatalf("no parameters: %v", err)
	}
}

func TestCollectorCoalescesAndUpdates(t *testing.T) {
	c := newCollector(0)
	msg := func(typ, content string) {
		c.handle(testMessage(typ, content))
	}
	msg("stream", `{"name":"stdout","text":"a"}`)
	msg("stream", `{"name":"stdout","text":"b\n"}`)
	msg("display_data", `{"data":{"text/html":"<p>0%</p>"},"metadata":{},"transient":{"display_id":"bar"}}`)
	msg("update_display_data", `{"data":{"text/html":"<p>100%</p>"},"metadata":{},"transient":{"display_id":"bar"}}`)
	msg("stream", `{"name":"stderr","text":"exit status 3\n"}`)
	outs := c.outputs()
	if len(outs) != 3 || outs[0].Text != "ab\n" || outs[1].Data["text/html"] != "<p>100%</p>" {
		t.Fatalf("outputs = %+v", outs)
	}
	if got := c.programExit(); got != "exit status 3" {
		t.Fatalf("programExit = %q", got)
	}
	msg("clear_output", `{"wait":true}`)
	msg("stream", `{"name":"stdout","text":"new"}`)
	if outs := c.outputs(); len(outs) != 1 || outs[0].Text != "new" {
		t.Fatalf("after clear_output(wait): %+v", outs)
	}
}
