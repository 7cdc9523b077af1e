package main

import (
	"context"
	"sort"
	"time"

	"github.com/founderlab/founderlab/lib/bert/finetune"
)

// runPair trains full and lora (two trainers of the same model) at once,
// alternating their steps — one step of full, one of lora, and so on —
// so that changes in the machine's load hit both alike. It returns the
// median milliseconds per step of each, after warmup steps.
func runPair(full, lora *finetune.Trainer, ex []finetune.Example, warmup int) (fullMS, loraMS float64, err error) {
	fullTok, loraTok := make(chan struct{}, 1), make(chan struct{}, 1)
	run := func(tr *finetune.Trainer, mine, other chan struct{}, times *[]float64) error {
		<-mine
		start := time.Now()
		_, err := tr.Fit(context.Background(), ex, nil, nil, func(e finetune.Event) {
			if e.Kind != finetune.EventStep {
				return
			}
			if e.Step > warmup {
				*times = append(*times, float64(time.Since(start).Microseconds())/1000)
			}
			other <- struct{}{} // the other trainer's turn
			<-mine
			start = time.Now()
		})
		other <- struct{}{} // release the other for good
		return err
	}
	var fullTimes, loraTimes []float64
	done := make(chan error, 1)
	go func() { done <- run(lora, loraTok, fullTok, &loraTimes) }()
	fullTok <- struct{}{}
	errFull := run(full, fullTok, loraTok, &fullTimes)
	errLora := <-done
	if errFull != nil {
		return 0, 0, errFull
	}
	if errLora != nil {
		return 0, 0, errLora
	}
	return median(fullTimes), median(loraTimes), nil
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	sort.Float64s(x)
	return x[len(x)/2]
}
