// Package tidy holds a test, and nothing else: that `go mod tidy` would not
// change the module's go.mod, nor add anything to its go.sum. It runs
// `go mod tidy -diff` (Go 1.23 and later) offline, against the module cache.
package tidy
