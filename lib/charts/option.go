package charts

import (
	"encoding/json"
	"fmt"
)

// Optioner is a go-echarts chart that can report its ECharts option; every
// go-echarts chart type is one.
type Optioner interface {
	Validate()
	JSON() map[string]any
}

// OptionJSON returns the ECharts option of c as JSON, after go-echarts has
// validated it and in the current [Language]: exactly what the chart will
// draw. It serves tests and debugging ("which series does this chart
// have?").
func OptionJSON(c Optioner) (string, error) {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return "", fmt.Errorf("charts: option JSON: %w", err)
	}
	s, _, err := localize(string(b), CurrentLanguage())
	return s, err
}
