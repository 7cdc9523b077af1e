package monitor_test

import (
	"fmt"
	"time"

	"github.com/founderlab/founderlab/lib/monitor"
)

func ExampleTopics_Tag() {
	tp := monitor.DefaultTopics()
	fmt.Println(tp.Tag("$AAPL misses earnings estimates as iPhone sales slow"))
	fmt.Println(tp.Tag("Bitcoin slides after the Fed raises rates"))
	// Output:
	// [all $AAPL earnings]
	// [all crypto rates]
}

func ExampleScoreAlerts() {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	hour := func(n int) time.Time { return start.Add(time.Duration(n) * time.Hour) }
	surges := []monitor.Surge{{Start: hour(30), Buckets: 4}, {Start: hour(90), Buckets: 3}}
	alerts := []monitor.Alert{{Bucket: hour(31), Topic: monitor.All}, {Bucket: hour(60), Topic: "rates"}}
	s := monitor.ScoreAlerts(alerts, surges, start, hour(7*24), time.Hour, 2)
	fmt.Printf("detected %d of %d, delays %v, false alerts %d (%.2f a week)\n", s.Detected, s.Surges, s.Delays, s.FalseAlerts, s.FalsePerWeek)
	// Output:
	// detected 1 of 2, delays [1 -1], false alerts 1 (1.04 a week)
}
