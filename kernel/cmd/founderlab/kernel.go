package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/founderlab/founderlab/kernel/install"
)

// Environment variables the kernel launcher sets for the go shim.
const (
	envRealGo = "FOUNDERLAB_REAL_GO"
	envRoot   = "FOUNDERLAB_ROOT"
)

// cmdKernel starts GoNB with the environment that makes the FounderLab
// module importable: the shim directory first on PATH, the tools after it.
func cmdKernel(args []string) error {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	root := fs.String("root", "", "FounderLab checkout")
	prefix := fs.String("prefix", "", "install prefix")
	conn := fs.String("connection-file", "", "Jupyter connection file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *root == "" || *prefix == "" || *conn == "" {
		return errors.New("--root, --prefix and --connection-file are required (this command is started by Jupyter)")
	}
	realGo := os.Getenv(envRealGo)
	if realGo == "" {
		p, err := exec.LookPath("go")
		if err != nil {
			return fmt.Errorf("the go command is not on PATH: %w", err)
		}
		realGo, _ = filepath.Abs(p)
	}
	shim := filepath.Join(*prefix, "shim")
	bin := filepath.Join(*prefix, "bin")
	env := os.Environ()
	set := func(k, v string) {
		for i, e := range env {
			if strings.HasPrefix(e, k+"=") {
				env[i] = k + "=" + v
				return
			}
		}
		env = append(env, k+"="+v)
	}
	set("PATH", shim+string(os.PathListSeparator)+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	set(envRealGo, realGo)
	set(envRoot, *root)
	if os.Getenv("FOUNDERLAB_ECHARTS_DIR") == "" {
		if _, err := os.Stat(install.EChartsDir(*prefix)); err == nil {
			set("FOUNDERLAB_ECHARTS_DIR", install.EChartsDir(*prefix))
		}
	}
	gonb := filepath.Join(bin, "gonb")
	argv := []string{gonb, "--kernel", *conn}
	if os.Getenv("FOUNDERLAB_RAW_ERROR") != "" {
		argv = append(argv, "--raw_error")
	}
	return syscall.Exec(gonb, argv, env)
}

// goShim runs the real go command; after a successful `go mod init` in a
// GoNB work directory it wires the FounderLab module in, it skips GoNB's
// per-cell `go get` when nothing is missing, and it builds cells through
// the executable cache (see install.CachedBuildArgs).
func goShim(args []string) int {
	if len(args) == 3 && args[0] == install.PlaceArg {
		return placeExecutable(args[1], args[2])
	}
	realGo := os.Getenv(envRealGo)
	if realGo == "" {
		fmt.Fprintf(os.Stderr, "founderlab go shim: $%s is not set\n", envRealGo)
		return 1
	}
	root := os.Getenv(envRoot)
	wd, _ := os.Getwd()
	inWork := root != "" && wd != "" && strings.HasPrefix(filepath.Base(wd), "gonb_")
	trace := newShimTrace(args, wd)
	if len(args) >= 3 && args[0] == "mod" && args[1] == "init" && strings.HasPrefix(args[2], "gonb_") && root != "" {
		if code := runGo(realGo, args); code != 0 {
			return code
		}
		if err := install.WireModule(context.Background(), realGo, wd, root); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
	if len(args) >= 1 && args[0] == "build" && inWork {
		if err := install.PrepareBuild(wd); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		if os.Getenv(install.EnvExeCache) != "off" {
			if shim, err := shimPath(); err == nil {
				if cached, ok := install.CachedBuildArgs(args, wd, shim); ok {
					trace.ev.Cached = true
					return trace.done(buildShared(realGo, cached, wd, args[2], &trace.ev))
				}
			}
		}
	}
	if len(args) == 1 && args[0] == "get" && inWork && install.GetIsNoop(wd) {
		trace.ev.Skipped = true
		trace.done(0)
		return 0
	}
	if trace.path != "" {
		return trace.done(runGo(realGo, args))
	}
	if err := syscall.Exec(realGo, append([]string{realGo}, args...), os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "founderlab go shim: exec %s: %v\n", realGo, err)
	}
	return 1
}
