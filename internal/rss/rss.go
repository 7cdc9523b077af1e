// Package rss reads the peak resident set size of this process, for the
// memory columns of benchmarks and fine-tuning comparisons. It reads Linux's
// /proc; elsewhere Peak reports 0 and ResetPeak does nothing.
package rss

import (
	"os"
	"strconv"
	"strings"
)

// ResetPeak resets the process's peak resident set size (writing 5 to
// /proc/self/clear_refs), so that a later Peak covers only what follows.
func ResetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// PeakMiB returns the process's peak resident set size (VmHWM in
// /proc/self/status) in MiB, or 0 where it cannot be read.
func PeakMiB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				kb, _ := strconv.ParseFloat(f[0], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
