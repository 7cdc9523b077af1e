package persona

// The test helpers of the package, for accel_test.go: it tests the GoMLX
// engine of lib/persona/accel, which imports this package, so it is an
// external test.
var (
	Blobs      = blobs
	CheckFit   = checkFit
	FirstN     = firstN
	ReadGolden = readGolden
)

type GoldenSynthetic = goldenSynthetic
