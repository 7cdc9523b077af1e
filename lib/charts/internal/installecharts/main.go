// Command installecharts installs the offline ECharts with
// charts.InstallECharts, the implementation `founderlab install` uses, into
// the npm prefix given by -prefix or, by default, charts.EChartsPrefix().
// scripts/charts-test-deps.sh runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/founderlab/founderlab/lib/charts"
)

func main() {
	prefix := flag.String("prefix", "", "npm prefix (default: charts.EChartsPrefix())")
	timeout := flag.Duration("timeout", 5*time.Minute, "limit for npm install")
	flag.Parse()
	if *prefix == "" {
		p, err := charts.EChartsPrefix()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		*prefix = p
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := charts.InstallECharts(ctx, *prefix); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("ECharts %s ready in %s\n", charts.EChartsVersion, *prefix)
}
