package finetune

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Progress returns a progress callback for [Trainer.Fit]: in a GoNB notebook
// a progress bar with a live loss/accuracy chart ([NotebookProgress]),
// otherwise plain lines on w ([TerminalProgress]).
func Progress(w io.Writer) func(Event) {
	if gonbui.IsNotebook {
		return NotebookProgress()
	}
	return TerminalProgress(w, 10*time.Second)
}

// TerminalProgress writes one plain line per epoch, per checkpoint resume,
// and at most one line per interval for training steps:
//
//	epoch 1/5 step 40/255 (16%) loss 0.6412 lr 1.98e-05 0.84 s/step eta 3m0s
//	epoch 1/5 done: train loss 0.5211 acc 0.7310 | dev acc 0.8610 f1 0.8421 auc 0.9310 | 3m34s
func TerminalProgress(w io.Writer, interval time.Duration) func(Event) {
	var last time.Time
	return func(e Event) {
		switch e.Kind {
		case "resume":
			fmt.Fprintf(w, "resuming from checkpoint at step %d/%d (epoch %d/%d)\n", e.Step, e.Steps, e.Epoch, e.Epochs)
		case "step":
			if time.Since(last) < interval && e.Step != e.Steps && e.Step != 1 {
				return
			}
			last = time.Now()
			fmt.Fprintf(w, "epoch %d/%d step %d/%d (%d%%) loss %.4f lr %.3g %s\n", e.Epoch, e.Epochs, e.Step, e.Steps,
				100*e.Step/max(1, e.Steps), e.Loss, e.LR, rate(e))
		case "epoch":
			fmt.Fprintf(w, "epoch %d/%d done: %s | %s\n", e.Epoch, e.Epochs, summary(e.Result), e.Elapsed.Round(time.Second))
		}
	}
}

func rate(e Event) string {
	if e.Step == 0 {
		return ""
	}
	per := e.Elapsed / time.Duration(e.Step)
	return fmt.Sprintf("%.2f s/step eta %s", per.Seconds(), (per * time.Duration(e.Steps-e.Step)).Round(time.Second))
}

func summary(r *EpochResult) string {
	if r == nil {
		return ""
	}
	s := fmt.Sprintf("train loss %.4f acc %.4f", r.TrainLoss, r.TrainAcc)
	if r.Dev.N > 0 {
		s += fmt.Sprintf(" | dev loss %.4f acc %.4f f1 %.4f", r.DevLoss, r.Dev.Accuracy, r.Dev.F1)
		if r.Dev.ROCAUC != 0 {
			s += fmt.Sprintf(" auc %.4f", r.Dev.ROCAUC)
		}
	}
	if r.Test != nil {
		s += fmt.Sprintf(" | test acc %.4f f1 %.4f", r.Test.Accuracy, r.Test.F1)
	}
	return s
}

// NotebookProgress shows, in the current GoNB cell, a progress bar and a
// live chart of the training loss per step and the dev accuracy per epoch,
// redrawn at most twice a second.
func NotebookProgress() func(Event) {
	id := "finetune-" + gonbui.UniqueId()
	var losses []float64
	var devAcc []float64
	var epochLines []string
	var last time.Time
	var lastEvent Event
	draw := func() {
		e := lastEvent
		pct := 0.0
		if e.Steps > 0 {
			pct = 100 * float64(e.Step) / float64(e.Steps)
		}
		var b strings.Builder
		fmt.Fprintf(&b, `<div style="font-family:sans-serif;font-size:13px">`)
		fmt.Fprintf(&b, `<div>epoch %d/%d · step %d/%d · loss %.4f · %s</div>`, e.Epoch, e.Epochs, e.Step, e.Steps, e.Loss, html.EscapeString(rate(e)))
		fmt.Fprintf(&b, `<div style="width:600px;height:14px;background:#eee;border-radius:3px"><div style="width:%.1f%%;height:14px;background:#4c78a8;border-radius:3px"></div></div>`, pct)
		b.WriteString(lossChart(losses, devAcc, e.Steps, e.Epochs))
		for _, l := range epochLines {
			fmt.Fprintf(&b, `<div>%s</div>`, html.EscapeString(l))
		}
		b.WriteString(`</div>`)
		gonbui.UpdateHTML(id, b.String())
	}
	return func(e Event) {
		switch e.Kind {
		case "step":
			losses = append(losses, e.Loss)
			lastEvent = e
			if time.Since(last) < 500*time.Millisecond && e.Step != e.Steps {
				return
			}
		case "epoch":
			if e.Result != nil {
				devAcc = append(devAcc, e.Result.Dev.Accuracy)
				epochLines = append(epochLines, fmt.Sprintf("epoch %d: %s", e.Epoch, summary(e.Result)))
			}
			lastEvent.Epoch, lastEvent.Epochs, lastEvent.Step, lastEvent.Steps, lastEvent.Elapsed = e.Epoch, e.Epochs, e.Step, e.Steps, e.Elapsed
		case "resume":
			epochLines = append(epochLines, fmt.Sprintf("resumed from checkpoint at step %d", e.Step))
			lastEvent = e
		default:
			return
		}
		last = time.Now()
		draw()
	}
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
