package swot

import (
	"fmt"
	"sort"
)

// TRLLevel is one level of the technology readiness scale with the
// checklist items that evidence it.
type TRLLevel struct {
	Level int
	Name  string    // the EU Horizon 2020 wording
	Items []TRLItem // evidence required to claim the level
}

// TRLItem is one checklist item, identified as "level.n" (e.g. "4.2").
type TRLItem struct {
	ID   string
	Text string
}

// Checklist returns the nine TRL levels (EU Horizon 2020 Work Programme,
// General Annex G) with an evidence checklist worded for software and
// data-driven products. A fresh slice is returned on every call.
func Checklist() []TRLLevel {
	l := func(level int, name string, items ...string) TRLLevel {
		t := TRLLevel{Level: level, Name: name}
		for i, it := range items {
			t.Items = append(t.Items, TRLItem{ID: fmt.Sprintf("%d.%d", level, i+1), Text: it})
		}
		return t
	}
	return []TRLLevel{
		l(1, "Basic principles observed",
			"Scientific literature supports the underlying principle",
			"The problem and the physical/statistical effect to exploit are written down"),
		l(2, "Technology concept formulated",
			"A concept of the product and its core algorithm is described",
			"Practical applications and users are identified"),
		l(3, "Experimental proof of concept",
			"A prototype of the core algorithm runs on sample data",
			"Measured results support the concept's key claim"),
		l(4, "Technology validated in lab",
			"Components are integrated and tested on a representative offline dataset",
			"Performance metrics are recorded against a baseline"),
		l(5, "Technology validated in relevant environment",
			"The system is tested on real-world data from the target setting",
			"Data protection and safety requirements are identified"),
		l(6, "Technology demonstrated in relevant environment",
			"A prototype is demonstrated to target users in a realistic setting",
			"User feedback is collected and acted on"),
		l(7, "System prototype demonstration in operational environment",
			"A pilot runs in an operational environment with real users",
			"Operational metrics (uptime, latency, error rates) are monitored"),
		l(8, "System complete and qualified",
			"The final system passes its qualification tests",
			"Required certification or regulatory approval is obtained"),
		l(9, "Actual system proven in operational environment",
			"The system is in commercial operation",
			"Field data show the system performing as intended over time"),
	}
}

// TRLAssessment is the result of reading evidence against a checklist.
type TRLAssessment struct {
	// Level is the highest level whose items, and those of all lower
	// levels, are evidenced (0 when level 1 is incomplete).
	Level int
	// Done[i] is the fraction of level i+1's items that are evidenced.
	Done []float64
	// Missing lists the unevidenced items of the next level (empty at 9).
	Missing []TRLItem
	// Ahead lists evidenced items above the next level: claims made
	// without the lower levels that support them.
	Ahead []string
}

// AssessTRL assesses evidence (item IDs such as "3.1") against checklist.
// It returns an error naming any ID the checklist does not contain.
func AssessTRL(checklist []TRLLevel, evidence []string) (TRLAssessment, error) {
	have := map[string]bool{}
	known := map[string]int{}
	for _, l := range checklist {
		for _, it := range l.Items {
			known[it.ID] = l.Level
		}
	}
	for _, id := range evidence {
		if _, ok := known[id]; !ok {
			return TRLAssessment{}, fmt.Errorf("swot: TRL evidence %q is not a checklist item", id)
		}
		have[id] = true
	}
	levels := append([]TRLLevel(nil), checklist...)
	sort.Slice(levels, func(i, j int) bool { return levels[i].Level < levels[j].Level })
	var a TRLAssessment
	complete := true
	for _, l := range levels {
		n := 0
		var miss []TRLItem
		for _, it := range l.Items {
			if have[it.ID] {
				n++
			} else {
				miss = append(miss, it)
			}
		}
		frac := 1.0
		if len(l.Items) > 0 {
			frac = float64(n) / float64(len(l.Items))
		}
		a.Done = append(a.Done, frac)
		switch {
		case complete && len(miss) == 0:
			a.Level = l.Level
		case complete:
			complete = false
			a.Missing = miss
		}
	}
	for _, id := range evidence {
		if known[id] > a.Level+1 {
			a.Ahead = append(a.Ahead, id)
		}
	}
	sort.Strings(a.Ahead)
	return a, nil
}
