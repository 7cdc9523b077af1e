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

// A classifier that finds about half of the bearish texts makes a 3-fold
// surge of the true bearish share look much smaller in the texts it calls
// bearish; the detector works on the true share through the calibration.
func ExampleCalibration() {
	cal := monitor.DefaultCalibration()
	called := func(share float64) float64 { return share*cal.Recall + (1-share)*cal.FalsePositive }
	fmt.Printf("true share 0.15 → %.3f called bearish\n", called(0.15))
	fmt.Printf("true share 0.45 → %.3f called bearish\n", called(0.45))
	// Output:
	// true share 0.15 → 0.114 called bearish
	// true share 0.45 → 0.262 called bearish
}
