package persona

import (
	"context"
	"errors"
	"fmt"

	"github.com/founderlab/founderlab/datasets/survey"
)

// Encoded is a profile table together with the encoder fitted on it and
// the matrix it encodes to: what a clustering of the table and its persona
// cards need.
type Encoded struct {
	Profiles *Profiles
	Encoder  *Encoder
	X        Matrix
}

// Encode fits an encoder with prep on tab and encodes tab.
func Encode(tab *Profiles, prep Prep) (*Encoded, error) {
	if tab == nil {
		return nil, errors.New("persona: encode: nil profile table")
	}
	enc, err := FitEncoder(tab, prep)
	if err != nil {
		return nil, err
	}
	X, err := enc.Transform(tab)
	if err != nil {
		return nil, err
	}
	return &Encoded{Profiles: tab, Encoder: enc, X: X}, nil
}

// WholesalePrep is the preparation of the wholesale customers for
// k-means: the six spending columns ([WholesaleSpend]), each log1p'd (the
// amounts are strongly right-skewed), then standardised.
func WholesalePrep() Prep {
	return Prep{Columns: WholesaleSpend(), Log1p: WholesaleSpend(), Scaling: Standardize}
}

// EncodeWholesale loads the wholesale customers ([LoadWholesale]) and
// encodes them with [WholesalePrep].
func EncodeWholesale(ctx context.Context) (*Encoded, error) {
	tab, err := LoadWholesale(ctx)
	if err != nil {
		return nil, err
	}
	return Encode(tab, WholesalePrep())
}

// SurveyPrep is the preparation of a synthetic survey ([FromSurvey]) for
// k-means: every column, income and monthly spend log1p'd, numeric columns
// standardised, and one-hot category codes weighted 0.5 so that the
// categories count less than the numeric features in the distance.
func SurveyPrep() Prep {
	return Prep{Log1p: []string{"income", "monthly_spend"}, Scaling: Standardize, CategoryWeight: 0.5}
}

// EncodeSurvey turns the survey sample s into a profile table
// ([FromSurvey]) and encodes it with [SurveyPrep].
func EncodeSurvey(s *survey.Sample) (*Encoded, error) {
	tab, err := FromSurvey(s)
	if err != nil {
		return nil, err
	}
	e, err := Encode(tab, SurveyPrep())
	if err != nil {
		return nil, fmt.Errorf("persona: survey: %w", err)
	}
	return e, nil
}
