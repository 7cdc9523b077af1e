package runner

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/founderlab/founderlab/kernel/notebook"
)

// ParseParam parses "name=value".
func ParseParam(s string) (Param, error) {
	name, value, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || !token.IsIdentifier(name) {
		return Param{}, fmt.Errorf("runner: parameter %q: want name=value with a Go identifier as name", s)
	}
	return Param{Name: name, Value: value}, nil
}

// paramDecl is a declaration found in the parameters cell.
type paramDecl struct {
	typ  string      // declared type, "" if none
	kind token.Token // kind of the literal initial value, token.ILLEGAL if none
	lit  string      // the literal (for bool detection)
}

// injectParams inserts, after the cell tagged "parameters", a cell tagged
// "injected-parameters" that redeclares each parameter with its new value.
// GoNB keeps the last declaration of a name, so the override wins.
func injectParams(nb *notebook.Notebook, params []Param) error {
	if len(params) == 0 {
		return nil
	}
	at := -1
	for i, c := range nb.Cells {
		if c.CellType == notebook.Code && c.HasTag("parameters") {
			at = i
			break
		}
	}
	if at < 0 {
		return fmt.Errorf("runner: parameters given but no cell is tagged \"parameters\"")
	}
	decls, err := parseParamsCell(nb.Cells[at].Source)
	if err != nil {
		return fmt.Errorf("runner: parameters cell %d: %w", at+1, err)
	}
	var b strings.Builder
	b.WriteString("// Parameters injected by founderlab run.\n")
	for _, p := range params {
		d, ok := decls[p.Name]
		if !ok {
			known := make([]string, 0, len(decls))
			for k := range decls {
				known = append(known, k)
			}
			sort.Strings(known)
			return fmt.Errorf("runner: the notebook has no parameter %q (its parameters cell declares: %s)", p.Name, strings.Join(known, ", "))
		}
		v, err := goLiteral(p.Value, d)
		if err != nil {
			return fmt.Errorf("runner: parameter %s: %w", p.Name, err)
		}
		if d.typ != "" {
			fmt.Fprintf(&b, "var %s %s = %s\n", p.Name, d.typ, v)
		} else {
			fmt.Fprintf(&b, "var %s = %s\n", p.Name, v)
		}
	}
	cell := &notebook.Cell{CellType: notebook.Code, Source: b.String(),
		Metadata: map[string]any{"tags": []any{"injected-parameters"}}}
	if nb.NBFormatMinor >= 5 {
		cell.ID = notebook.NewCellID()
	}
	// Replace an earlier injected cell (a notebook that was run before).
	if at+1 < len(nb.Cells) && nb.Cells[at+1].HasTag("injected-parameters") {
		nb.Cells[at+1] = cell
		return nil
	}
	nb.Cells = append(nb.Cells[:at+1], append([]*notebook.Cell{cell}, nb.Cells[at+1:]...)...)
	return nil
}

func parseParamsCell(src string) (map[string]paramDecl, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "parameters", "package p\n"+src, 0)
	if err != nil {
		return nil, fmt.Errorf("want top-level var declarations: %w", err)
	}
	out := map[string]paramDecl{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || (gd.Tok != token.VAR && gd.Tok != token.CONST) {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			typ := ""
			if vs.Type != nil {
				typ = exprString(src, vs.Type)
			}
			for i, n := range vs.Names {
				d := paramDecl{typ: typ, kind: token.ILLEGAL}
				if i < len(vs.Values) {
					switch v := vs.Values[i].(type) {
					case *ast.BasicLit:
						d.kind, d.lit = v.Kind, v.Value
					case *ast.Ident:
						d.lit = v.Name
					}
				}
				out[n.Name] = d
			}
		}
	}
	return out, nil
}

func exprString(src string, e ast.Expr) string {
	// Offsets are relative to "package p\n" + src.
	const prefix = len("package p\n")
	return src[int(e.Pos())-1-prefix : int(e.End())-1-prefix]
}

// goLiteral formats value as a Go expression of the parameter's type.
func goLiteral(value string, d paramDecl) (string, error) {
	isString := d.kind == token.STRING || d.typ == "string"
	if isString {
		if uq, err := strconv.Unquote(value); err == nil {
			value = uq
		}
		return strconv.Quote(value), nil
	}
	switch {
	case d.lit == "true" || d.lit == "false" || d.typ == "bool":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return "", fmt.Errorf("%q is not a bool", value)
		}
		return strconv.FormatBool(b), nil
	case d.kind == token.INT || strings.HasPrefix(d.typ, "int") || strings.HasPrefix(d.typ, "uint"):
		if _, err := strconv.ParseInt(value, 0, 64); err != nil {
			return "", fmt.Errorf("%q is not an integer", value)
		}
		return value, nil
	case d.kind == token.FLOAT || strings.HasPrefix(d.typ, "float"):
		if _, err := strconv.ParseFloat(value, 64); err != nil {
			return "", fmt.Errorf("%q is not a number", value)
		}
		return value, nil
	}
	// Anything else is passed through as a Go expression.
	if _, err := parser.ParseExpr(value); err != nil {
		return "", fmt.Errorf("%q is not a Go expression: %v", value, err)
	}
	return value, nil
}
