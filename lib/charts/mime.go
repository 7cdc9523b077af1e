package charts

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// MIMEType is the display type of a chart in a [MIMEBundle]: a JSON document
// that FounderLab's JupyterLab extension (kernel/labextension, installed by
// `founderlab install` for JupyterLab 4 and Notebook 7) draws with the copy
// of ECharts it carries, so that a notebook's outputs hold the chart's
// option and not the library. Front ends without the extension skip it and
// show the bundle's HTML.
//
// GoNB's display pipe carries strings, so the document travels, and is
// saved in .ipynb files, as a JSON string; readers accept a string or an
// object. Version 1 of the document:
//
//	{
//	  "version": 1,
//	  "echarts": "5.4.3",          // the ECharts release the option targets
//	  "title": "Elbow curve",
//	  "option": {...},             // go-echarts' option; a string "__f__<code>__f__" is a JavaScript function
//	  "width": "900px", "height": "500px",
//	  "theme": "white", "renderer": "canvas",
//	  "code": ["chart.on(\"click\", function (p) {...});"]   // event listeners and go-echarts JSFunctions, run with chart and echarts in scope
//	}
//
// The extension runs functions and code only for trusted outputs.
const MIMEType = "application/vnd.founderlab.echarts+json"

// mimeVersion is the version of the MIMEType document.
const mimeVersion = 1

type mimeChart struct {
	Version  int             `json:"version"`
	ECharts  string          `json:"echarts"`
	Title    string          `json:"title,omitempty"`
	Option   json.RawMessage `json:"option"`
	Width    string          `json:"width"`
	Height   string          `json:"height"`
	Theme    string          `json:"theme"`
	Renderer string          `json:"renderer"`
	Code     []string        `json:"code,omitempty"`
}

// mimeDocument returns the MIMEType document of a chart.
func mimeDocument(info chartInfo, width, height string, code []string) (string, error) {
	var opt bytes.Buffer
	if err := json.Compact(&opt, []byte(info.optionJSON)); err != nil {
		return "", fmt.Errorf("charts: chart options are not valid JSON: %w", err)
	}
	b, err := json.Marshal(mimeChart{
		Version: mimeVersion, ECharts: EChartsVersion, Title: info.title, Option: opt.Bytes(),
		Width: width, Height: height, Theme: info.theme, Renderer: info.engine, Code: code,
	})
	if err != nil {
		return "", fmt.Errorf("charts: %s document: %w", MIMEType, err)
	}
	return string(b), nil
}
