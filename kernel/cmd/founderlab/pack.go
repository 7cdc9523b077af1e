package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/kernel/install"
)

func cmdPack(args []string) error {
	fs := flag.NewFlagSet("pack", flag.ContinueOnError)
	var o install.PackOptions
	fs.StringVar(&o.Out, "o", "", "the kit file to write (a tar file), e.g. kit.tar")
	fs.StringVar(&o.Prefix, "prefix", "", "install prefix whose wheel cache to use (default as install)")
	fs.BoolVar(&o.NoXLA, "no-xla", false, "leave XLA's CPU plugin (63 MB) out of the kit")
	fs.BoolVar(&o.Offline, "offline", false, "download nothing: everything must be in the local caches (also $FOUNDERLAB_OFFLINE=1)")
	fs.Usage = func() {
		fmt.Fprint(os.Stderr, `usage: founderlab pack -o kit.tar

Writes a workshop kit: the data sets, the pretrained model, XLA's CPU plugin
wheel, ECharts and every Go module the kernel builds from, with a manifest
of sha256 sums. On a machine without network:

  FOUNDERLAB_OFFLINE=1 GOPROXY=off founderlab install --from kit.tar

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Out == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("say where to write the kit with -o FILE")
	}
	o.Log = os.Stderr
	ctx, cancel := signalContext()
	defer cancel()
	start := time.Now()
	m, err := install.Pack(ctx, o)
	if err != nil {
		return err
	}
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	fmt.Printf("wrote %s: %d files, %s, in %.0fs\n", o.Out, len(m.Files), assets.FormatBytes(n), time.Since(start).Seconds())
	return nil
}
