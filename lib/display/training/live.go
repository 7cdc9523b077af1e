package training

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/charts"
	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Point is one logged value of a scalar: its update step and value.
type Point struct {
	Step  int
	Value float64
}

// Scalars collects training scalars by TensorBoard tag ("train/loss",
// "dev/accuracy", …), in the order their tags first appear.
type Scalars struct {
	tags   []string
	series map[string][]Point
}

// Add records value v of tag at step.
func (s *Scalars) Add(step int, tag string, v float64) {
	if s.series == nil {
		s.series = map[string][]Point{}
	}
	if _, ok := s.series[tag]; !ok {
		s.tags = append(s.tags, tag)
	}
	s.series[tag] = append(s.series[tag], Point{step, v})
}

// AddEvent records the scalars of a fine-tuning event — those that
// finetune.Options.LogDir writes to TensorBoard for it
// (finetune.Event.Scalars), at the event's step — and reports whether it
// had any. The tags of one event are added in sorted order.
func (s *Scalars) AddEvent(e finetune.Event) bool {
	v := e.Scalars()
	tags := make([]string, 0, len(v))
	for t := range v {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	for _, t := range tags {
		s.Add(e.Step, t, v[t])
	}
	return len(v) > 0
}

// Tags lists the tags recorded, in the order they first appeared.
func (s *Scalars) Tags() []string { return slices.Clone(s.tags) }

// Series returns the points of tag (nil if none).
func (s *Scalars) Series(tag string) []Point { return slices.Clone(s.series[tag]) }

// panel is one of the chart's four plots.
type panel struct {
	title string
	has   func(tag string) bool
}

// panels sorts the tags into the plots of [Scalars.Chart]: losses, the
// learning rate, the gradient norm, and every other metric.
var panels = []panel{
	{"loss", func(t string) bool { return strings.HasSuffix(t, "loss") }},
	{"learning rate", func(t string) bool { return strings.HasSuffix(t, "learning_rate") }},
	{"gradient norm", func(t string) bool { return strings.HasSuffix(t, "grad_norm") }},
	{"metrics", func(string) bool { return true }},
}

// panelOf returns the index of the panel that draws tag.
func panelOf(tag string) int {
	for i, p := range panels {
		if p.has(tag) {
			return i
		}
	}
	return len(panels) - 1
}

// maxPoints is the most points drawn of one series; longer series are
// thinned to every k-th point (keeping the last).
const maxPoints = 1000

// Chart draws the scalars as an ECharts line chart of four plots against
// the update step: losses (train/loss, train/epoch_loss, dev/loss), the
// learning rate, the gradient norm, and the metrics (accuracy and F1 shown;
// precision, recall and ROC-AUC listed in the legend, hidden until
// clicked). Series of more than 1,000 points are thinned evenly.
func (s *Scalars) Chart(title string) *ec.Line {
	c := ec.NewLine()
	c.SetGlobalOptions(ec.WithTitleOpts(opts.Title{Title: title}))
	titles := []any{map[string]any{"text": title, "left": "center", "top": 0, "textStyle": map[string]any{"fontSize": 14}}}
	var grids, xAxes, yAxes, series []any
	selected := map[string]bool{}
	var names []string
	for i, p := range panels {
		left, top := 8+50*(i%2), 10+42*(i/2)
		grids = append(grids, map[string]any{"left": fmt.Sprintf("%d%%", left), "top": fmt.Sprintf("%d%%", top),
			"width": "38%", "height": "28%", "containLabel": true})
		titles = append(titles, map[string]any{"text": p.title, "left": fmt.Sprintf("%d%%", left), "top": fmt.Sprintf("%d%%", top-5),
			"textStyle": map[string]any{"fontSize": 12, "fontWeight": "normal"}})
		xAxes = append(xAxes, map[string]any{"type": "value", "gridIndex": i, "name": "step", "nameLocation": "end", "min": 0, "minInterval": 1})
		yAxes = append(yAxes, map[string]any{"type": "value", "gridIndex": i, "scale": true})
	}
	for _, tag := range s.tags {
		pts := s.series[tag]
		k := (len(pts) + maxPoints - 1) / maxPoints
		data := make([]any, 0, min(len(pts), maxPoints)+1)
		for j, p := range pts {
			if j%k != 0 && j != len(pts)-1 {
				continue
			}
			var y any = p.Value
			if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
				y = "-"
			}
			data = append(data, []any{p.Step, y})
		}
		i := panelOf(tag)
		series = append(series, map[string]any{"type": "line", "name": tag, "xAxisIndex": i, "yAxisIndex": i,
			"data": data, "showSymbol": len(pts) <= 30, "symbolSize": 5})
		names = append(names, tag)
		if i == len(panels)-1 && !strings.HasSuffix(tag, "accuracy") && !strings.HasSuffix(tag, "f1") {
			selected[tag] = false
		}
	}
	c.Accept(charts.Patch(func(o map[string]any) {
		o["title"], o["grid"], o["xAxis"], o["yAxis"], o["series"] = titles, grids, xAxes, yAxes, series
		o["legend"] = map[string]any{"show": true, "bottom": 0, "data": names, "selected": selected, "type": "scroll"}
		o["tooltip"] = map[string]any{"show": true, "trigger": "axis"}
		o["animation"] = false
	}))
	return c
}

// LiveChart draws training scalars in the current notebook cell and
// redraws them in place (one GoNB display, updated) as training goes on.
// Give [LiveChart.Observe] to Trainer.Fit as its progress callback, or
// call it from one that does more.
//
// Redraws between epochs are light: no static picture, and ECharts taken
// from the page (the first drawing carries it, about 440 KB packed). The
// drawing at the end of every epoch — the run's last drawing is one — adds
// its static SVG picture, so that the saved notebook and its exports show
// the final curves even where no script runs.
type LiveChart struct {
	// Title heads the chart; the step count is appended.
	Title string
	// Interval is the least time between two redraws within an epoch
	// (default 2 s).
	Interval time.Duration
	// Width and Height are the chart's size in pixels (default 900 × 560).
	Width, Height int

	scalars Scalars
	id      string
	drawn   int // drawings sent
	last    time.Time
	err     error
	step    int
	steps   int
}

// NewLiveChart returns a live chart with the given title and the default
// size and interval.
func NewLiveChart(title string) *LiveChart {
	return &LiveChart{Title: title, Interval: 2 * time.Second, Width: 900, Height: 560, id: "founderlab-live-" + gonbui.UniqueId()}
}

// Scalars returns the scalars recorded so far.
func (c *LiveChart) Scalars() *Scalars { return &c.scalars }

// Err returns the first error of a drawing, if any: drawing failures do
// not stop training.
func (c *LiveChart) Err() error { return c.err }

// Observe records e's scalars and redraws the chart at the end of every
// epoch and, within an epoch, at most once per Interval. Outside a
// notebook it only records.
func (c *LiveChart) Observe(e finetune.Event) {
	if !c.scalars.AddEvent(e) {
		return
	}
	c.step, c.steps = e.Step, e.Steps
	now := time.Now()
	epochEnd := e.Kind == finetune.EventEpoch
	if !epochEnd && c.drawn > 0 && now.Sub(c.last) < c.Interval {
		return
	}
	c.last = now
	if err := c.Draw(epochEnd); err != nil && c.err == nil {
		c.err = err
	}
}

// ChartTitle returns the chart's full title: Title and "step s/n".
func (c *LiveChart) ChartTitle() string {
	return fmt.Sprintf("%s: step %d/%d", c.Title, c.step, c.steps)
}

// Draw shows the chart (or replaces its previous drawing); complete adds
// the static picture. Outside a notebook it does nothing.
func (c *LiveChart) Draw(complete bool) error {
	if !gonbui.IsNotebook {
		return nil
	}
	// The first drawing brings ECharts to the page for the redraws that
	// replace it; later ones take it from there (in a saved notebook, from
	// the carrier of another chart, or else show the static picture).
	o := []charts.Option{charts.Size(c.Width, c.Height), charts.Shared(), charts.Carrier(c.drawn == 0)}
	if !complete {
		o = append(o, charts.NoStatic())
	}
	b, err := charts.MIMEBundle(c.scalars.Chart(c.ChartTitle()), o...)
	if err != nil {
		return fmt.Errorf("training: live chart: %w", err)
	}
	data := make(map[protocol.MIMEType]any, len(b))
	for k, v := range b {
		data[protocol.MIMEType(k)] = v
	}
	gonbui.SendData(&protocol.DisplayData{Data: data, DisplayID: c.id})
	c.drawn++
	if complete {
		gonbui.Sync()
		if err := gonbui.Error(); err != nil {
			return fmt.Errorf("training: live chart: %w", err)
		}
	}
	return nil
}
