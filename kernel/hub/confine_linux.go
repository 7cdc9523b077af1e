package hub

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cgroupRoot is where control group hierarchies are mounted.
const cgroupRoot = "/sys/fs/cgroup"

// Confine applies l to the calling process (and so to everything it
// starts afterwards) for the learner called name: it moves the process
// into its own control group with l's memory ceiling and CPU quota, where
// the system allows, and sets RLIMIT_CPU. It returns what it enforced; an
// error means a limit that was asked for could not be set at all, and
// Enforced still says what was.
func Confine(name string, l Limits) (Enforced, error) {
	var e Enforced
	if err := l.Validate(); err != nil {
		return e, err
	}
	if l.Memory > 0 || l.CPUs > 0 {
		e.Cgroup, e.Memory, e.CPUs, e.CgroupErr = cgroupConfine(filepath.Join(l.group(), safeName(name)), l)
	}
	if l.CPUTime > 0 {
		secs := uint64((l.CPUTime + 999_999_999) / 1e9)
		if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: secs, Max: secs}); err != nil {
			return e, fmt.Errorf("hub: RLIMIT_CPU: %w", err)
		}
		e.CPUTime = true
	}
	return e, nil
}

// cgroupConfine moves this process into group (relative to its current
// control groups) with l's limits, under cgroup v1 (memory and cpu
// hierarchies) or v2.
func cgroupConfine(group string, l Limits) (path string, mem, cpu bool, err error) {
	own, err := ownCgroups()
	if err != nil {
		return "", false, false, err
	}
	pid := []byte(strconv.Itoa(os.Getpid()))
	if _, err := os.Stat(filepath.Join(cgroupRoot, "memory")); err == nil {
		// cgroup v1: one hierarchy per controller.
		var errs []string
		if l.Memory > 0 {
			d := filepath.Join(cgroupRoot, "memory", own["memory"], group)
			if err := v1Set(d, pid, map[string]string{"memory.limit_in_bytes": strconv.FormatInt(l.Memory, 10)}); err != nil {
				errs = append(errs, err.Error())
			} else {
				mem, path = true, d
			}
		}
		if l.CPUs > 0 {
			d := filepath.Join(cgroupRoot, "cpu", own["cpu"], group)
			if err := v1Set(d, pid, map[string]string{"cpu.cfs_period_us": "100000",
				"cpu.cfs_quota_us": strconv.Itoa(int(l.CPUs * 100000))}); err != nil {
				errs = append(errs, err.Error())
			} else {
				cpu = true
				if path == "" {
					path = d
				}
			}
		}
		if len(errs) > 0 {
			err = fmt.Errorf("cgroup v1: %s", strings.Join(errs, "; "))
		}
		return path, mem, cpu, err
	}
	// cgroup v2: a single hierarchy; controllers must be enabled in each
	// parent's subtree_control.
	base := filepath.Join(cgroupRoot, own[""])
	parent := filepath.Join(base, filepath.Dir(group))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", false, false, fmt.Errorf("cgroup v2: %w", err)
	}
	for _, d := range []string{base, parent} {
		if err := os.WriteFile(filepath.Join(d, "cgroup.subtree_control"), []byte("+memory +cpu"), 0); err != nil {
			return "", false, false, fmt.Errorf("cgroup v2: enabling memory and cpu in %s: %w", d, err)
		}
	}
	d := filepath.Join(base, group)
	files := map[string]string{}
	if l.Memory > 0 {
		files["memory.max"] = strconv.FormatInt(l.Memory, 10)
	}
	if l.CPUs > 0 {
		files["cpu.max"] = fmt.Sprintf("%d 100000", int(l.CPUs*100000))
	}
	if err := v1Set(d, pid, files); err != nil {
		return "", false, false, fmt.Errorf("cgroup v2: %w", err)
	}
	return d, l.Memory > 0, l.CPUs > 0, nil
}

// v1Set creates control group d, writes files into it and then moves pid
// into it.
func v1Set(d string, pid []byte, files map[string]string) error {
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	// cfs_period before cfs_quota: map order is random, so write in name
	// order ("cpu.cfs_period_us" < "cpu.cfs_quota_us").
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			if names[j] < names[i] {
				names[i], names[j] = names[j], names[i]
			}
		}
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(d, n), []byte(files[n]), 0); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(d, "cgroup.procs"), pid, 0)
}

// ownCgroups reads /proc/self/cgroup: controller name ("" for cgroup v2)
// to the path of this process's group.
func ownCgroups() (map[string]string, error) {
	f, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		parts := strings.SplitN(s.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[1] == "" {
			m[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			m[c] = parts[2]
		}
	}
	return m, s.Err()
}

// Release kills every process left in the learners' control groups under
// group (a kernel whose server is gone, a cell's program) and removes the
// groups. JupyterHub stops the servers; what they leave behind is ended
// here. Without control groups it does nothing.
func Release(group string) error {
	own, err := ownCgroups()
	if err != nil {
		return err
	}
	var dirs []string
	if _, err := os.Stat(filepath.Join(cgroupRoot, "memory")); err == nil {
		dirs = []string{filepath.Join(cgroupRoot, "memory", own["memory"], group), filepath.Join(cgroupRoot, "cpu", own["cpu"], group)}
	} else {
		dirs = []string{filepath.Join(cgroupRoot, own[""], group)}
	}
	var errs []string
	for _, d := range dirs {
		learners, err := os.ReadDir(d)
		if err != nil {
			continue // never made
		}
		for _, l := range learners {
			if !l.IsDir() {
				continue
			}
			ld := filepath.Join(d, l.Name())
			for range 50 {
				b, _ := os.ReadFile(filepath.Join(ld, "cgroup.procs"))
				pids := strings.Fields(string(b))
				for _, p := range pids {
					if pid, err := strconv.Atoi(p); err == nil && pid != os.Getpid() {
						syscall.Kill(pid, syscall.SIGKILL)
					}
				}
				if os.Remove(ld) == nil {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if _, err := os.Stat(ld); err == nil {
				errs = append(errs, ld)
			}
		}
		os.Remove(d)
	}
	if len(errs) > 0 {
		return fmt.Errorf("hub: control groups not emptied: %s", strings.Join(errs, ", "))
	}
	return nil
}
