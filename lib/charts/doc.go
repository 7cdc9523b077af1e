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
// (HTML inserted asynchronously, scripts re-run by the front end, cells
// outside the viewport rendered late or never under notebook windowing),
// classic Notebook 6 and nbconvert HTML (require.js present, which
// captures the UMD build of ECharts so that no global echarts appears),
// Colab (each output in its own iframe), VS Code (all outputs in one
// webview), and views where no script runs at all (an untrusted reopened
// notebook, a code host's preview, nbconvert without JavaScript). Every
// display ([Display], [MIMEBundle]) is therefore one bundle of:
//
//   - [MIMEType]: the chart's option, size, theme and renderer as JSON, for
//     FounderLab's JupyterLab extension (kernel/labextension, installed by
//     `founderlab install`), which draws it in JupyterLab 4 and Notebook 7
//     with the one copy of ECharts it carries;
//   - image/svg+xml (or image/png): a static image of the chart, made by
//     ECharts' own server-side rendering under node ([NodeSVG]) or by
//     another [StaticRenderer], for exports and views without scripts;
//   - text/html, for every front end without the extension: a container
//     with a fresh id ("flc_" and 16 hex digits, a valid DOM id and
//     JavaScript identifier), so re-running a cell or showing two charts in
//     one cell never collides; the static image again, visible until the
//     chart draws (sanitized views keep it; without node a notice stands in
//     its place, said once per process); and a script that runs in its own
//     function scope, obtains ECharts through one loader shared by all
//     displays on the page, draws the chart, hides the static image and
//     marks the container data-founderlab-chart="drawn". A chart still
//     waiting for ECharts says "static" after a few seconds and keeps its
//     image (never a blank box); it draws when the library arrives. A
//     failed load says "failed", with the reason shown;
//   - text/plain.
//
// # Where ECharts comes from
//
// ECharts [EChartsVersion] is the version go-echarts v2.6.7 options target,
// installed from npm by `founderlab install` ([InstallECharts]) into the
// npm prefix given by [EChartsPrefix]. Nothing of ECharts is committed to
// this repository. The modes ([AssetMode]):
//
//   - [AssetShared], the default of [Display] where outputs share a page:
//     the first display of the kernel session carries the library, packed
//     (gzip and base64, about 440 KB for the 1 MB echarts.min.js, with its
//     Apache-2.0 license header) in a script element marked
//     data-founderlab-echarts; every other display carries none and takes
//     ECharts from the page. A notebook thus holds the library once, and
//     works with no network. The session is GoNB's: a marker file in
//     $GONB_TMP_DIR decides which display is first; a restarted kernel
//     starts over. The carrier unpacks with the browser's
//     DecompressionStream (every current browser); where a page lacks the
//     carrier's output (its cell cleared or re-run in the same session, or
//     not yet rendered by a windowed notebook) the charts show their static
//     images until it comes. Restart the kernel and run all to put the copy
//     back.
//   - [AssetInline]: every display carries the packed library (what [HTML]
//     and [MIMEBundle] make unless told otherwise: a fragment that works on
//     its own).
//   - [AssetCDN] loads the pinned [CDNURL], and [AssetURL] ([ScriptURL])
//     any http, https or file URL, once per page.
//   - [AssetPage]: the page provides ECharts; [WritePage] puts the library,
//     unpacked, once in the page's head.
//
// $FOUNDERLAB_CHARTS_ASSETS sets the mode: "auto" (or unset), "shared",
// "inline", "cdn" or a URL. Under "auto", [Display] asks [DetectFrontend]:
//
//	front end               outputs               Display's mode    why
//	JupyterLab 4, NB 7      one page              shared            the extension draws from MIMEType; without it the HTML shares one copy
//	Notebook 6, nbconvert   one page (require.js) shared            the carrier hides define, so window.echarts appears
//	VS Code (VSCODE_PID)    one webview           shared            all outputs of a notebook share the webview's window
//	Colab (COLAB_RELEASE_TAG) one iframe each     cdn               an iframe cannot see another's library; Colab is always online
//	anything else           one page              shared
//
// Exports carry the library once per file: `founderlab run --html`
// (kernel/notebook) moves the first carrier into the page's head and drops
// the others. Only core ECharts is loaded: go-echarts charts that need
// extensions (word cloud, liquid fill, maps, 3-D) are not supported.
//
// # Builders
//
// [Line], [Bar], [Scatter], [ScatterBy], [Radar], [Heatmap],
// [ConfusionMatrix], [Pie], [Funnel], [Sankey] and [Gauge] take columns of
// data (table-friendly slices) and return go-echarts chart values
// that can be customised further with go-echarts options. They never fail:
// inputs of mismatched lengths are drawn as far as they pair up and the
// mistake is written in red as the chart's subtitle; NaN and infinite
// values are drawn as gaps. They are generic: a chart that belongs to one
// domain (a SWOT matrix, a persona card) lives beside its domain type, in
// its own package, and reaches the options go-echarts cannot express
// through [Patch].
//
// # Language
//
// Charts are built with English text and shown in the current [Language]:
// [Display], [HTML] and [MIMEBundle] replace every title, name and category
// that a message catalog translates ([AddMessages], [Translate]), in the
// interactive chart and its static image alike. The language is
// [SetLanguage]'s, else $FOUNDERLAB_LANG ("en", "zh"), else the edition of
// the working directory: a notebook runs in its own directory, so the
// Chinese edition in notebooks/zh draws Chinese charts from the same code
// cells as the English one. Set $FOUNDERLAB_CHARTS_UNTRANSLATED to a file
// to collect the text no message translates.
package charts
