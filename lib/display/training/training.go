// Package training shows the progress of fine-tuning (Trainer.Fit of
// lib/bert/finetune) in a notebook cell: a progress bar, a live chart of the
// loss of every step and the dev accuracy of every epoch, and one line per
// epoch.
//
//	history, err := tr.Fit(ctx, train, dev, test, training.Progress(os.Stdout))
//
// It keeps the notebook front end (GoNB's gonbui) out of the training code,
// as GoMLX keeps its notebook UI in ui/gonb, and it is a package of its own
// rather than part of lib/display so that notebooks that train nothing do
// not link GoMLX.
package training

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"time"

	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/janpfeifer/gonb/gonbui"
)

// Progress returns a progress callback for Trainer.Fit: in a GoNB notebook
// the progress bar and live chart of [NotebookProgress], otherwise plain
// lines on w, at most one every 10 seconds for steps
// (finetune.TerminalProgress).
func Progress(w io.Writer) func(finetune.Event) {
	if gonbui.IsNotebook {
		return NotebookProgress()
	}
	return finetune.TerminalProgress(w, 10*time.Second)
}

// NotebookProgress shows, in the current GoNB cell, a progress bar and a
// live chart of the training loss per step and the dev accuracy per epoch,
// redrawn at most twice a second.
func NotebookProgress() func(finetune.Event) {
	v := &view{}
	id := "finetune-" + gonbui.UniqueId()
	return func(e finetune.Event) {
		if v.update(e, time.Now()) {
			gonbui.UpdateHTML(id, v.html())
		}
	}
}

// view is what the notebook display shows, built from the events so far.
type view struct {
	losses     []float64 // every step's loss
	devAcc     []float64 // every epoch's dev accuracy
	epochLines []string
	last       time.Time // of the last redraw
	lastEvent  finetune.Event
}

// update records e and reports whether the display should be redrawn: for
// every epoch and resume event, and for steps at most every half second
// and at the last step.
func (v *view) update(e finetune.Event, now time.Time) bool {
	switch e.Kind {
	case finetune.EventStep:
		v.losses = append(v.losses, e.Loss)
		v.lastEvent = e
		if now.Sub(v.last) < 500*time.Millisecond && e.Step != e.Steps {
			return false
		}
	case finetune.EventEpoch:
		if e.Result != nil {
			v.devAcc = append(v.devAcc, e.Result.Dev.Accuracy)
			v.epochLines = append(v.epochLines, fmt.Sprintf("epoch %d: %s", e.Epoch, e.Result.Summary()))
		}
		l := &v.lastEvent
		l.Epoch, l.Epochs, l.Step, l.Steps, l.Elapsed = e.Epoch, e.Epochs, e.Step, e.Steps, e.Elapsed
	case finetune.EventResume:
		v.epochLines = append(v.epochLines, fmt.Sprintf("resumed from checkpoint at step %d", e.Step))
		v.lastEvent = e
	default:
		return false
	}
	v.last = now
	return true
}

// html renders the display: a status line, the bar, the chart and the
// epoch lines.
func (v *view) html() string {
	e := v.lastEvent
	pct := 0.0
	if e.Steps > 0 {
		pct = 100 * float64(e.Step) / float64(e.Steps)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div style="font-family:sans-serif;font-size:13px">`)
	fmt.Fprintf(&b, `<div>epoch %d/%d · step %d/%d · loss %.4f · %s</div>`, e.Epoch, e.Epochs, e.Step, e.Steps, e.Loss, html.EscapeString(e.Pace()))
	fmt.Fprintf(&b, `<div style="width:600px;height:14px;background:#eee;border-radius:3px"><div style="width:%.1f%%;height:14px;background:#4c78a8;border-radius:3px"></div></div>`, pct)
	b.WriteString(lossChart(v.losses, v.devAcc, e.Steps, e.Epochs))
	for _, l := range v.epochLines {
		fmt.Fprintf(&b, `<div>%s</div>`, html.EscapeString(l))
	}
	b.WriteString(`</div>`)
	return b.String()
}

// lossChart draws the step losses (blue, left axis from 0) and the dev
// accuracy at the end of each epoch (orange dots, right axis 0..1) as SVG.
func lossChart(losses, devAcc []float64, steps, epochs int) string {
	const w, h, pad = 600, 180, 30
	if len(losses) == 0 {
		return ""
	}
	top := 0.0
	for _, l := range losses {
		if !math.IsNaN(l) && l > top {
			top = l
		}
	}
	if top == 0 {
		top = 1
	}
	n := max(steps, len(losses))
	x := func(i float64) float64 { return pad + (w-2*pad)*i/float64(max(1, n)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg width="%d" height="%d" style="background:#fff">`, w, h)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>`, pad, h-pad, w-pad, h-pad)
	fmt.Fprintf(&b, `<text x="2" y="12" font-size="10" fill="#4c78a8">loss (max %.3g)</text>`, top)
	fmt.Fprintf(&b, `<text x="%d" y="12" font-size="10" fill="#f58518" text-anchor="end">dev accuracy</text>`, w-2)
	b.WriteString(`<polyline fill="none" stroke="#4c78a8" stroke-width="1" points="`)
	for i, l := range losses {
		fmt.Fprintf(&b, "%.1f,%.1f ", x(float64(i+1)), float64(h-pad)-(h-2*pad)*l/top)
	}
	b.WriteString(`"/>`)
	for k, a := range devAcc {
		cx := x(float64(k+1) * float64(n) / float64(max(1, epochs)))
		cy := float64(h-pad) - (h-2*pad)*a
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#f58518"/><text x="%.1f" y="%.1f" font-size="10" text-anchor="middle">%.3f</text>`, cx, cy, cx, cy-7, a)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
