package persona

import (
	"context"
	"fmt"

	"github.com/founderlab/founderlab/datasets"
)

// WholesaleSpend returns the names of the six spending columns of the
// wholesale customers data set (annual spending in monetary units).
func WholesaleSpend() []string {
	return []string{"Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"}
}

// WholesaleSchema returns the schema of the wholesale customers file
// (UCI "Wholesale customers", 440 clients of a Portuguese distributor):
// Channel and Region are demographic categories, the six spending columns
// behavioural amounts. The file's four unnamed trailing columns (notes) are
// ignored.
func WholesaleSchema() Schema {
	cols := []Column{
		{Name: "Channel", Kind: Categorical, Group: Demographic, Levels: []string{"1", "2"}},
		{Name: "Region", Kind: Categorical, Group: Demographic, Levels: []string{"1", "2", "3"}},
	}
	for _, s := range WholesaleSpend() {
		cols = append(cols, Column{Name: s, Kind: Numeric, Group: Behavioural, Unit: "m.u./year"})
	}
	return Schema{Columns: cols}
}

// wholesaleLevels are the names of the coded levels, from the data set's
// documentation.
var wholesaleLevels = map[string][]string{
	"Channel": {"Horeca", "Retail"},
	"Region":  {"Lisbon", "Oporto", "Other"},
}

// LoadWholesale reads the wholesale customers data set through the
// datasets package (from $FOUNDERLAB_DATA, or downloaded from its public
// source and checked against its sha256). Channel levels are named Horeca
// (hotel/restaurant/café) and Retail, Region levels Lisbon, Oporto and Other.
func LoadWholesale(ctx context.Context) (*Profiles, error) {
	p, err := datasets.Path(ctx, "wholesale", "wholesale_customers.csv")
	if err != nil {
		return nil, fmt.Errorf("persona: wholesale: %w", err)
	}
	return LoadWholesaleFile(p)
}

// LoadWholesaleFile reads the wholesale customers CSV at path; see
// [LoadWholesale].
func LoadWholesaleFile(path string) (*Profiles, error) {
	t, err := Load(path, WholesaleSchema())
	if err != nil {
		return nil, err
	}
	for name, levels := range wholesaleLevels {
		j := t.Index(name)
		t.Columns[j].Levels = append([]string(nil), levels...)
	}
	return t, nil
}
