package install

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// GetIsNoop reports whether `go get` (without arguments) in the GoNB work
// module dir would change nothing: every package that dir's Go files import
// is in the standard library or in a module its go.mod already requires.
// GoNB runs `go get` before compiling every cell; the kernel's go shim skips
// it when this returns true, which saves a module-graph load per cell. Any
// doubt (a parse error, an unknown import) answers false, and the real
// go get runs.
func GetIsNoop(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	mf, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return false
	}
	mods := []string{}
	if mf.Module != nil {
		mods = append(mods, mf.Module.Mod.Path)
	}
	for _, r := range mf.Require {
		mods = append(mods, r.Mod.Path)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	if len(files) == 0 {
		return false
	}
	fset := token.NewFileSet()
	for _, f := range files {
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			return false
		}
		for _, imp := range ast.Imports {
			path := strings.Trim(imp.Path.Value, "\"`")
			if !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
				continue // standard library
			}
			if !provided(path, mods) {
				return false
			}
		}
	}
	return true
}

func provided(pkg string, mods []string) bool {
	for _, m := range mods {
		if pkg == m || strings.HasPrefix(pkg, m+"/") {
			return true
		}
	}
	return false
}
