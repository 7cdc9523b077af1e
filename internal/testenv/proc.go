package testenv

// Proc is a running process as /proc shows it (see [ReadProc]; on systems
// without /proc the functions find none).
type Proc struct {
	PID, PPID int
	Start     string // start time in clock ticks: tells a reused pid apart
	Name      string // the command name (at most 15 bytes)
	Cmdline   string
}

// Descendants lists the running processes descended from pid.
func Descendants(pid int) []Proc {
	children := map[int][]Proc{}
	for _, p := range Procs() {
		children[p.PPID] = append(children[p.PPID], p)
	}
	var out []Proc
	for queue := []int{pid}; len(queue) > 0; queue = queue[1:] {
		for _, c := range children[queue[0]] {
			out = append(out, c)
			queue = append(queue, c.PID)
		}
	}
	return out
}
