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
//
// Stream outputs are capped per cell ([Options.MaxOutput]): a cell that
// prints in a loop keeps the first part of its output and a note saying how
// much was dropped, and the runner's memory stays bounded.
//
// A failing cell is described by a [CellError] whose Reason is the first
// line of what went wrong: the panic message of the cell's program, the
// compiler's first error mapped to the cell's line, or the timeout.
//
// Two ways to stop a run: [Options.Interrupt] interrupts the running cell
// the way a notebook's stop button does and ends the run after it (the
// first Ctrl-C of `founderlab run`); cancelling Run's context shuts the
// kernel down at once, killing every process it started (a second Ctrl-C,
// or SIGTERM). Either way the cells keep the outputs they had so far.
package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/founderlab/founderlab/kernel/jupyter"
	"github.com/founderlab/founderlab/kernel/kernelspec"
	"github.com/founderlab/founderlab/kernel/notebook"
)

// DefaultKernel is the kernel spec name FounderLab installs.
const DefaultKernel = "founderlab"

// DefaultMaxOutput is the default cap, in bytes, on what one cell keeps of
// each output stream (stdout, stderr): 1 MiB.
const DefaultMaxOutput = 1 << 20

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
	// CellTimeout bounds each cell's run; 0 means no limit, and a negative
	// value is an error.
	CellTimeout time.Duration
	// InterruptGrace is how long to wait after an interrupt before the
	// kernel is restarted (default 10s).
	InterruptGrace time.Duration
	// MaxOutput caps, in bytes, what a cell keeps of each output stream
	// (stdout and stderr separately); what comes after is dropped and
	// counted in a note at the end of the stream. 0 means
	// DefaultMaxOutput, a negative value no limit. Rich outputs (display
	// data, results) are kept whole.
	MaxOutput int64
	// AllowErrors continues after a failing cell instead of stopping.
	AllowErrors bool
	// Params are papermill-style parameter overrides.
	Params []Param
	// Interrupt, when it delivers a value, interrupts the running cell and
	// ends the run after it: the cell fails with Interrupted set and Run
	// returns an error wrapping ErrInterrupted, even with AllowErrors.
	// Delivered between cells, it ends the run before the next one.
	Interrupt <-chan struct{}
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
	// Name and Value are the error's name and value as the cell's error
	// output records them (the kernel's ename and evalue, or the runner's).
	Name, Value string
	// Reason is the first line of what went wrong, for a person reading a
	// terminal: "panic: …", "compile error at line 3: …", "timed out
	// after 20m", "exit status 3".
	Reason string
	// Timeout is set when the cell was interrupted for running too long.
	Timeout bool
	// Interrupted is set when the cell was interrupted through
	// Options.Interrupt.
	Interrupted bool
}

func (e *CellError) Error() string {
	id := ""
	if e.ID != "" {
		id = " (id " + e.ID + ")"
	}
	msg := e.Reason
	if msg == "" {
		msg = firstLine(strings.TrimSpace(e.Name + ": " + e.Value))
	}
	return fmt.Sprintf("cell %d%s failed: %s", e.Index, id, msg)
}

// Report summarises a run.
type Report struct {
	// Errors lists the failing cells (several only with AllowErrors).
	Errors []*CellError
	// Durations holds each executed code cell's run time, by cell index (1-based).
	Durations map[int]time.Duration
	// Stopped is the cell cut short when Run's context ended, with the
	// context's cause as Reason; nil if none was.
	Stopped *CellError
}

// ErrCellsFailed is wrapped by Run's error when cells failed.
var ErrCellsFailed = errors.New("runner: cells failed")

// ErrInterrupted is wrapped by Run's error when the run ended because of
// Options.Interrupt.
var ErrInterrupted = errors.New("runner: interrupted")

// Run executes nb in place: outputs and execution counts of code cells are
// replaced with the new ones. It returns an error wrapping ErrCellsFailed
// and naming the first failing cell when any cell failed, one wrapping
// ErrInterrupted when Options.Interrupt ended the run, and one wrapping
// ctx's error when ctx ended it; in every case nb holds the outputs
// recorded until then.
func Run(ctx context.Context, nb *notebook.Notebook, opts Options) (*Report, error) {
	if opts.CellTimeout < 0 {
		return nil, fmt.Errorf("runner: cell timeout %v is negative (0 means no limit)", opts.CellTimeout)
	}
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
	r := &run{opts: opts, spec: spec, name: name, report: &Report{Durations: map[int]time.Duration{}},
		execCells: map[int]*notebook.Cell{}, cellIndex: map[*notebook.Cell]int{}}
	if r.opts.InterruptGrace == 0 {
		r.opts.InterruptGrace = 10 * time.Second
	}
	if r.opts.MaxOutput == 0 {
		r.opts.MaxOutput = DefaultMaxOutput
	}
	for i, c := range nb.Cells {
		r.cellIndex[c] = i + 1
	}
	if err := r.start(ctx); err != nil {
		return nil, err
	}
	// On cancellation Shutdown skips the polite shutdown_request.
	defer func() { r.kernel.Shutdown(ctx) }()

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
		select {
		case <-opts.Interrupt:
			return r.report, fmt.Errorf("%w before cell %d%s", ErrInterrupted, i+1, idSuffix(c))
		default:
		}
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
			r.progress(" stopped after %.1fs\n", d.Seconds())
			return r.report, err
		}
		if cerr != nil {
			r.progress(" error after %.1fs: %s\n", d.Seconds(), cerr.Reason)
			r.report.Errors = append(r.report.Errors, cerr)
			if cerr.Interrupted {
				return r.report, fmt.Errorf("%w: %s", ErrInterrupted, cerr)
			}
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
	// execCells maps the kernel's execution counts to the cells they ran,
	// to name the cell a compile error points at; cellIndex gives a cell's
	// 1-based position.
	execCells map[int]*notebook.Cell
	cellIndex map[*notebook.Cell]int
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
		if ctx.Err() != nil {
			return fmt.Errorf("runner: start kernel %q: %w", r.name, context.Cause(ctx))
		}
		return fmt.Errorf("runner: start kernel %q: %w", r.name, err)
	}
	r.kernel = k
	return nil
}

// execute runs one cell. It returns a CellError for a cell failure, and an
// error only when the run cannot go on (ctx ended, the kernel cannot be
// restarted).
func (r *run) execute(ctx context.Context, index int, c *notebook.Cell) (*CellError, error) {
	col := newCollector(r.opts.MaxOutput)
	type result struct {
		rep *jupyter.ExecuteReply
		err error
	}
	done := make(chan result, 1)
	ectx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := r.kernel.Client
	go func() {
		rep, err := client.Execute(ectx, c.Source, col.handle)
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
			r.execCells[ec] = c
		}
		if res.rep.Status == "ok" {
			// GoNB v0.11 answers "ok" when the cell's program fails, and only
			// reports the exit on stderr; a headless run must not miss it.
			if exit := col.programExit(); exit != "" {
				return &CellError{Index: index, ID: c.ID, Name: "ProgramExit",
					Value: "the cell's program failed: " + exit, Reason: col.exitReason(exit)}, nil
			}
			return nil, nil
		}
		e := &CellError{Index: index, ID: c.ID, Name: res.rep.EName, Value: res.rep.EValue}
		if e.Name == "" && e.Value == "" {
			e.Name, e.Value = col.lastError()
		}
		e.Reason = r.errorReason(col, res.rep.ExecutionCount, e)
		return e, nil
	}
	var ce *CellError // the failure to report once the cell is interrupted
	select {
	case res := <-done:
		return finish(res)
	case <-r.kernel.Done():
		ce = &CellError{Index: index, ID: c.ID, Name: "DeadKernelError", Value: "the kernel died", Reason: "the kernel died"}
		if err := r.restart(ctx, c, col, ce.Value); err != nil {
			return nil, err
		}
		return ce, nil
	case <-ctx.Done():
		return nil, r.stopped(ctx, index, c, col)
	case <-timeout:
		limit := shortDuration(r.opts.CellTimeout)
		r.progress(" timed out after %s, interrupting ...", limit)
		ce = &CellError{Index: index, ID: c.ID, Name: "CellTimeoutError",
			Value: "cell timed out after " + limit + " and was interrupted", Reason: "timed out after " + limit, Timeout: true}
	case <-r.opts.Interrupt:
		r.progress(" interrupting ...")
		ce = &CellError{Index: index, ID: c.ID, Name: "CellInterrupted", Value: "the cell was interrupted", Reason: "interrupted", Interrupted: true}
	}
	// Interrupt, then give the kernel a grace period. Do not wait for the
	// interrupt_reply here: GoNB answers it late or never.
	k := r.kernel
	go func() {
		ictx, icancel := context.WithTimeout(ctx, r.opts.InterruptGrace)
		defer icancel()
		k.Interrupt(ictx)
	}()
	grace := time.NewTimer(r.opts.InterruptGrace)
	defer grace.Stop()
	select {
	case res := <-done:
		if _, err := finish(res); err != nil {
			return nil, err
		}
		c.Outputs = append(c.Outputs, errorOutput(ce.Name, ce.Value))
		return ce, nil
	case <-r.kernel.Done():
	case <-ctx.Done():
		return nil, r.stopped(ctx, index, c, col)
	case <-grace.C:
	}
	ce.Name = "DeadKernelError"
	if ce.Interrupted {
		// The run ends here: no new kernel.
		ce.Value += "; the kernel did not respond and was stopped"
		c.Outputs = append(col.outputs(), errorOutput(ce.Name, ce.Value))
		r.kernel.Kill()
		return ce, nil
	}
	ce.Value += "; the kernel did not respond and was restarted"
	if err := r.restart(ctx, c, col, ce.Value); err != nil {
		return nil, err
	}
	return ce, nil
}

// stopped records a cell cut short by ctx and returns the run's error.
func (r *run) stopped(ctx context.Context, index int, c *notebook.Cell, col *collector) error {
	const why = "the run was stopped before the cell finished"
	c.Outputs = append(col.outputs(), errorOutput("RunStopped", why))
	r.report.Stopped = &CellError{Index: index, ID: c.ID, Name: "RunStopped", Value: why, Reason: context.Cause(ctx).Error()}
	return fmt.Errorf("runner: cell %d%s stopped: %w", index, idSuffix(c), context.Cause(ctx))
}

// restart records a cell lost with its kernel, kills what is left of that
// kernel and starts a fresh one.
func (r *run) restart(ctx context.Context, c *notebook.Cell, col *collector, why string) error {
	c.Outputs = append(col.outputs(), errorOutput("DeadKernelError", why))
	r.kernel.Kill()
	return r.start(ctx)
}

// errorReason is the Reason of a cell whose execute_reply had status
// "error": the compiler's first error (mapped to a cell line when GoNB
// says which), or the first line of the kernel's error.
func (r *run) errorReason(col *collector, execCount int, e *CellError) string {
	ce, ok := col.compileError()
	if !ok {
		ce, ok = parseCompileLocation(e.Value)
	}
	if !ok {
		return firstLine(strings.TrimSpace(e.Name + ": " + e.Value))
	}
	switch {
	case ce.cell > 0 && ce.cell == execCount:
		return fmt.Sprintf("compile error at line %d: %s", ce.line, ce.msg)
	case ce.cell > 0 && r.execCells[ce.cell] != nil:
		other := r.execCells[ce.cell]
		return fmt.Sprintf("compile error in cell %d%s, line %d: %s", r.cellNumber(other), idSuffix(other), ce.line, ce.msg)
	case ce.cell > 0:
		return fmt.Sprintf("compile error in the cell run as [%d], line %d: %s", ce.cell, ce.line, ce.msg)
	case ce.line > 0:
		return fmt.Sprintf("compile error at line %d: %s", ce.line, ce.msg)
	}
	return "compile error: " + ce.loc + ce.msg
}

// cellNumber returns c's 1-based position, as printed in messages.
func (r *run) cellNumber(c *notebook.Cell) int { return r.cellIndex[c] }

func errorOutput(name, value string) *notebook.Output {
	return &notebook.Output{OutputType: "error", EName: name, EValue: value, Traceback: []string{name + ": " + value}}
}

// shortDuration formats d like time.Duration.String without zero tails:
// "20m", "1h", "1m30s", "500ms".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
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
	return " (id " + c.ID + ")"
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[a-zA-Z]`)

// firstLine returns the first non-empty line of s without terminal colour
// codes, cut at 200 bytes.
func firstLine(s string) string {
	s = ansi.ReplaceAllString(s, "")
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return truncate(l, 200)
		}
	}
	return ""
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// compileErr is the first error of a failed compilation.
type compileErr struct {
	cell int    // GoNB's execution count of the cell the line is in; 0 if unknown
	line int    // line in that cell (1-based); 0 if unknown
	loc  string // "main.go:12:5: " when no cell line is known
	msg  string
}

// GoNB v0.11.1 publishes compiler and parser errors as an HTML display
// (goexec.DisplayErrorWithContext): per error line, an optional
// <span class="gonb-cell-line-info">Cell[N]: Line L</span> and then
// <span class="gonb-err-location">FILE:LINE:COL: </span> MESSAGE.
var (
	gonbErrRE    = regexp.MustCompile(`(?:<span class="gonb-cell-line-info">Cell\[(\d+)\]: Line (\d+)</span>\s*)?<span class="gonb-err-location">([^<]*)</span>\s?([^\n]*)`)
	compileLocRE = regexp.MustCompile(`(?:^|[\s"])(?:[^\s"]*/)?(main(?:_test)?\.go:\d+:\d+: )(.+)`)
)

// parseGoNBErrorHTML returns the first located error of a GoNB error display.
func parseGoNBErrorHTML(html string) (compileErr, bool) {
	m := gonbErrRE.FindStringSubmatch(html)
	if m == nil {
		return compileErr{}, false
	}
	ce := compileErr{msg: firstLine(m[4])}
	if m[1] != "" {
		ce.cell, _ = strconv.Atoi(m[1])
		ce.line, _ = strconv.Atoi(m[2])
	} else {
		loc := m[3]
		if i := strings.LastIndexByte(loc, '/'); i >= 0 {
			loc = loc[i+1:]
		}
		ce.loc = strings.TrimSpace(loc) + " "
	}
	return ce, ce.msg != ""
}

// parseCompileLocation finds "main.go:L:C: message" in an error value.
func parseCompileLocation(s string) (compileErr, bool) {
	m := compileLocRE.FindStringSubmatch(firstLine(s))
	if m == nil {
		return compileErr{}, false
	}
	return compileErr{loc: m[1], msg: m[2]}, true
}

// collector turns iopub messages into notebook outputs.
type collector struct {
	mu         sync.Mutex
	outs       []*notebook.Output
	texts      map[*notebook.Output]*strings.Builder // text of stream outputs
	clearWait  bool
	displayIDs map[string][]*notebook.Output

	// Output cap (see Options.MaxOutput): bytes kept and dropped per
	// stream name, and the output holding the cut.
	limit    int64
	kept     map[string]int64
	dropped  map[string]int64
	cutAt    map[string]*notebook.Output
	endsLine map[string]bool // the text kept ends with a newline

	lastStderr string // text of the last stderr stream message
	// Lines of the program's stderr, for the failure reason.
	partial            strings.Builder // incomplete last line
	partialFull        bool            // partial was cut at maxLine
	panicLine          string          // first "panic: " or "fatal error: " line
	lastLine, prevLine string          // last two non-empty lines
	compile            *compileErr     // first error of GoNB's error display
}

// maxLine bounds the length of a stderr line kept for the failure reason.
const maxLine = 4096

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

// exitReason describes a failed cell program: its panic (or Go runtime
// fatal error) line; else the last line it wrote on stderr and the exit
// status; else the exit status alone.
func (c *collector) exitReason(exit string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.panicLine != "" {
		return c.panicLine
	}
	last := c.lastLine
	if last == exit {
		last = c.prevLine
	}
	if last != "" && last != exit {
		return last + " (" + exit + ")"
	}
	return exit
}

// compileError returns the first error of GoNB's error display, if any.
func (c *collector) compileError() (compileErr, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.compile == nil {
		return compileErr{}, false
	}
	return *c.compile, true
}

func newCollector(limit int64) *collector {
	return &collector{
		displayIDs: map[string][]*notebook.Output{},
		texts:      map[*notebook.Output]*strings.Builder{},
		limit:      limit,
		kept:       map[string]int64{},
		dropped:    map[string]int64{},
		cutAt:      map[string]*notebook.Output{},
		endsLine:   map[string]bool{},
	}
}

// outputs returns the cell's outputs: copies of the stream outputs with
// their text, and a truncation note where a stream was cut.
func (c *collector) outputs() []*notebook.Output {
	c.mu.Lock()
	defer c.mu.Unlock()
	outs := make([]*notebook.Output, len(c.outs))
	for i, o := range c.outs {
		b, ok := c.texts[o]
		if !ok {
			outs[i] = o
			continue
		}
		cp := *o
		cp.Text = b.String()
		if c.cutAt[o.Name] == o {
			cp.Text += truncationNote(c.dropped[o.Name], c.limit)
		}
		outs[i] = &cp
	}
	return outs
}

// truncationNote is the line that ends a stream cut by the output cap.
func truncationNote(dropped, limit int64) string {
	return fmt.Sprintf("\n… output truncated: %d bytes dropped (a cell keeps %s of each stream)\n", dropped, formatSize(limit))
}

// formatSize writes n bytes as "1 MiB", "512 KiB" or "1000 bytes".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
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

// clear drops the outputs (clear_output) and resets the output cap.
func (c *collector) clear() {
	c.outs = nil
	clear(c.texts)
	clear(c.kept)
	clear(c.dropped)
	clear(c.cutAt)
	clear(c.endsLine)
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
			c.clear()
			c.clearWait = false
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
			c.scanStderr(s.Text)
		}
		c.appendStream(s.Name, s.Text)
	case "display_data", "execute_result":
		var d displayContent
		if json.Unmarshal(m.Content, &d) != nil {
			return
		}
		if h, ok := d.Data["text/html"].(string); ok && c.compile == nil && strings.Contains(h, "gonb-err-location") {
			if ce, ok := parseGoNBErrorHTML(h); ok {
				c.compile = &ce
			}
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
			c.clear()
		}
	}
}

// appendStream adds text to the stream output name, coalescing with the
// last output when it is the same stream, within the output cap.
func (c *collector) appendStream(name, text string) {
	if c.limit > 0 {
		room := c.limit - c.kept[name]
		if room <= 0 {
			c.dropped[name] += int64(len(text))
			return
		}
		if int64(len(text)) > room {
			// End on a whole line where possible; cut a line only when
			// it is all there is.
			cut := int(room)
			if nl := strings.LastIndexByte(text[:cut], '\n'); nl >= 0 {
				cut = nl + 1
			} else if c.kept[name] > 0 && c.endsLine[name] {
				cut = 0
			}
			for cut > 0 && !utf8.RuneStart(text[cut]) {
				cut--
			}
			c.dropped[name] += int64(len(text) - cut)
			text = text[:cut]
			c.kept[name] = c.limit // nothing more fits, even a shorter rune
			defer func() { c.cutAt[name] = c.outs[len(c.outs)-1] }()
		} else {
			c.kept[name] += int64(len(text))
		}
		if text != "" {
			c.endsLine[name] = text[len(text)-1] == '\n'
		}
	}
	if n := len(c.outs); n > 0 && c.outs[n-1].OutputType == "stream" && c.outs[n-1].Name == name {
		c.texts[c.outs[n-1]].WriteString(text)
		return
	}
	o := &notebook.Output{OutputType: "stream", Name: name}
	b := &strings.Builder{}
	b.WriteString(text)
	c.texts[o] = b
	c.outs = append(c.outs, o)
}

// scanStderr follows the lines of the program's stderr for the failure
// reason, whether or not the output cap keeps them.
func (c *collector) scanStderr(text string) {
	for text != "" {
		i := strings.IndexByte(text, '\n')
		chunk := text
		if i >= 0 {
			chunk = text[:i]
		}
		if !c.partialFull {
			if room := maxLine - c.partial.Len(); len(chunk) > room {
				c.partial.WriteString(chunk[:room])
				c.partialFull = true
			} else {
				c.partial.WriteString(chunk)
			}
		}
		if i < 0 {
			return
		}
		c.stderrLine(c.partial.String())
		c.partial.Reset()
		c.partialFull = false
		text = text[i+1:]
	}
}

func (c *collector) stderrLine(line string) {
	line = strings.TrimSpace(ansi.ReplaceAllString(line, ""))
	if line == "" || line == "^C" {
		return
	}
	if c.panicLine == "" && (strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ")) {
		c.panicLine = truncate(line, 300)
	}
	c.prevLine, c.lastLine = c.lastLine, truncate(line, 300)
}
