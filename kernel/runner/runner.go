// Package runner executes Jupyter notebooks headlessly through a real kernel.
//
// [Run] starts the kernel named in the options (by default FounderLab's GoNB
// kernel), sends every code cell in order as an execute_request, and records
// what the kernel publishes on iopub (streams, display data and their
// updates, results, errors) as the cell's outputs, the way Jupyter itself
// would store them. A cell that runs longer than the cell timeout is
// interrupted; if the kernel does not come back, it is restarted and the
// run goes on with the next cell when errors are allowed. Parameters are
// injected papermill-style: a cell tagged "parameters" is followed by an
// injected cell that redeclares the given names.
package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/founderlab/founderlab/kernel/jupyter"
	"github.com/founderlab/founderlab/kernel/kernelspec"
	"github.com/founderlab/founderlab/kernel/notebook"
)

// DefaultKernel is the kernel spec name FounderLab installs.
const DefaultKernel = "founderlab"

// Options configure [Run].
type Options struct {
	// Kernel is the kernel spec name; "" means the notebook's own
	// metadata.kernelspec.name, or DefaultKernel.
	Kernel string
	// SearchPath lists Jupyter data directories to find the kernel spec in;
	// nil means kernelspec.SearchPath().
	SearchPath []string
	// Dir is the kernel's working directory.
	Dir string
	// Env is added to the kernel's environment.
	Env []string
	// CellTimeout bounds each cell's run; 0 means no limit.
	CellTimeout time.Duration
	// InterruptGrace is how long to wait after an interrupt before the
	// kernel is restarted (default 10s).
	InterruptGrace time.Duration
	// AllowErrors continues after a failing cell instead of stopping.
	AllowErrors bool
	// Params are papermill-style parameter overrides.
	Params []Param
	// Progress receives one line per cell; nil means no progress.
	Progress io.Writer
	// KernelLog receives the kernel's own stdout and stderr; nil discards them.
	KernelLog io.Writer
	// Name is the notebook's name used in messages.
	Name string
}

// Param is one name=value override.
type Param struct{ Name, Value string }

// CellError describes a cell that failed.
type CellError struct {
	// Index is the cell's 1-based position in the notebook.
	Index int
	ID    string
	// Name and Value are the kernel's ename and evalue.
	Name, Value string
	// Timeout is set when the cell was interrupted for running too long.
	Timeout bool
}

func (e *CellError) Error() string {
	id := ""
	if e.ID != "" {
		id = " (id " + e.ID + ")"
	}
	msg := strings.TrimSpace(e.Name + ": " + e.Value)
	return fmt.Sprintf("cell %d%s failed: %s", e.Index, id, msg)
}

// Report summarises a run.
type Report struct {
	// Errors lists the failing cells (several only with AllowErrors).
	Errors []*CellError
	// Durations holds each executed code cell's run time, by cell index (1-based).
	Durations map[int]time.Duration
}

// ErrCellsFailed is wrapped by Run's error when cells failed.
var ErrCellsFailed = errors.New("runner: cells failed")

// Run executes nb in place: outputs and execution counts of code cells are
// replaced with the new ones. It returns an error wrapping ErrCellsFailed
// and naming the first failing cell when any cell failed.
func Run(ctx context.Context, nb *notebook.Notebook, opts Options) (*Report, error) {
	if err := injectParams(nb, opts.Params); err != nil {
		return nil, err
	}
	name := opts.Kernel
	if name == "" {
		name = kernelName(nb)
	}
	dirs := opts.SearchPath
	if dirs == nil {
		dirs = kernelspec.SearchPath()
	}
	spec, _, err := kernelspec.Find(name, dirs)
	if err != nil {
		return nil, err
	}
	r := &run{opts: opts, spec: spec, name: name, report: &Report{Durations: map[int]time.Duration{}}}
	if r.opts.InterruptGrace == 0 {
		r.opts.InterruptGrace = 10 * time.Second
	}
	if err := r.start(ctx); err != nil {
		return nil, err
	}
	defer func() { r.kernel.Close() }()

	codeCells := 0
	for _, c := range nb.Cells {
		if c.CellType == notebook.Code {
			codeCells++
		}
	}
	n := 0
	for i, c := range nb.Cells {
		if c.CellType != notebook.Code {
			continue
		}
		n++
		c.Outputs, c.ExecutionCount = nil, nil
		if strings.TrimSpace(c.Source) == "" {
			continue
		}
		start := time.Now()
		r.progress("[%d/%d] cell %d%s ...", n, codeCells, i+1, idSuffix(c))
		cerr, err := r.execute(ctx, i+1, c)
		d := time.Since(start)
		r.report.Durations[i+1] = d
		if err != nil {
			return r.report, err
		}
		if cerr != nil {
			r.progress(" error after %.1fs: %s\n", d.Seconds(), firstLine(cerr.Name+": "+cerr.Value))
			r.report.Errors = append(r.report.Errors, cerr)
			if !opts.AllowErrors {
				break
			}
			continue
		}
		r.progress(" ok %.1fs\n", d.Seconds())
	}
	if len(r.report.Errors) > 0 {
		return r.report, fmt.Errorf("%w: %s", ErrCellsFailed, r.report.Errors[0])
	}
	return r.report, nil
}

type run struct {
	opts   Options
	spec   *kernelspec.Spec
	name   string
	kernel *kernelspec.Kernel
	report *Report
}

func (r *run) progress(format string, args ...any) {
	if r.opts.Progress != nil {
		fmt.Fprintf(r.opts.Progress, format, args...)
	}
}

func (r *run) start(ctx context.Context) error {
	k, err := kernelspec.Start(ctx, r.spec, kernelspec.StartOptions{
		Name: r.name, Dir: r.opts.Dir, Env: r.opts.Env, Stderr: r.opts.KernelLog,
	})
	if err != nil {
		return fmt.Errorf("runner: start kernel %q: %w", r.name, err)
	}
	r.kernel = k
	return nil
}

// execute runs one cell. It returns a CellError for a cell failure, and an
// error only when the run cannot go on.
func (r *run) execute(ctx context.Context, index int, c *notebook.Cell) (*CellError, error) {
	col := newCollector()
	type result struct {
		rep *jupyter.ExecuteReply
		err error
	}
	done := make(chan result, 1)
	ectx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		rep, err := r.kernel.Client.Execute(ectx, c.Source, col.handle)
		done <- result{rep, err}
	}()
	var timeout <-chan time.Time
	if r.opts.CellTimeout > 0 {
		t := time.NewTimer(r.opts.CellTimeout)
		defer t.Stop()
		timeout = t.C
	}
	finish := func(res result) (*CellError, error) {
		c.Outputs = col.outputs()
		if res.err != nil {
			return nil, fmt.Errorf("runner: cell %d: %w", index, res.err)
		}
		if res.rep.ExecutionCount > 0 {
			ec := res.rep.ExecutionCount
			c.ExecutionCount = &ec
		}
		if res.rep.Status == "ok" {
			// GoNB v0.11 answers "ok" when the cell's program fails, and only
			// reports the exit on stderr; a headless run must not miss it.
			if exit := col.programExit(); exit != "" {
				return &CellError{Index: index, ID: c.ID, Name: "ProgramExit", Value: "the cell's program failed: " + exit}, nil
			}
			return nil, nil
		}
		e := &CellError{Index: index, ID: c.ID, Name: res.rep.EName, Value: res.rep.EValue}
		if e.Name == "" && e.Value == "" {
			e.Name, e.Value = col.lastError()
		}
		return e, nil
	}
	select {
	case res := <-done:
		return finish(res)
	case <-r.kernel.Done():
		return r.died(index, c, col, "the kernel died")
	case <-ctx.Done():
		r.kernel.Interrupt(context.Background())
		return nil, ctx.Err()
	case <-timeout:
	}
	// Timed out: interrupt, then give the kernel a grace period.
	r.progress(" timeout after %s, interrupting ...", r.opts.CellTimeout)
	// Do not wait for interrupt_reply: GoNB answers it late or never.
	go func() {
		ictx, icancel := context.WithTimeout(ctx, r.opts.InterruptGrace)
		defer icancel()
		r.kernel.Interrupt(ictx)
	}()
	msg := fmt.Sprintf("cell timed out after %s and was interrupted", r.opts.CellTimeout)
	select {
	case res := <-done:
		ce, err := finish(res)
		if err != nil {
			return nil, err
		}
		c.Outputs = append(c.Outputs, errorOutput("CellTimeoutError", msg))
		if ce == nil {
			ce = &CellError{Index: index, ID: c.ID}
		}
		ce.Name, ce.Value, ce.Timeout = "CellTimeoutError", msg, true
		return ce, nil
	case <-time.After(r.opts.InterruptGrace):
		return r.died(index, c, col, msg+"; the kernel did not respond and was restarted")
	}
}

// died records a cell lost with its kernel and starts a fresh kernel.
func (r *run) died(index int, c *notebook.Cell, col *collector, why string) (*CellError, error) {
	c.Outputs = append(col.outputs(), errorOutput("DeadKernelError", why))
	r.kernel.Close()
	if err := r.start(context.Background()); err != nil {
		return nil, err
	}
	return &CellError{Index: index, ID: c.ID, Name: "DeadKernelError", Value: why, Timeout: strings.Contains(why, "timed out")}, nil
}

func errorOutput(name, value string) *notebook.Output {
	return &notebook.Output{OutputType: "error", EName: name, EValue: value, Traceback: []string{name + ": " + value}}
}

// collector turns iopub messages into notebook outputs.
type collector struct {
	mu         sync.Mutex
	outs       []*notebook.Output
	clearWait  bool
	displayIDs map[string][]*notebook.Output
	lastStderr string // text of the last stderr stream message
}

// exitRE matches the stderr message GoNB publishes when a cell's program
// exits with an error (jpyexec in GoNB v0.11.1).
var exitRE = regexp.MustCompile(`^(?:\^C\n)?((?:exit status -?\d+|signal: [a-z ]+))\n$`)

// programExit returns "exit status N" (or "signal: ...") if the last
// stderr message was GoNB's report of a failed cell program.
func (c *collector) programExit() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m := exitRE.FindStringSubmatch(c.lastStderr); m != nil {
		return m[1]
	}
	return ""
}

func newCollector() *collector { return &collector{displayIDs: map[string][]*notebook.Output{}} }

func (c *collector) outputs() []*notebook.Output {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*notebook.Output(nil), c.outs...)
}

func (c *collector) lastError() (string, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.outs) - 1; i >= 0; i-- {
		if c.outs[i].OutputType == "error" {
			return c.outs[i].EName, c.outs[i].EValue
		}
	}
	return "Error", "the kernel reported an error without details"
}

type displayContent struct {
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	Transient struct {
		DisplayID string `json:"display_id"`
	} `json:"transient"`
	ExecutionCount *int `json:"execution_count"`
}

func (c *collector) handle(m *jupyter.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	typ := m.Header.MsgType
	switch typ {
	case "stream", "display_data", "execute_result", "error":
		if c.clearWait {
			c.outs, c.clearWait = nil, false
		}
	}
	switch typ {
	case "stream":
		var s struct{ Name, Text string }
		if json.Unmarshal(m.Content, &s) != nil {
			return
		}
		if s.Name == "stderr" {
			c.lastStderr = s.Text
		}
		if n := len(c.outs); n > 0 && c.outs[n-1].OutputType == "stream" && c.outs[n-1].Name == s.Name {
			c.outs[n-1].Text += s.Text
			return
		}
		c.outs = append(c.outs, &notebook.Output{OutputType: "stream", Name: s.Name, Text: s.Text})
	case "display_data", "execute_result":
		var d displayContent
		if json.Unmarshal(m.Content, &d) != nil {
			return
		}
		o := &notebook.Output{OutputType: typ, Data: d.Data, Metadata: d.Metadata, ExecutionCount: d.ExecutionCount}
		c.outs = append(c.outs, o)
		if id := d.Transient.DisplayID; id != "" {
			c.displayIDs[id] = append(c.displayIDs[id], o)
		}
	case "update_display_data":
		var d displayContent
		if json.Unmarshal(m.Content, &d) != nil {
			return
		}
		for _, o := range c.displayIDs[d.Transient.DisplayID] {
			o.Data, o.Metadata = d.Data, d.Metadata
		}
	case "error":
		var e struct {
			EName     string   `json:"ename"`
			EValue    string   `json:"evalue"`
			Traceback []string `json:"traceback"`
		}
		if json.Unmarshal(m.Content, &e) != nil {
			return
		}
		c.outs = append(c.outs, &notebook.Output{OutputType: "error", EName: e.EName, EValue: e.EValue, Traceback: e.Traceback})
	case "clear_output":
		var cl struct{ Wait bool }
		json.Unmarshal(m.Content, &cl)
		if cl.Wait {
			c.clearWait = true
		} else {
			c.outs = nil
		}
	}
}

func kernelName(nb *notebook.Notebook) string {
	if ks, ok := nb.Metadata["kernelspec"].(map[string]any); ok {
		if n, ok := ks["name"].(string); ok && n != "" {
			return n
		}
	}
	return DefaultKernel
}

func idSuffix(c *notebook.Cell) string {
	if c.ID == "" {
		return ""
	}
	return " (" + c.ID + ")"
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[a-zA-Z]`)

func firstLine(s string) string {
	s = ansi.ReplaceAllString(s, "")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
