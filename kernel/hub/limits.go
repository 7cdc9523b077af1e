package hub

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits confine one learner's server and every process it starts.
type Limits struct {
	// Memory is the learner's memory ceiling in bytes (a control group's
	// limit); 0 means none.
	Memory int64
	// CPUs is the learner's CPU quota in cores (a control group's
	// quota); 0 means none.
	CPUs float64
	// CPUTime is the processor time any one process of the learner may
	// use (RLIMIT_CPU; the process is killed past it); 0 means none.
	CPUTime time.Duration
	// Group names the control group under which each learner's group is
	// made ("founderlab-hub" when empty).
	Group string
}

// DefaultLimits are the limits "founderlab hub" applies unless told
// otherwise: 2 GiB and one core per learner, and 15 minutes of processor
// time per process (a cell's program, the compiler, the server).
func DefaultLimits() Limits {
	return Limits{Memory: 2 << 30, CPUs: 1, CPUTime: 15 * time.Minute}
}

// Validate reports a negative limit.
func (l Limits) Validate() error {
	if l.Memory < 0 || l.CPUs < 0 || l.CPUTime < 0 {
		return fmt.Errorf("%w: negative limit in %+v", ErrConfig, l)
	}
	if strings.ContainsAny(l.Group, "/\x00") || l.Group == "." || l.Group == ".." {
		return fmt.Errorf("%w: control group name %q", ErrConfig, l.Group)
	}
	return nil
}

func (l Limits) group() string {
	if l.Group == "" {
		return "founderlab-hub"
	}
	return l.Group
}

// RegisterFlags defines -memory, -cpus, -cpu-time and -cgroup on fs,
// storing into l; [Limits.Flags] writes them back.
func (l *Limits) RegisterFlags(fs *flag.FlagSet) {
	fs.Func("memory", "memory ceiling per learner, e.g. 2GiB or 512MiB (0: none)", func(s string) error {
		n, err := ParseBytes(s)
		l.Memory = n
		return err
	})
	fs.Float64Var(&l.CPUs, "cpus", l.CPUs, "CPU quota per learner in cores (0: none)")
	fs.DurationVar(&l.CPUTime, "cpu-time", l.CPUTime, "processor time any one process of a learner may use (0: none)")
	fs.StringVar(&l.Group, "cgroup", l.Group, "control group under which each learner's group is made")
}

// Flags renders l as the flags [Limits.RegisterFlags] defines.
func (l Limits) Flags() []string {
	return []string{
		"--memory", strconv.FormatInt(l.Memory, 10),
		"--cpus", strconv.FormatFloat(l.CPUs, 'g', -1, 64),
		"--cpu-time", l.CPUTime.String(),
		"--cgroup", l.group(),
	}
}

// ParseBytes parses a size: a number of bytes, or a number followed by
// KiB, MiB, GiB (or K, M, G, powers of 1024).
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if v, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(v), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("size %q: want a non-negative number of bytes, KiB, MiB or GiB", s)
	}
	return int64(f * float64(mult)), nil
}
