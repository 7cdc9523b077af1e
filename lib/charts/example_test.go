package charts_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/founderlab/founderlab/lib/charts"
)

// In a notebook cell, build a chart and show it in one line. Outside a
// notebook Show writes why it could not (charts.ErrNotNotebook) to stderr.
func ExampleShow() {
	ks := []int{1, 2, 3, 4, 5, 6}
	inertia := []float64{920, 480, 300, 260, 240, 228}
	c := charts.Line("Elbow curve", charts.Col("k", ks), charts.Col("inertia", inertia))
	charts.Show(c)
	fmt.Println(c.Title.Title, "with", len(c.MultiSeries), "series")
	// Output: Elbow curve with 1 series
}

// Any go-echarts chart can be shown, not only the builders' charts.
func ExampleDisplay() {
	bar := ec.NewBar()
	bar.SetGlobalOptions(ec.WithTitleOpts(opts.Title{Title: "Plain go-echarts"}))
	bar.SetXAxis([]string{"a", "b"}).AddSeries("n", []opts.BarData{{Value: 3}, {Value: 5}})
	if err := charts.Display(bar); err != nil {
		fmt.Println(err == charts.ErrNotNotebook) // outside GoNB
	}
	// Output: true
}

// Plain Go programs write a standalone page. With the offline ECharts
// installed (`founderlab install`) the page carries it and opens offline;
// without, it loads ECharts from the pinned CDN (a notice on stderr says so).
func ExampleWriteHTML() {
	dir, err := os.MkdirTemp("", "charts")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "channels.html")
	c := charts.Pie("Channels", []string{"Horeca", "Retail"}, []float64{298, 142})
	if err := charts.WriteHTML(path, c); err != nil {
		log.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	html := string(page)
	fmt.Println(strings.HasPrefix(html, "<!DOCTYPE html>"), strings.Contains(html, `"Horeca"`), strings.Count(html, "echarts.init("))
	// Output: true true 1
}

// Training curves: steps as []int, one line per metric.
func ExampleLine() {
	steps := []int{0, 100, 200, 300}
	loss := []float64{2.3, 1.1, 0.7, 0.5}
	acc := []float64{0.1, 0.6, 0.8, 0.85}
	c := charts.Line("Fine-tuning", charts.Col("step", steps), charts.Col("loss", loss), charts.Col("accuracy", acc))
	for _, s := range c.MultiSeries {
		fmt.Println(s.Name)
	}
	// Output:
	// loss
	// accuracy
}

// A 2-D projection of customers coloured by cluster.
func ExampleScatterBy() {
	pc1 := []float64{-1.2, -0.8, 0.9, 1.1, 0.2}
	pc2 := []float64{0.3, 0.1, -0.5, -0.7, 1.4}
	cluster := []int{0, 0, 1, 1, 2}
	c := charts.ScatterBy("Customers (PCA)", charts.Col("PC1", pc1), charts.Col("PC2", pc2), cluster)
	for _, s := range c.MultiSeries {
		fmt.Println(s.Name)
	}
	// Output:
	// 0
	// 1
	// 2
}

// Persona centroids over features.
func ExampleRadar() {
	features := []string{"Fresh", "Milk", "Grocery", "Frozen"}
	c := charts.Radar("Personas", features,
		charts.Col("Cafés", []float64{12000, 3000, 4000, 3000}),
		charts.Col("Retailers", []float64{4000, 9000, 14000, 1500}))
	fmt.Println(len(c.MultiSeries))
	// Output: 2
}

// A confusion matrix: rows are actual classes, columns predicted ones.
func ExampleConfusionMatrix() {
	labels := []string{"flu", "cold", "allergy"}
	counts := [][]int{{40, 5, 1}, {6, 30, 2}, {0, 3, 25}}
	c := charts.ConfusionMatrix("Diagnosis", labels, counts)
	fmt.Println(c.Title.Title)
	// Output: Diagnosis
}

// Mismatched inputs are drawn as far as they pair up and reported in the subtitle.
func ExampleBar() {
	c := charts.Bar("Revenue", []string{"Q1", "Q2", "Q3"}, charts.Col("2025", []float64{1, 2}))
	fmt.Println(c.Title.Subtitle)
	// Output: ⚠ series "2025" has 2 values for 3 categories
}

func ExamplePie() {
	c := charts.Pie("Channels", []string{"Horeca", "Retail"}, []float64{298, 142})
	fmt.Println(c.MultiSeries[0].Type)
	// Output: pie
}

func ExampleFunnel() {
	c := charts.Funnel("Conversion", []string{"Visit", "Sign-up", "Paying"}, []float64{1000, 120, 18})
	fmt.Println(c.MultiSeries[0].Type)
	// Output: funnel
}

func ExampleSankey() {
	c := charts.Sankey("Acquisition",
		charts.Link{Source: "Ads", Target: "Trial", Value: 50},
		charts.Link{Source: "Referral", Target: "Trial", Value: 30},
		charts.Link{Source: "Trial", Target: "Paid", Value: 20})
	fmt.Println(len(c.MultiSeries[0].Data.([]opts.SankeyNode)))
	// Output: 4
}

func ExampleGauge() {
	c := charts.Gauge("Feasibility", "score", 72, 0, 100)
	fmt.Println(c.MultiSeries[0].Type)
	// Output: gauge
}

func ExampleHeatmap() {
	c := charts.Heatmap("Correlation", []string{"x", "y"}, []string{"x", "y"}, [][]float64{{1, 0.3}, {0.3, 1}})
	fmt.Println(c.MultiSeries[0].Type)
	// Output: heatmap
}

// The HTML fragment, for exporters and tests.
func ExampleHTML() {
	c := charts.Gauge("Feasibility", "score", 72, 0, 100)
	frag, err := charts.HTML(c, charts.CDN(), charts.NoStatic())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(frag) > 0)
	// Output: true
}
