// Command founderlab installs FounderLab's Go Jupyter kernel, launches
// JupyterLab on the course notebooks, runs notebooks headlessly and
// diagnoses a setup.
//
// Usage:
//
//	founderlab install [--from KIT] [--prefix DIR] [--jupyter-data-dir DIR] [--no-warm] [--no-echarts] [--no-katex] [--no-xla]
//	founderlab uninstall [--prefix DIR] [--jupyter-data-dir DIR]
//	founderlab lab [--port N] [--venv DIR] [--notebooks DIR]
//	founderlab hub [--port N] [--ip ADDR] [--password P] [--memory SIZE] [--cpus N] [--cpu-time D]
//	founderlab run [flags] NOTEBOOK.ipynb...
//	founderlab book [-o DIR] [-p name=value] [--lang en|zh|all] [--from DIR]
//	founderlab data list|fetch|verify|path [NAME...|--all]
//	founderlab models list|fetch|verify|path [NAME...|--all]
//	founderlab pack -o kit.tar
//	founderlab doctor
//
// "founderlab kernel" is what the installed kernel spec starts; it is not
// meant to be called by hand. When invoked under the name "go" (the shim the
// kernel puts on its PATH), founderlab passes everything to the real go
// command and wires the FounderLab module into GoNB's work module after
// `go mod init`; see package kernel/install.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

const usage = `founderlab: the FounderLab notebook lab

Commands:
  install     build GoNB, gopls and goimports, write the "Go (FounderLab)" kernel spec
  uninstall   remove what install wrote
  lab         start JupyterLab on the notebooks (installs what is missing)
  hub         start a JupyterHub for a workshop: every learner gets the kernel and a copy of the notebooks
  run         execute notebooks headlessly through the kernel
  book        build the course as a static web site (executed chapters, charts, math)
  data        list, fetch, verify the data sets
  models      list, fetch, verify the pretrained models
  pack        write a workshop kit for installing without network
  doctor      check the setup and say how to fix each problem

Run "founderlab COMMAND -h" for the command's flags.
`

func main() {
	if filepath.Base(os.Args[0]) == "go" {
		os.Exit(goShim(os.Args[1:]))
	}
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmds := map[string]func([]string) error{
		"install":   cmdInstall,
		"uninstall": cmdUninstall,
		"lab":       cmdLab,
		"hub":       cmdHub,
		"run":       cmdRun,
		"book":      cmdBook,
		"doctor":    cmdDoctor,
		"data":      cmdData,
		"models":    cmdModels,
		"pack":      cmdPack,
		"kernel":    cmdKernel,
	}
	name := os.Args[1]
	if name == "-h" || name == "--help" || name == "help" {
		fmt.Print(usage)
		return
	}
	f, ok := cmds[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "founderlab: unknown command %q\n\n%s", name, usage)
		os.Exit(2)
	}
	if err := f(os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "founderlab %s: %v\n", name, err)
		var ec exitCode
		if errors.As(err, &ec) {
			os.Exit(ec.code)
		}
		os.Exit(1)
	}
}
