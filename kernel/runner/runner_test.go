package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/kernel/kernelspec"
	"github.com/founderlab/founderlab/kernel/notebook"
)

func stream(name, text string) string {
	b, _ := json.Marshal(map[string]string{"name": name, "text": text})
	return string(b)
}

func TestCollectorCapsStreams(t *testing.T) {
	c := newCollector(100)
	for i := 0; i < 30; i++ {
		c.handle(testMessage("stream", stream("stdout", fmt.Sprintf("line %02d\n", i)))) // 8 bytes each
	}
	c.handle(testMessage("stream", stream("stderr", "warning\n")))
	c.handle(testMessage("stream", stream("stdout", "more\n")))
	outs := c.outputs()
	if len(outs) != 2 {
		t.Fatalf("got %d outputs, want stdout and stderr: %+v", len(outs), outs)
	}
	// 12 whole lines (96 bytes) fit in 100; the 13th is cut at its start.
	kept := ""
	for i := 0; i < 12; i++ {
		kept += fmt.Sprintf("line %02d\n", i)
	}
	dropped := 30*8 - 96 + len("more\n")
	want := kept + fmt.Sprintf("\n… output truncated: %d bytes dropped (a cell keeps 100 bytes of each stream)\n", dropped)
	if outs[0].Text != want {
		t.Errorf("stdout =\n%q\nwant\n%q", outs[0].Text, want)
	}
	if outs[1].Text != "warning\n" {
		t.Errorf("stderr = %q: the cap is per stream", outs[1].Text)
	}
	// outputs is repeatable: the note is not added twice.
	if again := c.outputs(); again[0].Text != want {
		t.Errorf("second outputs() = %q", again[0].Text)
	}
}

func TestCollectorCapCutsRunesAndLongLines(t *testing.T) {
	tests := []struct {
		name, text, want string
		limit            int64
	}{
		{"one long line", strings.Repeat("ab", 10), strings.Repeat("ab", 5), 10},
		{"multibyte rune at the cut", "ééééé", "éééé", 9}, // é is 2 bytes: 9 bytes hold 4
		{"no limit", strings.Repeat("x", 1000), strings.Repeat("x", 1000), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCollector(tt.limit)
			c.handle(testMessage("stream", stream("stdout", tt.text)))
			got := c.outputs()[0].Text
			if tt.limit < 0 {
				if got != tt.want {
					t.Errorf("got %d bytes, want all %d", len(got), len(tt.want))
				}
				return
			}
			kept, _, ok := strings.Cut(got, "\n… output truncated")
			if !ok || kept != tt.want {
				t.Errorf("got %q, want %q and a note", got, tt.want)
			}
		})
	}
}

func TestCollectorClearOutputResetsCap(t *testing.T) {
	c := newCollector(10)
	c.handle(testMessage("stream", stream("stdout", "0123456789abc")))
	c.handle(testMessage("clear_output", `{"wait":false}`))
	c.handle(testMessage("stream", stream("stdout", "fresh\n")))
	if outs := c.outputs(); len(outs) != 1 || outs[0].Text != "fresh\n" {
		t.Errorf("after clear_output: %+v", outs)
	}
}

func TestExitReason(t *testing.T) {
	tests := []struct {
		name   string
		stderr []string // stream messages, the last one GoNB's exit report
		want   string
	}{
		{"panic", []string{"panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t \x1b[7m[[ Cell [1] Line 3 ]]\x1b[0m /tmp/gonb_1/main.go:12 +0xa5\n", "exit status 2\n"}, "panic: boom"},
		{"panic split across messages", []string{"some warning\npan", "ic: datasets: x.csv is missing\n(no network?)\n\ngoroutine 1 [running]:\n", "exit status 2\n"}, "panic: datasets: x.csv is missing"},
		{"runtime fatal error", []string{"fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n", "exit status 2\n"}, "fatal error: all goroutines are asleep - deadlock!"},
		{"message then exit", []string{"2024/01/02 03:04:05 no config file\n", "exit status 1\n"}, "2024/01/02 03:04:05 no config file (exit status 1)"},
		{"exit alone", []string{"exit status 3\n"}, "exit status 3"},
		{"signal", []string{"^C\nsignal: interrupt\n"}, "signal: interrupt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCollector(0)
			for _, s := range tt.stderr {
				c.handle(testMessage("stream", stream("stderr", s)))
			}
			exit := c.programExit()
			if exit == "" {
				t.Fatalf("programExit() = \"\" for %q", tt.stderr)
			}
			if got := c.exitReason(exit); got != tt.want {
				t.Errorf("exitReason = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExitReasonSurvivesCap(t *testing.T) {
	c := newCollector(16)
	c.handle(testMessage("stream", stream("stderr", strings.Repeat("noise\n", 100))))
	c.handle(testMessage("stream", stream("stderr", "panic: late\n")))
	c.handle(testMessage("stream", stream("stderr", "exit status 2\n")))
	if got := c.exitReason(c.programExit()); got != "panic: late" {
		t.Errorf("exitReason = %q", got)
	}
}

// gonbErrorHTML is GoNB v0.11.1's error display (abridged), as published
// for a cell "%%\nx := 1\nfmt.Println(y)\n" run as execution 2.
const gonbErrorHTML = `
<style>
.gonb-err-location {
	background: var(--jp-err-color2);
}
</style>
<div class="lm-Widget p-Widget lm-Panel p-Panel jp-OutputArea-child">
<div class="lm-Widget p-Widget jp-RenderedText jp-mod-trusted jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr" style="font-family: monospace;">


<span style="white-space: pre;"> # gonb_88752438</span>

<br/>

<span class="gonb-cell-line-info">Cell[2]: Line 2</span>
<span class="gonb-err-location">./main.go:11:1: </span> declared and not used: x
<div class="gonb-err-context">

func main() {
	flag.Parse()
<div class="gonb-err-line">x := 1
</div>fmt.Println(y)


</div>

<br/>

<span class="gonb-cell-line-info">Cell[2]: Line 3</span>
<span class="gonb-err-location">./main.go:12:13: </span> undefined: y
</div>
`

func TestErrorReason(t *testing.T) {
	declCell := &notebook.Cell{ID: "decls"}
	r := &run{execCells: map[int]*notebook.Cell{2: declCell}, cellIndex: map[*notebook.Cell]int{declCell: 3}}
	withoutCellInfo := strings.ReplaceAll(strings.ReplaceAll(gonbErrorHTML, `<span class="gonb-cell-line-info">Cell[2]: Line 2</span>`, ""), "./main.go:11:1", "/tmp/gonb_1/main.go:8:9")
	tests := []struct {
		name      string
		html      string
		execCount int
		evalue    string
		want      string
	}{
		{"this cell", strings.ReplaceAll(gonbErrorHTML, "Cell[2]", "Cell[5]"), 5, "", "compile error at line 2: declared and not used: x"},
		{"an earlier cell", gonbErrorHTML, 5, "", "compile error in cell 3 (id decls), line 2: declared and not used: x"},
		{"an unknown cell", strings.ReplaceAll(gonbErrorHTML, "Cell[2]", "Cell[9]"), 7, "", "compile error in the cell run as [9], line 2: declared and not used: x"},
		{"no cell info", withoutCellInfo, 2, "", "compile error: main.go:8:9: declared and not used: x"},
		{"parse error in evalue", "", 4, `parsing go files in TempDir "/tmp/gonb_1": /tmp/gonb_1/main.go:5:16: missing ',' before newline in argument list (and 1 more errors)`,
			"compile error: main.go:5:16: missing ',' before newline in argument list (and 1 more errors)"},
		{"other error", "", 4, "something else\nand more", "ERROR: something else"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCollector(0)
			if tt.html != "" {
				b, _ := json.Marshal(map[string]any{"data": map[string]any{"text/html": tt.html}, "metadata": map[string]any{}, "transient": map[string]any{}})
				c.handle(testMessage("display_data", string(b)))
			}
			e := &CellError{Name: "ERROR", Value: tt.evalue}
			if got := r.errorReason(c, tt.execCount, e); got != tt.want {
				t.Errorf("errorReason = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCellErrorMessage(t *testing.T) {
	tests := []struct {
		e    *CellError
		want string
	}{
		{&CellError{Index: 4, ID: "panics", Name: "ProgramExit", Value: "the cell's program failed: exit status 2", Reason: "panic: boom"}, "cell 4 (id panics) failed: panic: boom"},
		{&CellError{Index: 2, Name: "ERROR", Value: "first\nsecond"}, "cell 2 failed: ERROR: first"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		20 * time.Minute: "20m", time.Hour: "1h", 90 * time.Second: "1m30s", 5 * time.Second: "5s",
		500 * time.Millisecond: "500ms", time.Hour + time.Second: "1h0m1s",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestRunRejectsNegativeTimeout(t *testing.T) {
	nb := &notebook.Notebook{NBFormat: 4, NBFormatMinor: 5}
	_, err := Run(context.Background(), nb, Options{CellTimeout: -5 * time.Second, SearchPath: []string{t.TempDir()}})
	if err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("Run with a negative timeout: %v", err)
	}
}

// TestKernelStartFailureKillsDescendants starts a "kernel" that never
// answers and that started two processes, one in its own process group
// (like GoNB's gopls) and one in the kernel's; the start must fail at its
// ready timeout, and then both must be gone.
func TestKernelStartFailureKillsDescendants(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("finding descendants needs /proc")
	}
	dir := t.TempDir()
	pids := filepath.Join(dir, "pids")
	script := `setsid sleep 300 & echo $! >> "$1"; sleep 300 & echo $! >> "$1"; exec sleep 300`
	spec := &kernelspec.Spec{Argv: []string{"/bin/sh", "-c", script, "sh", pids, "{connection_file}"}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if _, err := kernelspec.Start(ctx, spec, kernelspec.StartOptions{Name: "fake", ReadyTimeout: 2 * time.Second}); err == nil {
		t.Fatal("a kernel that never answers started")
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("Start gave up after %s, want about the 2s ReadyTimeout", d)
	}
	b, err := os.ReadFile(pids)
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(b))
	if len(fields) != 2 {
		t.Fatalf("the script started %d processes: %q", len(fields), b)
	}
	for _, f := range fields {
		pid, _ := strconv.Atoi(f)
		deadline := time.Now().Add(5 * time.Second)
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("process %d outlived the kernel", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// alive reports whether pid runs and is not a zombie.
func alive(pid int) bool {
	_, ok := testenv.ReadProc(pid)
	return ok
}
