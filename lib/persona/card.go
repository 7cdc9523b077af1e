package persona

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Trait is one feature that distinguishes a cluster from the population.
type Trait struct {
	// Feature is the encoded feature's name ("Grocery", "Channel=Retail").
	Feature string
	// Column is the source column, Level the category level ("" for
	// numeric features), Group the column's group.
	Column, Level string
	Group         Group
	// Z is the cluster mean against the population in standard deviations:
	// (mean_cluster − mean_all)/sd_all in the feature's transformed scale
	// (after log1p, before scaling); for a category level,
	// (p_cluster − p_all)/sqrt(p_all(1 − p_all)) with p the level's share.
	Z float64
	// Cluster and Population are the cluster's and the population's centre
	// in original units (for a log1p column, expm1 of the mean of log1p,
	// i.e. a geometric-style mean of 1+x, minus 1; for a category level, its
	// share).
	Cluster, Population float64
	// Unit is the column's unit, if any.
	Unit string
	// Phrase says it in words: "very high Grocery", "mostly Retail".
	Phrase string
}

// Card describes one cluster as a persona.
type Card struct {
	// Cluster is the cluster index in the model.
	Cluster int
	// Name is the suggested persona name, built from the strongest traits.
	Name string
	// Size is the number of rows in the cluster and Share its fraction.
	Size  int
	Share float64
	// Centroid is the cluster's centroid in original units.
	Centroid []Value
	// Traits are the most distinguishing features, strongest first.
	Traits []Trait
	// Z has the z-score of every encoded feature, in encoder order (for
	// radar charts).
	Z []float64
}

// Cards is the set of persona cards of a clustering.
type Cards []Card

// CardOptions tunes [Describe].
type CardOptions struct {
	// Traits is how many distinguishing features a card lists; 0 means 4.
	Traits int
	// MinZ is the |z| below which a feature is not called distinguishing
	// nor used in the name; 0 means 0.5.
	MinZ float64
	// Names overrides suggested names by cluster index.
	Names map[int]string
}

// Describe builds a persona card for every non-empty cluster of m, largest
// first. X must be the matrix m was fitted on, made by enc.
func Describe(enc *Encoder, X Matrix, m *Model, opt CardOptions) (Cards, error) {
	if enc == nil || m == nil {
		return nil, fmt.Errorf("persona: describe: nil encoder or model")
	}
	if X.Cols != enc.Dim() || X.Rows != len(m.Labels) || m.Centroids.Cols != X.Cols {
		return nil, fmt.Errorf("persona: describe: X is %d×%d, encoder has %d features, model %d labels of %d features",
			X.Rows, X.Cols, enc.Dim(), len(m.Labels), m.Centroids.Cols)
	}
	if opt.Traits <= 0 {
		opt.Traits = 4
	}
	if opt.MinZ <= 0 {
		opt.MinZ = 0.5
	}
	k, d := m.Centroids.Rows, X.Cols
	for i, l := range m.Labels {
		if l < 0 || l >= k {
			return nil, fmt.Errorf("persona: describe: label %d of row %d is outside 0..%d", l, i+1, k-1)
		}
	}
	means := NewMatrix(k, d)
	sizes := make([]int, k)
	for i, l := range m.Labels {
		sizes[l]++
		addToGo(means.Row(l), X.Row(i))
	}
	var cards Cards
	used := map[string]int{}
	for c := 0; c < k; c++ {
		if sizes[c] == 0 {
			continue
		}
		row := means.Row(c)
		for j := range row {
			row[j] /= float64(sizes[c])
		}
		centroid, err := enc.Inverse(m.Centroids.Row(c))
		if err != nil {
			return nil, err
		}
		card := Card{Cluster: c, Size: sizes[c], Share: float64(sizes[c]) / float64(X.Rows), Centroid: centroid, Z: make([]float64, d)}
		var traits []Trait
		for fi, f := range enc.Features {
			t := row[fi]*f.Scale + f.Shift // transformed scale (log1p space, or share)
			z := 0.0
			if f.SD > 0 {
				z = (t - f.Mean) / f.SD
			}
			card.Z[fi] = z
			col := enc.Columns[f.Column]
			tr := Trait{Feature: f.Name, Column: col.Name, Group: col.Group, Z: z, Unit: col.Unit, Cluster: t, Population: f.Mean}
			if f.Level >= 0 {
				tr.Level = col.Levels[f.Level]
				tr.Unit = ""
				if z < 0 {
					continue // "rarely X" says little; the other levels carry it
				}
			} else if f.Log1p {
				tr.Cluster, tr.Population = math.Expm1(t), math.Expm1(f.Mean)
			}
			tr.Phrase = phrase(tr)
			traits = append(traits, tr)
		}
		sort.SliceStable(traits, func(a, b int) bool { return math.Abs(traits[a].Z) > math.Abs(traits[b].Z) })
		for _, tr := range traits {
			if len(card.Traits) == opt.Traits || math.Abs(tr.Z) < opt.MinZ {
				break
			}
			card.Traits = append(card.Traits, tr)
		}
		card.Name = suggestName(card.Traits)
		if n, ok := opt.Names[c]; ok {
			card.Name = n
		}
		if used[card.Name]++; used[card.Name] > 1 {
			card.Name += " (" + strconv.Itoa(used[card.Name]) + ")"
		}
		cards = append(cards, card)
	}
	sort.SliceStable(cards, func(a, b int) bool { return cards[a].Size > cards[b].Size })
	return cards, nil
}

// phrase puts a trait into words.
func phrase(t Trait) string {
	if t.Level != "" {
		switch {
		case t.Cluster >= 0.9:
			return "all " + t.Level
		case t.Cluster >= 0.5:
			return "mostly " + t.Level
		default:
			return "often " + t.Level
		}
	}
	adj := "high"
	if t.Z < 0 {
		adj = "low"
	}
	if math.Abs(t.Z) >= 1.5 {
		adj = "very " + adj
	}
	return adj + " " + t.Column
}

// suggestName names a persona after its two strongest traits.
func suggestName(traits []Trait) string {
	if len(traits) == 0 {
		return "Typical profile"
	}
	var parts []string
	for _, t := range traits {
		if len(parts) == 2 {
			break
		}
		if t.Level != "" && t.Cluster < 0.5 {
			continue
		}
		parts = append(parts, t.Phrase)
	}
	if len(parts) == 0 {
		parts = append(parts, traits[0].Phrase)
	}
	s := strings.Join(parts, ", ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// formatNumber prints a value with a precision suited to its magnitude.
func formatNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1000:
		return groupThousands(strconv.FormatFloat(v, 'f', 0, 64))
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// String formats a centroid value: a number, or the modal level with its
// share.
func (v Value) String() string {
	if v.Kind == Categorical {
		best := 0
		for l, q := range v.Shares {
			if q > v.Shares[best] {
				best = l
			}
		}
		if len(v.Shares) == 0 {
			return v.Mode
		}
		return fmt.Sprintf("%s (%.0f%%)", v.Mode, 100*v.Shares[best])
	}
	return formatNumber(v.Number)
}

// withUnit formats a centroid value with the column's unit.
func withUnit(v Value) string {
	if v.Kind == Numeric && v.Unit != "" {
		return v.String() + " " + v.Unit
	}
	return v.String()
}

// traitValue formats the cluster and population values of a trait.
func traitValue(t Trait) string {
	if t.Level != "" {
		return fmt.Sprintf("%.0f%% vs %.0f%%", 100*t.Cluster, 100*t.Population)
	}
	u := ""
	if t.Unit != "" {
		u = " " + t.Unit
	}
	return formatNumber(t.Cluster) + u + " vs " + formatNumber(t.Population) + u
}

// Markdown renders the card as a Markdown section.
func (c Card) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", mdEscape(c.Name))
	fmt.Fprintf(&b, "Cluster %d · %d rows · %.1f%% of all\n\n", c.Cluster, c.Size, 100*c.Share)
	if len(c.Traits) > 0 {
		b.WriteString("Distinguishing traits:\n\n")
		for _, t := range c.Traits {
			fmt.Fprintf(&b, "- %s (z = %+.2f; %s)\n", mdEscape(t.Phrase), t.Z, traitValue(t))
		}
		b.WriteString("\n")
	}
	b.WriteString("| Feature | Group | Centroid |\n|---|---|---|\n")
	for _, v := range c.Centroid {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdEscape(v.Column), v.Group, mdEscape(withUnit(v)))
	}
	return b.String()
}

// Markdown renders all cards, one section each.
func (cs Cards) Markdown() string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(c.Markdown())
	}
	return b.String()
}

func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

var cardsTemplate = template.Must(template.New("cards").Funcs(template.FuncMap{
	"pct":   func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
	"width": func(x float64) string { return fmt.Sprintf("%.1f%%", math.Min(100, 100*x)) },
	"z":     func(z float64) string { return fmt.Sprintf("%+.2f", z) },
	"up":    func(z float64) bool { return z >= 0 },
	"tv":    traitValue,
}).Parse(`<div class="persona-cards" style="display:flex;flex-wrap:wrap;gap:12px;font-family:system-ui,sans-serif">
{{- range .}}
<div class="persona-card" style="border:1px solid #d0d7de;border-radius:8px;padding:12px 14px;width:300px;background:#fff;color:#1f2328">
<div style="font-size:16px;font-weight:600">{{.Name}}</div>
<div style="font-size:12px;color:#57606a;margin:2px 0 6px">cluster {{.Cluster}} · {{.Size}} rows · {{pct .Share}}</div>
<div style="height:6px;background:#eaeef2;border-radius:3px"><div style="height:6px;width:{{width .Share}};background:#0969da;border-radius:3px"></div></div>
{{- if .Traits}}
<ul style="padding-left:18px;margin:8px 0;font-size:13px">
{{- range .Traits}}
<li><span style="color:{{if up .Z}}#1a7f37{{else}}#cf222e{{end}}">{{if up .Z}}▲{{else}}▼{{end}}</span> {{.Phrase}} <span style="color:#57606a">(z {{z .Z}}; {{tv .}})</span></li>
{{- end}}
</ul>
{{- end}}
<table style="font-size:12px;border-collapse:collapse;width:100%">
{{- range .Centroid}}
<tr><td style="padding:1px 4px;color:#57606a">{{.Column}}</td><td style="padding:1px 4px;text-align:right">{{.String}}{{if and .Unit (not .Shares)}} <span style="color:#57606a">{{.Unit}}</span>{{end}}</td></tr>
{{- end}}
</table>
</div>
{{- end}}
</div>
`))

// HTML renders the cards as a row of HTML cards (self-contained, inline
// styles, every text escaped).
func (cs Cards) HTML() string {
	var b bytes.Buffer
	if err := cardsTemplate.Execute(&b, cs); err != nil {
		return "<pre>" + template.HTMLEscapeString(err.Error()) + "</pre>"
	}
	return b.String()
}
