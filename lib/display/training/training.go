// Package training shows the progress of fine-tuning (Trainer.Fit of
// lib/bert/finetune) in a notebook cell: a progress bar, one line per
// epoch, and a live ECharts chart of the scalars that TensorBoard gets —
// the loss, learning rate and gradient norm of every update and the
// metrics of every evaluation — redrawn in place while training runs
// ([LiveChart], fed by the trainer's events through
// finetune.Event.Scalars).
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

// NotebookProgress shows, in the current GoNB cell, a progress bar with
// one line per epoch, redrawn at most twice a second, and below it a
// [LiveChart] titled "Training" of the scalars that TensorBoard gets (loss,
// learning rate, gradient norm, and every evaluation's metrics), redrawn at
// most every 2 seconds and at the end of every epoch.
func NotebookProgress() func(finetune.Event) {
	v := &view{}
	id := "finetune-" + gonbui.UniqueId()
	chart := NewLiveChart("Training")
	return func(e finetune.Event) {
		if v.update(e, time.Now()) {
			gonbui.UpdateHTML(id, v.html())
		}
		chart.Observe(e)
	}
}

// view is what the notebook display shows, built from the events so far.
type view struct {
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
		v.lastEvent = e
		if now.Sub(v.last) < 500*time.Millisecond && e.Step != e.Steps {
			return false
		}
	case finetune.EventEpoch:
		if e.Result != nil {
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

// html renders the display: a status line, the bar and the epoch lines.
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
	for _, l := range v.epochLines {
		fmt.Fprintf(&b, `<div>%s</div>`, html.EscapeString(l))
	}
	b.WriteString(`</div>`)
	return b.String()
}
