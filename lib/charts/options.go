package charts

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/founderlab/founderlab/internal/assets"
)

// AssetMode says where a displayed chart takes the ECharts library from.
type AssetMode int

const (
	// AssetInline embeds echarts.min.js (about 1 MB) from the offline npm
	// install in every display, which then works on its own with no network
	// at all, wherever it is shown. [HTML] and [MIMEBundle] fragments are
	// built this way unless told otherwise.
	AssetInline AssetMode = iota
	// AssetCDN loads ECharts from the pinned [CDNURL].
	AssetCDN
	// AssetURL loads ECharts from a URL of your choice (http, https or
	// file), for a mirror or a local copy.
	AssetURL
	// AssetPage expects the surrounding page to load ECharts; [WritePage]
	// uses it to include the library once for all its charts.
	AssetPage
	// AssetShared embeds echarts.min.js once per page: only the first
	// display of the kernel session carries it (see [Carrier]); every
	// display takes the library from the page and shows its static image
	// until the library is there. The default of [Display] in notebooks
	// whose outputs share one page (JupyterLab, Notebook 6 and 7, VS Code,
	// nbconvert HTML).
	AssetShared
)

func (m AssetMode) String() string {
	switch m {
	case AssetInline:
		return "inline"
	case AssetCDN:
		return "cdn"
	case AssetURL:
		return "url"
	case AssetPage:
		return "page"
	case AssetShared:
		return "shared"
	}
	return fmt.Sprintf("AssetMode(%d)", int(m))
}

// config is the result of applying Options.
type config struct {
	ctx           context.Context
	assets        AssetMode
	auto          bool // no mode chosen: Display picks one for the front end
	carry         int  // AssetShared: 1 carries the library, -1 does not, 0 undecided
	url           string
	prefix        string
	width, height int // 0: the chart's own size
	static        StaticRenderer
	noStatic      bool
	requireStatic bool
	warn          io.Writer  // notices about static images; os.Stderr
	notice        *sync.Once // guards the "no static renderer" notice
}

// Option changes how a chart is rendered to HTML or displayed.
type Option func(*config)

// Inline embeds the offline ECharts in the display, whatever the other
// displays do ([AssetInline]).
func Inline() Option { return func(c *config) { c.assets, c.auto = AssetInline, false } }

// Shared embeds the offline ECharts once per page ([AssetShared]): in a
// notebook, only the first display of the kernel session carries it.
func Shared() Option { return func(c *config) { c.assets, c.auto = AssetShared, false } }

// Carrier says whether this display carries the library in [AssetShared]
// mode, instead of leaving it to the kernel session (the first display of
// the session carries it; outside a notebook every display does). For
// pages assembled from several fragments.
func Carrier(carry bool) Option {
	return func(c *config) {
		c.assets, c.auto, c.carry = AssetShared, false, -1
		if carry {
			c.carry = 1
		}
	}
}

// CDN loads ECharts [EChartsVersion] from the pinned [CDNURL].
func CDN() Option { return func(c *config) { c.assets, c.auto, c.url = AssetCDN, false, CDNURL } }

// ScriptURL loads ECharts from url: an http, https or file URL of
// echarts.min.js. Unlike go-echarts' asset host, file URLs are kept.
func ScriptURL(url string) Option {
	return func(c *config) { c.assets, c.auto, c.url = AssetURL, false, url }
}

// EChartsDir reads the offline ECharts (for inlining and for the static
// image) from the npm prefix dir instead of [EChartsPrefix].
func EChartsDir(prefix string) Option { return func(c *config) { c.prefix = prefix } }

// Size draws the chart width × height pixels, overriding its own size.
func Size(width, height int) Option {
	return func(c *config) { c.width, c.height = width, height }
}

// Static renders the static fallback image with r instead of [NodeSVG],
// and fails the display if r fails.
func Static(r StaticRenderer) Option {
	return func(c *config) { c.static, c.noStatic, c.requireStatic = r, false, true }
}

// NoStatic leaves out the static fallback image.
func NoStatic() Option { return func(c *config) { c.noStatic = true } }

// Context bounds the work of a display (the static rendering) by ctx.
func Context(ctx context.Context) Option { return func(c *config) { c.ctx = ctx } }

// newConfig applies the defaults, $FOUNDERLAB_CHARTS_ASSETS and opts.
// With neither a mode nor the variable, the mode is left to the caller
// (auto): [Display] picks one for the front end, [HTML] and [MIMEBundle]
// make self-contained fragments.
func newConfig(opts []Option) (*config, error) {
	c := &config{ctx: context.Background(), warn: os.Stderr, notice: &noStaticNotice}
	switch v := strings.TrimSpace(os.Getenv(EnvAssets)); {
	case v == "" || v == "auto":
		c.auto = true
	case v == "inline":
	case v == "shared":
		c.assets = AssetShared
	case v == "cdn":
		c.assets, c.url = AssetCDN, CDNURL
	case strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "file://"):
		c.assets, c.url = AssetURL, v
	default:
		return nil, fmt.Errorf("charts: $%s=%q: want auto, shared, inline, cdn or an http(s)/file URL of echarts.min.js", EnvAssets, v)
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.prefix == "" {
		p, err := EChartsPrefix()
		if err != nil && (c.assets == AssetInline || c.assets == AssetShared || c.auto || !c.noStatic) {
			return nil, err
		}
		c.prefix = p
	}
	if (c.assets == AssetURL || c.assets == AssetCDN) && c.url == "" {
		return nil, fmt.Errorf("charts: asset mode %v needs a URL", c.assets)
	}
	if c.width < 0 || c.height < 0 {
		return nil, fmt.Errorf("charts: negative size %dx%d", c.width, c.height)
	}
	if c.static == nil {
		c.static = NodeSVG{Prefix: c.prefix}
	}
	if c.auto {
		// Without the offline copy (no `founderlab install`, or no npm when
		// it ran) a chart would fail: load ECharts from the CDN instead,
		// and say so once.
		if v, err := assets.EChartsInstalled(c.prefix); err != nil || v != EChartsVersion {
			c.auto, c.assets, c.url = false, AssetCDN, CDNURL
			cdnNotice.Do(func() {
				fmt.Fprintf(c.warn, "charts: no offline ECharts %s in %s (run `founderlab install` with npm on PATH); charts load it from %s, which needs network in the browser\n",
					EChartsVersion, c.prefix, CDNURL)
			})
		}
	}
	return c, nil
}

// cdnNotice prints the notice of the CDN fallback once per process.
var cdnNotice sync.Once
