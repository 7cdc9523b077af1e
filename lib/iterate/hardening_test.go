package iterate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadPlanStrict is the regression test for counts that were
// truncated (visitors: 100.5 loaded as 100) and powers outside (α, 1)
// (power: 7 was accepted): both are errors naming the file, and the line
// for the count.
func TestLoadPlanStrict(t *testing.T) {
	plan := `product: x
experiments:
  - name: cta
    control: {name: A, visitors: %s, conversions: 10}
    variant: {name: B, visitors: 100, conversions: 20}
    level: 0.95
    power: %s
`
	fill := func(visitors, power string) string {
		return strings.Replace(strings.Replace(plan, "%s", visitors, 1), "%s", power, 1)
	}
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, want string }{
		{"fractional visitors", fill("100.5", "0.8"), "line 4: experiments[0].control.visitors: 100.5 is not a whole number"},
		{"float visitors", fill("1e2", "0.8"), "experiments[0].control.visitors: 1e2 is not a whole number"},
		{"power above 1", fill("100", "7"), `experiment "cta": power must be in (0.05, 1), above the significance level 1 − level, got 7`},
		{"power 1", fill("100", "1"), "power must be in (0.05, 1)"},
		{"power below alpha", fill("100", "0.01"), "got 0.01"},
		{"power missing", strings.Replace(fill("100", "0.8"), "    power: 0.8\n", "", 1), "got 0"},
		{"second document", fill("100", "0.8") + "---\nproduct: y\n", "line 8: a second YAML document"},
		{"empty", "", "empty document"},
		{"rice overflow", "backlog: [{name: x, reach: 1e308, impact: 3, confidence: 1, effort: 1e-10}]\n", `iterate: RICE: item 0 "x": score reach 1e+308 × impact 3 × confidence 1 / effort 1e-10 overflows float64`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadPlan(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("LoadPlan: %v; want an error naming %s and %q", err, p, tc.want)
			}
		})
	}
	p := filepath.Join(dir, "ok.yaml")
	os.WriteFile(p, []byte(fill("100", "0.8")+"---\n"), 0o644)
	if plan, err := LoadPlan(p); err != nil || plan.Experiments[0].Control.Visitors != 100 {
		t.Fatalf("valid plan: %v, %v", plan, err)
	}
	if _, err := LoadPlan("../../notebooks/data/diagnosis-iteration.yaml"); err != nil {
		t.Fatalf("notebook 05's plan: %v", err)
	}
}
