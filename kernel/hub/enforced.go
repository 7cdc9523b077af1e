package hub

import (
	"fmt"
	"strings"
)

// Enforced says which of a learner's [Limits] [Confine] could enforce.
type Enforced struct {
	// Cgroup is the learner's control group directory, "" when none.
	Cgroup string
	// Memory, CPUs and CPUTime are set for each limit in force.
	Memory, CPUs, CPUTime bool
	// CgroupErr says why a control group limit could not be set.
	CgroupErr error
}

// String is a one-line summary for the learner's server log.
func (e Enforced) String() string {
	var on []string
	for _, x := range []struct {
		ok   bool
		name string
	}{{e.Memory, "memory ceiling"}, {e.CPUs, "CPU quota"}, {e.CPUTime, "CPU time per process"}} {
		if x.ok {
			on = append(on, x.name)
		}
	}
	s := "limits in force: none"
	if len(on) > 0 {
		s = "limits in force: " + strings.Join(on, ", ")
	}
	if e.Cgroup != "" {
		s += " (control group " + e.Cgroup + ")"
	}
	if e.CgroupErr != nil {
		s += fmt.Sprintf("; control groups unavailable: %v", e.CgroupErr)
	}
	return s
}

// safeName maps a learner's name to a file name: letters, digits, '.',
// '_' and '-' are kept, anything else becomes '_'.
func safeName(name string) string {
	b := []byte(name)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			b[i] = '_'
		}
	}
	s := string(b)
	if s == "" || s == "." || s == ".." {
		s = "_" + s
	}
	return s
}
