// Package charts displays go-echarts charts in GoNB notebook cells, in HTML
// files and in exported notebooks, and builds the charts the FounderLab
// chapters use.
//
// In a notebook cell, one line draws a chart:
//
//	charts.Show(charts.Line("Elbow curve", charts.Col("k", ks), charts.Col("inertia", inertia)))
//
// Show accepts any go-echarts chart (*charts.Bar from go-echarts as well as
// the builders here), and reports a failure in the cell instead of
// panicking; [Display] returns the error instead. From a plain Go program,
// [WriteHTML] writes a standalone page.
//
// # Where charts must draw
//
// A notebook output is shown by many front ends: JupyterLab 4 and Notebook 7
// (HTML inserted asynchronously, scripts re-run by the front end), classic
// Notebook 6 and nbconvert HTML (require.js present, which captures the
// UMD build of ECharts so that no global echarts appears), Colab-like
// hosts (each output in its own iframe), VS Code, and views where no script
// runs at all (an untrusted reopened notebook, a code host's preview,
// nbconvert without JavaScript). Every display is therefore built as:
//
//   - a container with a fresh id ("flc_" and 16 hex digits, a valid DOM id
//     and JavaScript identifier), so re-running a cell or showing two charts
//     in one cell never collides;
//   - a static image of the chart, visible until the chart draws: an SVG
//     made by ECharts' own server-side rendering under node ([NodeSVG]), or
//     an image from another [StaticRenderer]. It is placed in the HTML, where
//     sanitized views keep it, and again as image/svg+xml or image/png in the
//     same display bundle for exports. Without node the chart still draws
//     interactively, and a notice says so once per process;
//   - a script that runs in its own function scope, obtains ECharts through
//     one loader shared by all displays on the page (global echarts already
//     present, require.js, or one in-flight load promise), draws the chart,
//     hides the static image and marks the container
//     data-founderlab-chart="drawn" (or "failed", with the reason shown).
//
// # Where ECharts comes from
//
// ECharts [EChartsVersion] is the version go-echarts v2.6.7 options target.
// The default, [AssetInline], embeds echarts.min.js (with its Apache-2.0
// license header) from the npm package installed by `founderlab install`
// ([InstallECharts]) into the npm prefix given by [EChartsPrefix]; it
// works with no network. [CDN] loads the pinned [CDNURL], and [ScriptURL]
// any http, https or file URL. $FOUNDERLAB_CHARTS_ASSETS sets the default
// ("inline", "cdn" or a URL). Nothing of ECharts is committed to this
// repository. Inline displays carry about 1 MB each, so a notebook with
// many charts grows accordingly; choose [CDN] where the readers are online.
// Only core ECharts is loaded: go-echarts charts that need extensions (word
// cloud, liquid fill, maps, 3-D) are not supported.
//
// # Builders
//
// [Line], [Bar], [Scatter], [ScatterBy], [Radar], [Heatmap],
// [ConfusionMatrix], [Pie], [Funnel], [Sankey], [Gauge] and [SWOT] take
// columns of data (table-friendly slices) and return go-echarts chart values
// that can be customised further with go-echarts options. They never fail:
// inputs of mismatched lengths are drawn as far as they pair up and the
// mistake is written in red as the chart's subtitle; NaN and infinite
// values are drawn as gaps.
package charts
