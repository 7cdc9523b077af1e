package persona

import (
	"fmt"

	"github.com/founderlab/founderlab/datasets/survey"
)

// FromSurvey turns a synthetic survey sample (package datasets/survey)
// into a profile table; the sample's Truth holds the ground-truth personas.
func FromSurvey(s *survey.Sample) (*Profiles, error) {
	if s == nil || s.Len() == 0 {
		return nil, fmt.Errorf("persona: survey: empty sample")
	}
	cols := make([]Column, len(s.Columns))
	for j, c := range s.Columns {
		col := Column{Name: c.Name, Unit: c.Unit, Levels: c.Levels}
		switch c.Kind {
		case "numeric":
			col.Kind = Numeric
		case "categorical":
			col.Kind = Categorical
		default:
			return nil, fmt.Errorf("persona: survey column %q: unknown kind %q", c.Name, c.Kind)
		}
		switch c.Group {
		case "demographic":
			col.Group = Demographic
		case "behavioural":
			col.Group = Behavioural
		case "psychographic":
			col.Group = Psychographic
		default:
			return nil, fmt.Errorf("persona: survey column %q: unknown group %q", c.Name, c.Group)
		}
		cols[j] = col
	}
	return NewProfiles("survey", cols, s.Num, s.Cat)
}
