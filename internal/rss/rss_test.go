package rss

import (
	"os"
	"runtime"
	"testing"
)

// TestPeakGrowsWithAllocation touches 64 MiB and checks that the peak
// counts them.
func TestPeakGrowsWithAllocation(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		if runtime.GOOS == "linux" {
			t.Fatal(err)
		}
		if PeakMiB() != 0 {
			t.Fatal("PeakMiB without /proc is not 0")
		}
		return
	}
	before := PeakMiB()
	if before <= 0 {
		t.Fatalf("PeakMiB = %v, want > 0", before)
	}
	b := make([]byte, 64<<20)
	for i := range b {
		b[i] = 1
	}
	after := PeakMiB()
	runtime.KeepAlive(b)
	if after < before+60 && after < 64 {
		t.Fatalf("PeakMiB after touching 64 MiB = %v (before %v)", after, before)
	}
}
