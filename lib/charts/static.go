package charts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/excerpt"
)

// Image is a static rendering of a chart, shown where scripts do not run
// and put in the display bundle for exports.
type Image struct {
	MIME string // "image/svg+xml" or "image/png"
	Data []byte
}

// StaticInput is what a [StaticRenderer] draws: the chart's option as a
// JavaScript expression (it may contain functions) and its size in pixels.
type StaticInput struct {
	Option        string
	Width, Height int
	Theme         string
}

// StaticRenderer draws the static fallback image of a chart.
// [NodeSVG] is the default.
type StaticRenderer interface {
	RenderStatic(ctx context.Context, in StaticInput) (Image, error)
}

// ErrNoStaticRenderer reports that no static renderer could run (no node,
// or no offline ECharts for it); the interactive chart is still drawn.
var ErrNoStaticRenderer = errors.New("charts: no static renderer available")

// NodeSVG renders a chart to SVG with ECharts' server-side rendering, by
// running node on the offline copy of the library (the full bundle
// <Prefix>/node_modules/echarts/dist/echarts.min.js, the only file of the
// npm package it needs):
//
//	echarts.init(null, null, {renderer: 'svg', ssr: true, width, height})
//	chart.renderToSVGString()
//
// Animation is turned off so the image shows the final state.
type NodeSVG struct {
	// Prefix is the npm prefix holding ECharts; "" means [EChartsPrefix].
	Prefix string
	// Node is the node executable; "" means "node" on $PATH.
	Node string
	// Timeout bounds one rendering; 0 means 30 seconds.
	Timeout time.Duration
}

// nodeScript reads the option expression from OPTION_JS below and prints the SVG.
const nodeScript = `"use strict";
const echarts = require(%s);
if (echarts.version !== %s) {
  process.stderr.write("ECharts " + echarts.version + " found, want " + %s + "\n");
  process.exit(3);
}
const option = (%s);
option.animation = false;
const chart = echarts.init(null, %s, {renderer: "svg", ssr: true, width: %d, height: %d});
chart.setOption(option);
const svg = chart.renderToSVGString();
chart.dispose();
process.stdout.write(svg, () => process.exit(0));
`

// RenderStatic implements [StaticRenderer].
func (n NodeSVG) RenderStatic(ctx context.Context, in StaticInput) (Image, error) {
	node := n.Node
	if node == "" {
		node = "node"
	}
	nodePath, err := exec.LookPath(node)
	if err != nil {
		return Image{}, fmt.Errorf("%w: %s not found: %v", ErrNoStaticRenderer, node, err)
	}
	prefix := n.Prefix
	if prefix == "" {
		if prefix, err = EChartsPrefix(); err != nil {
			return Image{}, fmt.Errorf("%w: %v", ErrNoStaticRenderer, err)
		}
	}
	lib := LibraryPath(prefix)
	if _, err := os.Stat(lib); err != nil {
		return Image{}, fmt.Errorf("%w: ECharts is not installed in %s (run `founderlab install`): %v", ErrNoStaticRenderer, prefix, err)
	}
	timeout := n.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	theme := "null"
	if in.Theme != "" && in.Theme != "white" {
		theme = jsString(in.Theme)
	}
	script := fmt.Sprintf(nodeScript, jsString(lib), jsString(EChartsVersion), jsString(EChartsVersion), in.Option, theme, in.Width, in.Height)
	cmd := exec.CommandContext(ctx, nodePath, "-")
	cmd.Stdin = strings.NewReader(script)
	cmd.Dir = prefix
	cmd.WaitDelay = 2 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Image{}, fmt.Errorf("charts: node SSR: timed out after %v: %w", timeout, ctx.Err())
		}
		return Image{}, fmt.Errorf("charts: node SSR: %w: %s", err, excerpt.Tail(strings.TrimSpace(errb.String()), 1500))
	}
	svg := out.Bytes()
	if !bytes.HasPrefix(bytes.TrimSpace(svg), []byte("<svg")) {
		return Image{}, fmt.Errorf("charts: node SSR: output is not SVG: %.80q", svg)
	}
	return Image{MIME: "image/svg+xml", Data: svg}, nil
}
