package persona

import (
	"fmt"
	"math"
)

// Scaling is how a numeric column is rescaled before clustering.
type Scaling uint8

const (
	// Standardize maps x to (x − mean)/sd with the population sd (ddof 0),
	// as scikit-learn's StandardScaler does.
	Standardize Scaling = iota
	// MinMax maps x to (x − min)/(max − min), into [0, 1].
	MinMax
	// NoScaling keeps the values as they are.
	NoScaling
)

// String returns the scaling's name.
func (s Scaling) String() string {
	switch s {
	case Standardize:
		return "standardize"
	case MinMax:
		return "min-max"
	case NoScaling:
		return "none"
	}
	return fmt.Sprintf("Scaling(%d)", uint8(s))
}

// Prep says how to turn a table into a numeric matrix.
type Prep struct {
	// Columns lists the columns to use, in order; empty means all columns
	// of the table.
	Columns []string
	// Log1p lists numeric columns to transform with ln(1+x) before scaling
	// (for skewed, non-negative amounts). Values must be > −1.
	Log1p []string
	// Scaling applies to every numeric column (after log1p).
	Scaling Scaling
	// Scalings overrides Scaling for individual columns.
	Scalings map[string]Scaling
	// CategoryWeight multiplies the 0/1 one-hot codes of categorical
	// columns; 0 means 1. A weight below 1 lets categories count less
	// than numeric features in the distance.
	CategoryWeight float64
}

// Feature is one column of the encoded matrix.
type Feature struct {
	// Name is the column name, or "column=level" for a one-hot feature.
	Name string
	// Column is the index of the source column in the table.
	Column int
	// Level is the level index of a one-hot feature, -1 for numeric ones.
	Level int
	// Log1p reports whether ln(1+x) was applied.
	Log1p bool
	// Scaling is the scaling applied (numeric features).
	Scaling Scaling
	// Shift and Scale define the affine step: encoded = (t(x) − Shift)/Scale,
	// where t is log1p or the identity. For one-hot features Shift is 0 and
	// Scale is 1/CategoryWeight.
	Shift, Scale float64
	// Mean and SD are the population mean and sd of t(x) over the fitting
	// table (for one-hot features: the level's share p and sqrt(p(1−p))).
	// They are used for z-scores in persona cards.
	Mean, SD float64
}

// Encoder is a fitted [Prep]: it maps tables to matrices and centroids back
// to original units.
type Encoder struct {
	// Columns are the source table's columns (a copy of its schema).
	Columns []Column
	// Features describes each column of the encoded matrix.
	Features []Feature
	// Used lists the indices of the table columns that were encoded.
	Used []int
}

// FitEncoder learns the scaling parameters of p from tab. It fails on
// unknown columns, on log1p of a categorical column or of a value ≤ −1,
// on constant numeric columns that would be scaled (their sd or range
// is zero, so scaling would divide by zero), and, with an error wrapping
// [ErrOverflow], on a column whose sum, spread or range overflows float64
// (values beyond about 1e307 of opposite signs, or whose sum does), which
// would otherwise scale every value to 0 or NaN.
func FitEncoder(tab *Profiles, p Prep) (*Encoder, error) {
	if tab == nil || tab.Len() == 0 {
		return nil, fmt.Errorf("persona: fit encoder: empty table")
	}
	names := p.Columns
	if len(names) == 0 {
		names = tab.Names()
	}
	logs := map[string]bool{}
	for _, n := range p.Log1p {
		j := tab.Index(n)
		if j < 0 {
			return nil, fmt.Errorf("persona: fit encoder: log1p column %q is not in %s", n, tab.Source)
		}
		if tab.Columns[j].Kind != Numeric {
			return nil, fmt.Errorf("persona: fit encoder: log1p column %q is categorical", n)
		}
		logs[n] = true
	}
	for n := range p.Scalings {
		if tab.Index(n) < 0 {
			return nil, fmt.Errorf("persona: fit encoder: scaling for unknown column %q", n)
		}
	}
	cw := p.CategoryWeight
	if cw == 0 {
		cw = 1
	}
	if cw < 0 || math.IsNaN(cw) || math.IsInf(cw, 0) {
		return nil, fmt.Errorf("persona: fit encoder: CategoryWeight %v must be positive", p.CategoryWeight)
	}
	e := &Encoder{Columns: append([]Column(nil), tab.Columns...)}
	seen := map[string]bool{}
	n := float64(tab.Len())
	for _, name := range names {
		j := tab.Index(name)
		if j < 0 {
			return nil, fmt.Errorf("persona: fit encoder: column %q is not in %s", name, tab.Source)
		}
		if seen[name] {
			return nil, fmt.Errorf("persona: fit encoder: column %q listed twice", name)
		}
		seen[name] = true
		e.Used = append(e.Used, j)
		c := tab.Columns[j]
		if c.Kind == Categorical {
			counts := make([]float64, len(c.Levels))
			for _, v := range tab.code[j] {
				counts[v]++
			}
			for l, lev := range c.Levels {
				q := counts[l] / n
				e.Features = append(e.Features, Feature{Name: c.Name + "=" + lev, Column: j, Level: l,
					Scaling: NoScaling, Shift: 0, Scale: 1 / cw, Mean: q, SD: math.Sqrt(q * (1 - q))})
			}
			continue
		}
		sc := p.Scaling
		if s, ok := p.Scalings[name]; ok {
			sc = s
		}
		f := Feature{Name: c.Name, Column: j, Level: -1, Log1p: logs[name], Scaling: sc, Scale: 1}
		vals := tab.num[j]
		t := make([]float64, len(vals))
		for i, v := range vals {
			if f.Log1p {
				if v <= -1 {
					return nil, fmt.Errorf("persona: fit encoder: column %q row %d: log1p of %v is undefined", name, i+1, v)
				}
				v = math.Log1p(v)
			}
			t[i] = v
		}
		f.Mean, f.SD = meanSD(t)
		lo, hi := minMax(t)
		if !finite(f.Mean) || !finite(f.SD) || (sc == MinMax && !finite(hi-lo)) {
			return nil, fmt.Errorf("persona: fit encoder: column %q of %s: values from %g to %g: their mean, sd or range overflows float64; divide the column by a constant (or use Log1p) first: %w",
				name, tab.Source, lo, hi, ErrOverflow)
		}
		switch sc {
		case Standardize:
			if f.SD == 0 || hi == lo {
				return nil, fmt.Errorf("persona: fit encoder: column %q is constant (every value is %v): it cannot be standardised; drop it from Prep.Columns", name, vals[0])
			}
			f.Shift, f.Scale = f.Mean, f.SD
		case MinMax:
			if hi == lo {
				return nil, fmt.Errorf("persona: fit encoder: column %q is constant (every value is %v): it cannot be min-max scaled; drop it from Prep.Columns", name, vals[0])
			}
			f.Shift, f.Scale = lo, hi-lo
		case NoScaling:
		default:
			return nil, fmt.Errorf("persona: fit encoder: column %q: unknown scaling %v", name, sc)
		}
		e.Features = append(e.Features, f)
	}
	return e, nil
}

// meanSD returns the mean and population standard deviation, computed
// with a second pass over the deviations for accuracy.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(len(x)))
}

func minMax(x []float64) (lo, hi float64) {
	lo, hi = x[0], x[0]
	for _, v := range x[1:] {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return lo, hi
}

// Dim returns the number of encoded features.
func (e *Encoder) Dim() int { return len(e.Features) }

// Names returns the names of the encoded features.
func (e *Encoder) Names() []string {
	out := make([]string, len(e.Features))
	for i, f := range e.Features {
		out[i] = f.Name
	}
	return out
}

// Transform encodes the rows of tab, which must have the columns the
// encoder was fitted on (by name, with the same kinds; categorical levels
// are matched by label, and a level unseen at fitting time is an error).
func (e *Encoder) Transform(tab *Profiles) (Matrix, error) {
	if tab == nil || tab.Len() == 0 {
		return Matrix{}, fmt.Errorf("persona: transform: empty table")
	}
	// Map every used source column to the column of tab.
	where := map[int]int{}
	remap := map[int][]int{} // categorical level remapping fit level -> tab level
	for _, j := range e.Used {
		c := e.Columns[j]
		k := tab.Index(c.Name)
		if k < 0 {
			return Matrix{}, fmt.Errorf("persona: transform %s: no column %q", tab.Source, c.Name)
		}
		if tab.Columns[k].Kind != c.Kind {
			return Matrix{}, fmt.Errorf("persona: transform %s: column %q is %v, fitted as %v", tab.Source, c.Name, tab.Columns[k].Kind, c.Kind)
		}
		where[j] = k
		if c.Kind == Categorical {
			fitIdx := map[string]int{}
			for l, v := range c.Levels {
				fitIdx[v] = l
			}
			m := make([]int, len(tab.Columns[k].Levels))
			for l, v := range tab.Columns[k].Levels {
				fl, ok := fitIdx[v]
				if !ok {
					fl = -1
				}
				m[l] = fl
			}
			remap[j] = m
		}
	}
	n, d := tab.Len(), len(e.Features)
	X := NewMatrix(n, d)
	for fi, f := range e.Features {
		k := where[f.Column]
		if f.Level >= 0 {
			codes := tab.code[k]
			m := remap[f.Column]
			for i, v := range codes {
				fl := m[v]
				if fl < 0 {
					return Matrix{}, fmt.Errorf("persona: transform %s: row %d, column %q: level %q was not seen when fitting", tab.Source, i+1, e.Columns[f.Column].Name, tab.Columns[k].Levels[v])
				}
				if fl == f.Level {
					X.Data[i*d+fi] = 1 / f.Scale
				}
			}
			continue
		}
		for i, v := range tab.num[k] {
			if f.Log1p {
				if v <= -1 {
					return Matrix{}, fmt.Errorf("persona: transform %s: row %d, column %q: log1p of %v is undefined", tab.Source, i+1, f.Name, v)
				}
				v = math.Log1p(v)
			}
			x := (v - f.Shift) / f.Scale
			if !finite(x) {
				return Matrix{}, fmt.Errorf("persona: transform %s: row %d, column %q: %g scales to %v: %w", tab.Source, i+1, f.Name, tab.num[k][i], x, ErrOverflow)
			}
			X.Data[i*d+fi] = x
		}
	}
	return X, nil
}

// Value is one column of a decoded point, in original units.
type Value struct {
	// Column is the column's name; Kind, Group and Unit are copied from the
	// schema.
	Column string
	Kind   Kind
	Group  Group
	Unit   string
	// Number is the value of a numeric column in original units.
	Number float64
	// Levels and Shares, for a categorical column, give each level's share
	// (the centroid's one-hot coordinates, clipped to [0, 1] and normalised
	// to sum to 1); Mode is the level with the largest share.
	Levels []string
	Shares []float64
	Mode   string
}

// Inverse maps an encoded point (such as a centroid) back to the original
// units of every used column: the affine scaling is undone, then expm1 for
// log1p columns.
func (e *Encoder) Inverse(x []float64) ([]Value, error) {
	if len(x) != len(e.Features) {
		return nil, fmt.Errorf("persona: inverse: point has %d values, encoder %d features", len(x), len(e.Features))
	}
	byCol := map[int]int{}
	var out []Value
	for fi, f := range e.Features {
		c := e.Columns[f.Column]
		k, ok := byCol[f.Column]
		if !ok {
			k = len(out)
			byCol[f.Column] = k
			v := Value{Column: c.Name, Kind: c.Kind, Group: c.Group, Unit: c.Unit}
			if c.Kind == Categorical {
				v.Levels = append([]string(nil), c.Levels...)
				v.Shares = make([]float64, len(c.Levels))
			}
			out = append(out, v)
		}
		if f.Level >= 0 {
			out[k].Shares[f.Level] = math.Min(1, math.Max(0, x[fi]*f.Scale))
			continue
		}
		v := x[fi]*f.Scale + f.Shift
		if f.Log1p {
			v = math.Expm1(v)
		}
		if !finite(v) {
			return nil, fmt.Errorf("persona: inverse: feature %q: %g maps back to %v: %w", f.Name, x[fi], v, ErrOverflow)
		}
		out[k].Number = v
	}
	for k := range out {
		if out[k].Kind != Categorical {
			continue
		}
		var s float64
		best := 0
		for l, q := range out[k].Shares {
			s += q
			if q > out[k].Shares[best] {
				best = l
			}
		}
		if s > 0 {
			for l := range out[k].Shares {
				out[k].Shares[l] /= s
			}
		}
		out[k].Mode = out[k].Levels[best]
	}
	return out, nil
}

// InverseFeature maps one encoded coordinate of feature fi back to original
// units (for one-hot features, the share of the level).
func (e *Encoder) InverseFeature(fi int, v float64) float64 {
	f := e.Features[fi]
	v = v*f.Scale + f.Shift
	if f.Log1p {
		v = math.Expm1(v)
	}
	return v
}
