package iterate

import (
	"fmt"
	"math"

	htmltable "github.com/founderlab/founderlab/lib/table"
)

// table renders a caption, a header and rows of formatted figures.
func table(caption string, header []string, rows [][]string) string {
	return htmltable.Numbers(caption, header, rows)
}

func pct(x float64, prec int) string {
	if math.IsNaN(x) {
		return "—"
	}
	return fmt.Sprintf("%.*f %%", prec, 100*x)
}

// HTML renders the test: both arms, the difference with its interval, z
// and the p-value.
func (t ABTest) HTML() string {
	verdict := "not significant"
	if t.Significant {
		verdict = "significant"
	}
	rows := [][]string{
		{"Control (A)", fmt.Sprint(t.NA), fmt.Sprint(t.XA), pct(t.PA, 2)},
		{"Variant (B)", fmt.Sprint(t.NB), fmt.Sprint(t.XB), pct(t.PB, 2)},
	}
	return table("A/B test", []string{"Arm", "Visitors", "Conversions", "Rate"}, rows) +
		table("", []string{"Difference B − A", fmt.Sprintf("%.0f %% CI", 100*t.Level), "Relative lift", "z", "p-value", "Verdict"},
			[][]string{{pct(t.Diff, 2), fmt.Sprintf("[%s, %s]", pct(t.CILow, 2), pct(t.CIHigh, 2)), pct(t.Lift, 1),
				fmt.Sprintf("%.3f", t.Z), fmt.Sprintf("%.4f", t.PValue), verdict}})
}

// SurveyHTML renders NPS and CSAT side by side.
func SurveyHTML(n NPS, c CSAT) string {
	rows := [][]string{
		{"NPS (0–10)", fmt.Sprint(n.N), fmt.Sprintf("%d promoters, %d passives, %d detractors", n.Promoters, n.Passives, n.Detractors),
			fmt.Sprintf("%+.1f ± %.1f", n.Score, 1.96*n.SE)},
		{"CSAT (1–5)", fmt.Sprint(c.N), fmt.Sprintf("%d satisfied (4–5), mean %.2f", c.Satisfied, c.Mean), fmt.Sprintf("%.1f %%", c.Score)},
	}
	return table("Survey", []string{"Measure", "Answers", "Breakdown", "Score (95 % margin for NPS)"}, rows)
}

// FunnelHTML renders funnel steps with their conversions.
func FunnelHTML(steps []StepResult) string {
	var rows [][]string
	for _, s := range steps {
		rows = append(rows, []string{s.Name, fmt.Sprintf("%.0f", s.Count), pct(s.FromPrevious, 1), pct(s.FromStart, 1), pct(s.DropOff, 1)})
	}
	return table("Funnel", []string{"Step", "Users", "From previous", "From start", "Drop-off"}, rows)
}

// BacklogHTML renders a RICE-ranked backlog.
func BacklogHTML(items []Ranked) string {
	var rows [][]string
	for _, r := range items {
		rows = append(rows, []string{fmt.Sprintf("%d. %s", r.Rank, r.Name), fmt.Sprintf("%g", r.Reach), fmt.Sprintf("%g", r.Impact),
			pct(r.Confidence, 0), fmt.Sprintf("%g", r.Effort), fmt.Sprintf("%.1f", r.Score)})
	}
	return table("Backlog by RICE", []string{"Item", "Reach", "Impact", "Confidence", "Effort", "RICE"}, rows)
}
