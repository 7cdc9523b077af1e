package datasets

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
)

// SymptomCase is one row of the Symptom2Disease data set: a patient's
// free-text description of their symptoms and the diagnosed disease.
type SymptomCase struct {
	// Disease is the diagnosis as written in the data ("Typhoid", "allergy", ...).
	Disease string
	// Text is the symptom description.
	Text string
}

// Infectious reports whether the case's disease is one of
// [SymptomInfectiousDiseases].
func (c SymptomCase) Infectious() bool {
	return slices.Contains(SymptomInfectiousDiseases(), c.Disease)
}

// Label returns the binary label of the infectious-vs-other task:
// 1 for an infectious disease, 0 otherwise.
func (c SymptomCase) Label() int {
	if c.Infectious() {
		return 1
	}
	return 0
}

// SymptomLabelNames names the binary labels 0 and 1 of [SymptomCase.Label].
func SymptomLabelNames() []string { return []string{"other", "infectious"} }

// SymptomInfectiousDiseases returns the 9 of Symptom2Disease's 24 diseases
// that are caused by a pathogen (bacteria, viruses, fungi or parasites); the
// binary task separates them from the other 15.
func SymptomInfectiousDiseases() []string {
	return []string{"Typhoid", "Chicken pox", "Impetigo", "Dengue", "Fungal infection",
		"Common Cold", "Pneumonia", "Malaria", "urinary tract infection"}
}

// LoadSymptom2Disease reads symptom2disease.csv from the data directory
// (downloading it first if it is missing and downloads are allowed).
func LoadSymptom2Disease(ctx context.Context) ([]SymptomCase, error) {
	p, err := Path(ctx, "symptom2disease", "symptom2disease.csv")
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("datasets: symptom2disease: %w", err)
	}
	defer f.Close()
	cases, err := ReadSymptom2Disease(f)
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", p, err)
	}
	return cases, nil
}

// ReadSymptom2Disease parses the Symptom2Disease CSV: a header with the
// columns label and text (an unnamed index column may come first), then one
// row per case. Errors name the line.
func ReadSymptom2Disease(r io.Reader) ([]SymptomCase, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("symptom2disease: header: %w", err)
	}
	labelCol, textCol := slices.Index(header, "label"), slices.Index(header, "text")
	if labelCol < 0 || textCol < 0 {
		return nil, fmt.Errorf("symptom2disease: header %q lacks the columns label and text", header)
	}
	var out []SymptomCase
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("symptom2disease: %w", err)
		}
		line, _ := cr.FieldPos(0)
		c := SymptomCase{Disease: strings.TrimSpace(rec[labelCol]), Text: strings.TrimSpace(rec[textCol])}
		if c.Disease == "" || c.Text == "" {
			return nil, fmt.Errorf("symptom2disease: line %d: empty label or text", line)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("symptom2disease: no rows")
	}
	return out, nil
}

// SymptomSplit is a train/dev/test split of Symptom2Disease.
type SymptomSplit struct {
	Train, Dev, Test []SymptomCase
}

// SplitSymptoms shuffles the cases with a PCG generator seeded by seed and
// splits them, stratified by disease. Exact duplicates (same disease and
// text; symptom2disease.csv has 47) are kept once, so that no text can be in
// two parts and inflate dev or test scores. From each disease's cases it puts a
// share devFrac into Dev, testFrac into Test (each rounded to the nearest
// whole case) and the rest into Train; each part is then shuffled again. The
// same input and seed always give the same split.
func SplitSymptoms(cases []SymptomCase, seed uint64, devFrac, testFrac float64) (SymptomSplit, error) {
	if devFrac < 0 || testFrac < 0 || devFrac+testFrac >= 1 {
		return SymptomSplit{}, fmt.Errorf("datasets: split fractions dev=%v test=%v: need ≥ 0 and a sum below 1", devFrac, testFrac)
	}
	byDisease := map[string][]SymptomCase{}
	seen := map[SymptomCase]bool{}
	for _, c := range cases {
		if seen[c] {
			continue
		}
		seen[c] = true
		byDisease[c.Disease] = append(byDisease[c.Disease], c)
	}
	diseases := make([]string, 0, len(byDisease))
	for d := range byDisease {
		diseases = append(diseases, d)
	}
	sort.Strings(diseases)
	rng := rand.New(rand.NewPCG(seed, 0x5eed5))
	var s SymptomSplit
	for _, d := range diseases {
		group := slices.Clone(byDisease[d])
		rng.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
		nDev := int(float64(len(group))*devFrac + 0.5)
		nTest := int(float64(len(group))*testFrac + 0.5)
		s.Dev = append(s.Dev, group[:nDev]...)
		s.Test = append(s.Test, group[nDev:nDev+nTest]...)
		s.Train = append(s.Train, group[nDev+nTest:]...)
	}
	for _, part := range [][]SymptomCase{s.Train, s.Dev, s.Test} {
		rng.Shuffle(len(part), func(i, j int) { part[i], part[j] = part[j], part[i] })
	}
	return s, nil
}

// SymptomTextsLabels returns the texts and binary labels of cases, in order.
func SymptomTextsLabels(cases []SymptomCase) (texts []string, labels []int) {
	texts, labels = make([]string, len(cases)), make([]int, len(cases))
	for i, c := range cases {
		texts[i], labels[i] = c.Text, c.Label()
	}
	return texts, labels
}
