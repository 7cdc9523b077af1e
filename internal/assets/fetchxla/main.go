// Command fetchxla installs XLA's CPU PJRT plugin where lib/backend finds
// it (assets.PluginDir), with the fetcher `founderlab install` uses: the
// pinned PyPI wheel, checked against its sha256. A plugin already there is
// kept. scripts/test-deps.sh runs it, so that the tests' models run on XLA,
// as a user's do after `founderlab install`, rather than on the pure-Go
// backend, which is several times slower.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/founderlab/founderlab/internal/assets"
)

func main() {
	wheels := flag.String("wheels", "", "directory that keeps the downloaded wheel (default: a temporary one, removed after)")
	timeout := flag.Duration("timeout", 10*time.Minute, "limit for the download")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: fetchxla [-wheels DIR] [-timeout D]")
		os.Exit(2)
	}
	p, err := fetch(*wheels, *timeout)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("XLA CPU plugin: %s\n", p)
}

// fetch installs the plugin, keeping the wheel in wheels ("": a temporary
// directory, removed before it returns, on failure too), and returns the
// plugin's path.
func fetch(wheels string, timeout time.Duration) (string, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if wheels == "" {
		tmp, err := os.MkdirTemp("", "fetchxla-")
		if err != nil {
			return "", err
		}
		defer os.RemoveAll(tmp)
		wheels = tmp
	}
	g := assets.FromEnv()
	g.Hint = "scripts/test-deps.sh"
	return g.FetchXLACPU(ctx, wheels)
}
