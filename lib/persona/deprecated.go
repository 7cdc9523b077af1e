package persona

import "github.com/founderlab/founderlab/lib/metrics"

// AdjustedRand returns the adjusted Rand index of two labelings of the
// same rows.
//
// Deprecated: use [metrics.AdjustedRand]; the cluster metrics live in
// package metrics.
func AdjustedRand(a, b []int) (float64, error) { return metrics.AdjustedRand(a, b) }

// Table is the former name of [Profiles].
//
// Deprecated: use [Profiles]; "table" said how the profiles are stored, not
// what they are.
type Table = Profiles
