// Package founderlab is the root of the FounderLab notebook lab: a Go
// distribution of the GoNB Jupyter kernel (kernel/) and the Go packages the
// course chapters import (lib/, datasets/).
//
// See README.md for the two commands that start the lab and run the tests.
package founderlab
