// Package notebook reads, validates and writes Jupyter notebooks in nbformat
// 4 (the .ipynb JSON format), and exports them as standalone HTML.
//
// A Notebook holds cells; code cells carry outputs (stream text, rich display
// bundles keyed by MIME type, execution results and errors). [Read] rejects
// anything that is not a well-formed nbformat 4 document with an error that
// names the file and, for JSON errors, the line and column. [Write] replaces a
// file atomically: the new content goes to a temporary file in the same
// directory, is synced to disk and then renamed over the old one, so an
// interrupted write never leaves a truncated notebook.
//
// [ExportHTMLContext] writes a notebook as one standalone page and
// [RenderBody] renders its cells for a page of one's own (the book's).
// Math in Markdown cells — $…$, $$…$$ and \begin{align}…\end{align} — is
// taken out before the Markdown pass, so that TeX's backslashes and
// underscores survive it, and rendered with KaTeX (pinned in package
// internal/assets): to HTML under node at export time ([MathServer]), so
// the page needs KaTeX's stylesheet and fonts and no script; in the browser
// when node is missing ([MathClient]); as LaTeX source with a notice when
// KaTeX is not installed ([MathRaw]).
//
// Reference: https://nbformat.readthedocs.io/en/latest/format_description.html
package notebook

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Cell types.
const (
	Code     = "code"
	Markdown = "markdown"
	Raw      = "raw"
)

// Notebook is an nbformat 4 notebook.
type Notebook struct {
	Cells         []*Cell        `json:"cells"`
	Metadata      map[string]any `json:"metadata"`
	NBFormat      int            `json:"nbformat"`
	NBFormatMinor int            `json:"nbformat_minor"`
}

// Cell is one notebook cell.
type Cell struct {
	// ID is the cell id (required from nbformat 4.5 on).
	ID       string
	CellType string
	Metadata map[string]any
	// Source is the cell's text.
	Source string
	// Attachments of markdown and raw cells, kept as they were.
	Attachments json.RawMessage
	// ExecutionCount of a code cell; nil when not executed.
	ExecutionCount *int
	// Outputs of a code cell.
	Outputs []*Output
}

// Output is one output of a code cell.
type Output struct {
	// OutputType is "stream", "display_data", "execute_result" or "error".
	OutputType string
	// Name is the stream name ("stdout" or "stderr") of a stream output.
	Name string
	// Text is the text of a stream output.
	Text string
	// Data maps MIME types to content: a string for text formats and
	// base64 images, any JSON value for JSON types.
	Data map[string]any
	// Metadata of display_data and execute_result outputs.
	Metadata map[string]any
	// ExecutionCount of an execute_result.
	ExecutionCount *int
	// EName, EValue and Traceback describe an error output.
	EName     string
	EValue    string
	Traceback []string
}

// Tags returns the cell's metadata tags.
func (c *Cell) Tags() []string {
	raw, _ := c.Metadata["tags"].([]any)
	var tags []string
	for _, t := range raw {
		if s, ok := t.(string); ok {
			tags = append(tags, s)
		}
	}
	return tags
}

// HasTag reports whether the cell is tagged tag.
func (c *Cell) HasTag(tag string) bool {
	for _, t := range c.Tags() {
		if t == tag {
			return true
		}
	}
	return false
}

// multiline is nbformat's "multiline string": a string or a list of strings
// to be concatenated.
func multiline(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var parts []string
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", errors.New("want a string or a list of strings")
	}
	return strings.Join(parts, ""), nil
}

// lines splits s into nbformat's list-of-lines form, each line keeping its "\n".
func lines(s string) []string {
	out := []string{}
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

var idPattern = regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`)

type rawCell struct {
	ID             string          `json:"id"`
	CellType       string          `json:"cell_type"`
	Metadata       map[string]any  `json:"metadata"`
	Source         json.RawMessage `json:"source"`
	Attachments    json.RawMessage `json:"attachments"`
	ExecutionCount *int            `json:"execution_count"`
	Outputs        []rawOutput     `json:"outputs"`
}

type rawOutput struct {
	OutputType     string                     `json:"output_type"`
	Name           string                     `json:"name"`
	Text           json.RawMessage            `json:"text"`
	Data           map[string]json.RawMessage `json:"data"`
	Metadata       map[string]any             `json:"metadata"`
	ExecutionCount *int                       `json:"execution_count"`
	EName          string                     `json:"ename"`
	EValue         string                     `json:"evalue"`
	Traceback      []string                   `json:"traceback"`
}

// Read reads and validates the notebook at path.
func Read(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("notebook: %w", err)
	}
	nb, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("notebook: %s: %w", path, err)
	}
	return nb, nil
}

// Parse parses and validates notebook JSON.
func Parse(b []byte) (*Notebook, error) {
	var top struct {
		Cells         []json.RawMessage `json:"cells"`
		Metadata      map[string]any    `json:"metadata"`
		NBFormat      *int              `json:"nbformat"`
		NBFormatMinor *int              `json:"nbformat_minor"`
	}
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, jsonError(b, err)
	}
	if top.NBFormat == nil {
		return nil, errors.New("not a notebook: no \"nbformat\" field")
	}
	if *top.NBFormat != 4 {
		return nil, fmt.Errorf("nbformat %d is not supported (want 4; convert it with `jupyter nbconvert --to notebook`)", *top.NBFormat)
	}
	if top.NBFormatMinor == nil || *top.NBFormatMinor < 0 {
		return nil, errors.New("missing or negative \"nbformat_minor\"")
	}
	if top.Cells == nil {
		return nil, errors.New("no \"cells\" list")
	}
	nb := &Notebook{Metadata: top.Metadata, NBFormat: 4, NBFormatMinor: *top.NBFormatMinor}
	if nb.Metadata == nil {
		nb.Metadata = map[string]any{}
	}
	seen := map[string]int{}
	for i, raw := range top.Cells {
		c, err := parseCell(raw, nb.NBFormatMinor)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i+1, err)
		}
		if c.ID != "" {
			if j, dup := seen[c.ID]; dup {
				return nil, fmt.Errorf("cell %d: id %q already used by cell %d", i+1, c.ID, j)
			}
			seen[c.ID] = i + 1
		}
		nb.Cells = append(nb.Cells, c)
	}
	return nb, nil
}

func parseCell(raw json.RawMessage, minor int) (*Cell, error) {
	var rc rawCell
	if err := json.Unmarshal(raw, &rc); err != nil {
		return nil, err
	}
	switch rc.CellType {
	case Code, Markdown, Raw:
	case "":
		return nil, errors.New("missing \"cell_type\"")
	default:
		return nil, fmt.Errorf("unknown cell_type %q (want code, markdown or raw)", rc.CellType)
	}
	if rc.Source == nil {
		return nil, errors.New("missing \"source\"")
	}
	src, err := multiline(rc.Source)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if minor >= 5 && !idPattern.MatchString(rc.ID) {
		return nil, fmt.Errorf("invalid or missing cell id %q (nbformat 4.5 needs 1-64 letters, digits, - or _)", rc.ID)
	}
	c := &Cell{ID: rc.ID, CellType: rc.CellType, Metadata: rc.Metadata, Source: src, Attachments: rc.Attachments, ExecutionCount: rc.ExecutionCount}
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	for j, ro := range rc.Outputs {
		o, err := parseOutput(ro)
		if err != nil {
			return nil, fmt.Errorf("output %d: %w", j+1, err)
		}
		c.Outputs = append(c.Outputs, o)
	}
	return c, nil
}

func parseOutput(ro rawOutput) (*Output, error) {
	o := &Output{OutputType: ro.OutputType, Name: ro.Name, Metadata: ro.Metadata, ExecutionCount: ro.ExecutionCount,
		EName: ro.EName, EValue: ro.EValue, Traceback: ro.Traceback}
	switch ro.OutputType {
	case "stream":
		t, err := multiline(ro.Text)
		if err != nil {
			return nil, fmt.Errorf("text: %w", err)
		}
		o.Text = t
	case "display_data", "execute_result":
		o.Data = map[string]any{}
		for mime, v := range ro.Data {
			if isJSONMime(mime) {
				var x any
				if err := json.Unmarshal(v, &x); err != nil {
					return nil, fmt.Errorf("data %s: %w", mime, err)
				}
				o.Data[mime] = x
				continue
			}
			s, err := multiline(v)
			if err != nil {
				return nil, fmt.Errorf("data %s: %w", mime, err)
			}
			o.Data[mime] = s
		}
	case "error":
	default:
		return nil, fmt.Errorf("unknown output_type %q", ro.OutputType)
	}
	return o, nil
}

func isJSONMime(mime string) bool {
	return mime == "application/json" || strings.HasSuffix(mime, "+json")
}

// jsonError turns a JSON syntax error into one with a line and column.
func jsonError(b []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read, the offending one included.
		line, col := position(b, max(se.Offset-1, 0))
		return fmt.Errorf("invalid JSON at line %d, column %d: %v", line, col, err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := position(b, te.Offset)
		return fmt.Errorf("line %d, column %d: field %q: %v", line, col, te.Field, err)
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

func position(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// MarshalJSON writes the cell with exactly the fields nbformat allows for its type.
func (c *Cell) MarshalJSON() ([]byte, error) {
	m := map[string]any{
		"cell_type": c.CellType,
		"metadata":  orEmpty(c.Metadata),
		"source":    lines(c.Source),
	}
	if c.ID != "" {
		m["id"] = c.ID
	}
	if c.CellType == Code {
		m["execution_count"] = c.ExecutionCount
		outs := c.Outputs
		if outs == nil {
			outs = []*Output{}
		}
		m["outputs"] = outs
	} else if len(c.Attachments) > 0 && string(c.Attachments) != "null" {
		m["attachments"] = c.Attachments
	}
	return json.Marshal(m)
}

// MarshalJSON writes the output with the fields its output_type requires.
func (o *Output) MarshalJSON() ([]byte, error) {
	m := map[string]any{"output_type": o.OutputType}
	switch o.OutputType {
	case "stream":
		m["name"] = o.Name
		m["text"] = lines(o.Text)
	case "display_data", "execute_result":
		data := map[string]any{}
		for mime, v := range o.Data {
			if s, ok := v.(string); ok && !isJSONMime(mime) {
				data[mime] = lines(s)
			} else {
				data[mime] = v
			}
		}
		m["data"] = data
		m["metadata"] = orEmpty(o.Metadata)
		if o.OutputType == "execute_result" {
			m["execution_count"] = o.ExecutionCount
		}
	case "error":
		m["ename"] = o.EName
		m["evalue"] = o.EValue
		tb := o.Traceback
		if tb == nil {
			tb = []string{}
		}
		m["traceback"] = tb
	}
	return json.Marshal(m)
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// Marshal returns the notebook as indented JSON, as Jupyter writes it.
func (nb *Notebook) Marshal() ([]byte, error) {
	out := *nb
	if out.Cells == nil {
		out.Cells = []*Cell{}
	}
	out.Metadata = orEmpty(out.Metadata)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("notebook: %w", err)
	}
	return buf.Bytes(), nil
}

// Write writes the notebook to path atomically.
func Write(path string, nb *Notebook) error {
	b, err := nb.Marshal()
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// WriteFileAtomic writes data to path atomically (see internal/atomicfile:
// a synced temporary file renamed into place, through a symbolic link),
// keeping the old file's permissions; a new file gets 0644.
func WriteFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := atomicfile.WriteFile(path, data, mode); err != nil {
		return fmt.Errorf("notebook: write %s: %w", path, err)
	}
	return nil
}

// NewCellID returns a fresh random cell id.
func NewCellID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
