package canvas

import (
	"slices"
	"testing"
)

// vignetteSurvey regenerates the simulated survey of the "Using Weighted
// Survey Data" vignette of the R package pricesensitivitymeter (Alletsee,
// version 1.3.3, https://max-alletsee.github.io/pricesensitivitymeter/
// articles/weighted-data.html), section "Identical Results When Weights Are
// Identical":
//
//	set.seed(20)
//	input_data_2 <- data.frame(tch = round(rnorm(250, 4, 0.5), 2),
//	    ch = round(rnorm(250, 8, 0.5), 2), ex = round(rnorm(250, 12, 0.5), 2),
//	    tex = round(rnorm(250, 16, 0.5), 2),
//	    gender = sample(c("male", "female"), 250, replace = TRUE, prob = c(0.5, 0.5)))
//	# women's prices × 1.5
//	input_data_3 <- input_data_2
//	manipulated_men <- sample(which(input_data_2$gender == "male"), 10)
//	input_data_3$ch[manipulated_men] <- input_data_3$tex[manipulated_men]
//
// It returns both data sets, the number of women and the manipulated rows.
func vignetteSurvey() (data2, data3 []PSMAnswer, women int, manipulated []int) {
	r := newRRand(20)
	col := func(mean float64) []float64 {
		x := r.rnorm(250, mean, 0.5)
		for i := range x {
			x[i] = rRound(x[i], 2)
		}
		return x
	}
	tch, ch, ex, tex := col(4), col(8), col(12), col(16)
	gender := r.sampleProb([]float64{.5, .5}, 250) // 1 male, 2 female
	var men []int
	for i, g := range gender {
		if g == 2 {
			women++
			tch[i], ch[i], ex[i], tex[i] = tch[i]*1.5, ch[i]*1.5, ex[i]*1.5, tex[i]*1.5
		} else {
			men = append(men, i)
		}
	}
	for i := range tch {
		data2 = append(data2, PSMAnswer{tch[i], ch[i], ex[i], tex[i]})
	}
	data3 = append([]PSMAnswer(nil), data2...)
	for _, k := range r.sampleIndex(len(men), 10) {
		i := men[k-1]
		manipulated = append(manipulated, i+1)
		data3[i].Cheap = data3[i].TooExpensive
	}
	return data2, data3, women, manipulated
}

// TestVanWestendorpPublished reproduces the two unweighted analyses that
// the vignette prints with summary() (check_unweighted_1 and
// check_unweighted_2):
//
//	Accepted Price Range: 7.17 - 16.82    Indifference Price Point: 12.055
//	Optimal Price Point: 7.995            250 cases analyzed
//
//	Accepted Price Range: 7.22 - 17.03    Indifference Price Point: 12.0725
//	Optimal Price Point: 7.995            240 cases analyzed, 10 removed
//
// summary() rounds the range to two decimals and prints the other points
// with seven significant digits.
func TestVanWestendorpPublished(t *testing.T) {
	data2, data3, women, manipulated := vignetteSurvey()
	// The regenerated data must be the vignette's: R 4.2.2 gives 127 women
	// and manipulates rows 1 12 25 69 91 99 111 163 167 226 (sorted).
	if women != 127 {
		t.Fatalf("women = %d, want 127: the generator does not reproduce R", women)
	}
	slices.Sort(manipulated)
	if want := []int{1, 12, 25, 69, 91, 99, 111, 163, 167, 226}; !slices.Equal(manipulated, want) {
		t.Fatalf("manipulated rows %v, want %v", manipulated, want)
	}
	for _, c := range []struct {
		name                 string
		data                 []PSMAnswer
		respondents, dropped int
		pmc, pme, ipp, opp   float64 // ipp and opp as printed
	}{
		{"check_unweighted_1", data2, 250, 0, 7.17, 16.82, 12.055, 7.995},
		{"check_unweighted_2", data3, 240, 10, 7.22, 17.03, 12.0725, 7.995},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := VanWestendorp(c.data)
			if err != nil {
				t.Fatal(err)
			}
			if r.Respondents != c.respondents || r.Dropped != c.dropped {
				t.Errorf("respondents %d dropped %d, want %d and %d", r.Respondents, r.Dropped, c.respondents, c.dropped)
			}
			near(t, "PMC (rounded)", rRound(r.PMC, 2), c.pmc, 1e-12)
			near(t, "PME (rounded)", rRound(r.PME, 2), c.pme, 1e-12)
			near(t, "IPP", r.IPP, c.ipp, 5e-7*c.ipp)
			near(t, "OPP", r.OPP, c.opp, 5e-7*c.opp)
		})
	}
}
