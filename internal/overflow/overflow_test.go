package overflow

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestCheckRows(t *testing.T) {
	for _, c := range []struct {
		name string
		X    [][]float64
		n    int
		want string // "" for no error
	}{
		{"zeros", [][]float64{{0, 0}, {0, 0}}, 2, ""},
		{"ordinary", [][]float64{{1, -2}, {3e100, 4}}, 2, ""},
		// n·(2r)² ≤ MaxFloat64/2: r ≤ √(MaxFloat64/8) ≈ 4.74e153 for n = 1.
		{"just below the bound", [][]float64{{4.7e153}}, 1, ""},
		{"just above the bound", [][]float64{{0}, {4.8e153}}, 1, "X row 2: Euclidean norm 4.8e+153 exceeds 4.74e+153"},
		{"bound shrinks with n", [][]float64{{4.7e153}}, 4, "over 4 rows"},
		{"norm of a row, not its largest value", [][]float64{{4.7e153, 0}, {3.5e153, 3.5e153}}, 1, "X row 2: Euclidean norm 4.95e+153"},
		{"largest float", [][]float64{{1}, {math.MaxFloat64, -math.MaxFloat64}}, 1, "X row 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckRows("X", c.n, len(c.X), func(i int) []float64 { return c.X[i] }, "standardise them")
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, Err) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "scale the columns first (standardise them)") {
				t.Fatalf("CheckRows = %v, want an Err containing %q", err, c.want)
			}
		})
	}
}
