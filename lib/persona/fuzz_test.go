package persona

import (
	"math"
	"strings"
	"testing"
)

// FuzzRead checks that Read never panics and that whatever it accepts is a
// well-formed table of finite values.
func FuzzRead(f *testing.F) {
	f.Add("age,plan,spend\n31,pro,120.5\n45,free,0\n")
	f.Add("age,plan,spend,,\n1,a,2,,x\n")
	f.Add("age,plan,spend\n1,\"a\nb\",3\n")
	f.Add("spend,age,plan\n1e308,-0,x\n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := Read(strings.NewReader(in), "fuzz.csv", testSchema)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "persona: fuzz.csv") {
				t.Fatalf("error does not name the input: %v", err)
			}
			return
		}
		if tab.Len() < 1 {
			t.Fatal("accepted a table without rows")
		}
		for _, name := range []string{"age", "spend"} {
			v, err := tab.Numeric(name)
			if err != nil || len(v) != tab.Len() {
				t.Fatalf("%s: %v", name, err)
			}
			for _, x := range v {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("%s holds %v", name, x)
				}
			}
		}
		codes, levels, err := tab.Categorical("plan")
		if err != nil || len(codes) != tab.Len() {
			t.Fatal(err)
		}
		for _, c := range codes {
			if c < 0 || c >= len(levels) || levels[c] == "" {
				t.Fatalf("code %d of %q", c, levels)
			}
		}
	})
}
