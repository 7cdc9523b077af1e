package charts

import (
	"errors"
	"fmt"
	"html"
	"os"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// ErrNotNotebook is returned by [Display] outside a GoNB cell. Use
// [WriteHTML] or [HTML] from plain programs.
var ErrNotNotebook = errors.New("charts: not running in a GoNB notebook cell (use charts.WriteHTML or charts.HTML outside notebooks)")

// Display shows c in the current GoNB cell as one display_data bundle
// ([MIMEBundle]): the chart for FounderLab's JupyterLab extension
// ([MIMEType]), text/html (the interactive chart, with the static image
// inside it for views where scripts do not run), image/svg+xml or
// image/png (the static image, for exports) and text/plain. Outside GoNB
// it sends nothing and returns [ErrNotNotebook].
//
// Unless an option or $FOUNDERLAB_CHARTS_ASSETS chooses the mode, the
// front end does ([DetectFrontend]): where every output is its own iframe
// (Colab) each display loads ECharts from the pinned [CDNURL]; elsewhere
// the first display of the kernel session carries the library and the
// others take it from the page ([AssetShared]).
func Display(c Renderable, opts ...Option) error {
	if !gonbui.IsNotebook {
		return ErrNotNotebook
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return err
	}
	cfg.forDisplay(DetectFrontend())
	release := func() {}
	if cfg.assets == AssetShared && cfg.carry == 0 {
		var carry bool
		carry, release = claimCarrier()
		cfg.carry = -1
		if carry {
			cfg.carry = 1
		}
	}
	r, err := render(c, cfg)
	if err != nil {
		release()
		return err
	}
	b := r.bundle()
	data := make(map[protocol.MIMEType]any, len(b))
	for k, v := range b {
		data[protocol.MIMEType(k)] = v
	}
	gonbui.SendData(&protocol.DisplayData{Data: data})
	// Wait until GoNB has the display: a cell program that exits right after
	// Show would otherwise lose it (GoNB v0.11 does not drain its pipe).
	gonbui.Sync()
	if err := gonbui.Error(); err != nil {
		release()
		return fmt.Errorf("charts: display: %w", err)
	}
	return nil
}

// Show is the notebook one-liner: it displays c like [Display] and, if that
// fails, shows the error in the cell (or on stderr outside a notebook)
// instead of panicking.
//
//	charts.Show(charts.Line("Elbow curve", charts.Col("k", ks), charts.Col("inertia", inertia)))
func Show(c Renderable, opts ...Option) {
	err := Display(c, opts...)
	if err == nil {
		return
	}
	if gonbui.IsNotebook {
		gonbui.DisplayHTML(`<pre style="color:#a33;white-space:pre-wrap">` + html.EscapeString(err.Error()) + `</pre>`)
		return
	}
	fmt.Fprintln(os.Stderr, err)
}
